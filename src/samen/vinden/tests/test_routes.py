"""The cached address routing: the same answers as geography.locate, no queries on a hit, and a postcode import,
a changed buurt or a changed network is seen at the next signal."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.core.models import Buurt, CacheVersion, PostcodeRange, Wijk
from samen.core.services.geography import UnknownAddress, import_postcodes, locate
from samen.samenwerken.models import Zorgnetwerk
from samen.vinden import routes
from samen.vinden.services.signals import submit_signal

pytestmark = pytest.mark.django_db


def queries_on(table: str, context: CaptureQueriesContext) -> int:
    return sum(1 for q in context.captured_queries if table in q["sql"])


def current_csv(hilversum, **moves) -> str:
    """The municipality's postcode table as import CSV, with some postcodes moved to another buurt."""
    lines = ["postcode,huisnummer_van,huisnummer_tot,pariteit,buurtcode"]
    for r in PostcodeRange.objects.filter(buurt__wijk__gemeente=hilversum).select_related("buurt"):
        lines.append(f"{r.postcode},{r.number_from},{r.number_to},{r.parity},{moves.get(r.postcode, r.buurt.code)}")
    return "\n".join(lines) + "\n"


def test_the_cache_gives_the_same_answers_as_locate(hilversum):
    for r in PostcodeRange.objects.filter(buurt__wijk__gemeente=hilversum)[:60]:
        for number in (None, r.number_from, r.number_from + 1, r.number_to, r.number_to + 1):
            try:
                expected = locate(hilversum, r.postcode, number)
            except UnknownAddress:
                expected = None
            for _ in range(2):  # a miss, then a hit
                buurt, wijk, network = routes.place(hilversum, r.postcode, number)
                assert (buurt.pk if buurt else None) == (expected.pk if expected else None), (r, number)
                if buurt:
                    assert wijk.pk == expected.wijk_id
                    assert network == Zorgnetwerk.objects.filter(wijk=wijk).order_by("pk").first()
    assert routes.place(hilversum, "", 5) == routes.NOWHERE
    assert routes.place(hilversum, "9999ZZ", 5) == routes.NOWHERE


def test_a_second_signal_from_the_same_postcode_does_not_look_it_up_again(hilversum):
    data = {"postcode": "1211BJ", "house_number": 7, "description": "x"}
    with CaptureQueriesContext(connection) as first:
        one = submit_signal(hilversum, channel="staff", data=data).signal
    with CaptureQueriesContext(connection) as second:
        two = submit_signal(hilversum, channel="staff", data={**data, "house_number": 9}).signal
    assert queries_on("core_postcoderange", first) == 1 and queries_on("samenwerken_zorgnetwerk", first) == 1
    assert queries_on("core_postcoderange", second) == 0 and queries_on("samenwerken_zorgnetwerk", second) == 0
    assert one.wijk.code == two.wijk.code == "WK040207" and two.network.name == one.network.name


def test_a_postcode_import_is_seen_by_the_next_signal(hilversum, django_capture_on_commit_callbacks):
    data = {"postcode": "1211BJ", "house_number": 7, "description": "x"}
    assert submit_signal(hilversum, channel="staff", data=data).signal.wijk.code == "WK040207"
    elsewhere = Buurt.objects.get(code="BU04020101")  # Centrum
    token = routes.version()
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        report = import_postcodes(hilversum, current_csv(hilversum, **{"1211BJ": elsewhere.code}))
        assert routes.version() == token, "not before the import commits"
    assert report.imported and not report.problems
    assert len([h for h in hooks if isinstance(h, routes._Invalidation)]) == 1, "one new token per transaction"
    assert routes.version() != token
    moved = submit_signal(hilversum, channel="staff", data=data).signal
    assert moved.buurt == elsewhere and moved.wijk.code == "WK040201"
    assert moved.network.name == "Zorgnetwerk Centrum"


def test_a_new_version_token_hides_every_workers_cached_routes(hilversum):
    routes.place(hilversum, "1211BJ", 7)
    key = f"route:{routes.version()}:{hilversum.pk}:1211BJ"
    assert caches["routes"].get(key)
    routes.invalidate()
    assert f"route:{routes.version()}:{hilversum.pk}:1211BJ" != key
    CacheVersion.objects.filter(name=routes.VERSION_NAME).delete()  # lost the token: a new one, never an old
    assert routes.version() not in key


def test_the_version_token_is_in_the_database_every_server_shares(hilversum, django_capture_on_commit_callbacks):
    token = routes.version()
    assert CacheVersion.objects.get(name=routes.VERSION_NAME).token == token
    with django_capture_on_commit_callbacks(execute=True):
        Wijk.objects.filter(code="WK040207").first().save()
    assert CacheVersion.objects.get(name=routes.VERSION_NAME).token == routes.version() != token


def test_a_changed_network_is_seen_at_once(hilversum, django_capture_on_commit_callbacks):
    wijk = Wijk.objects.get(code="WK040207")
    assert routes.place(hilversum, "1211BJ", 7)[2].name == "Zorgnetwerk Noord-Oost"
    from django.apps import apps

    with django_capture_on_commit_callbacks(execute=True):
        # Another block's records that keep the network (a case consultation's history) go first.
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is Zorgnetwerk and model is not Zorgnetwerk \
                        and model._meta.app_label not in ("samenwerken", "vinden"):
                    model._default_manager.filter(**{f"{field.name}__wijk": wijk}).delete()
        Zorgnetwerk.objects.filter(wijk=wijk).delete()
    assert routes.place(hilversum, "1211BJ", 7)[2] is None


def test_a_renamed_wijk_is_seen_at_once(hilversum, django_capture_on_commit_callbacks):
    wijk = Wijk.objects.get(code="WK040207")
    assert routes.place(hilversum, "1211BJ", 7)[1].display_name == wijk.display_name
    with django_capture_on_commit_callbacks(execute=True):
        wijk.policy_name = "Noordoost-Kwartier"
        wijk.save()
    assert "Noordoost-Kwartier" in routes.place(hilversum, "1211BJ", 7)[1].display_name


def test_an_unknown_postcode_is_not_cached(hilversum):
    buurt = Buurt.objects.get(code="BU04020101")
    assert routes.place(hilversum, "1299ZZ", 4) == routes.NOWHERE
    PostcodeRange.objects.bulk_create([PostcodeRange(postcode="1299ZZ", number_from=1, number_to=9, buurt=buurt)])
    assert routes.place(hilversum, "1299ZZ", 4)[0] == buurt, "found without any invalidation"


def test_a_rolled_back_change_writes_no_new_token(hilversum, django_capture_on_commit_callbacks):
    token = routes.version()
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        PostcodeRange.objects.filter(postcode="1211BJ").delete()
    assert hooks and routes.version() == token, "only a commit makes a new token"


def test_a_change_after_a_committed_one_writes_a_new_token_again(hilversum, django_capture_on_commit_callbacks):
    wijk = Wijk.objects.get(code="WK040207")
    tokens = [routes.version()]
    for name in ("Een", "Twee"):
        with django_capture_on_commit_callbacks(execute=True):
            wijk.policy_name = name
            wijk.save()
        tokens.append(routes.version())
    assert len(set(tokens)) == 3
