"""The matching's caches against the database: a warm match is two statements, and every change that matters
is in the next match — a new referral, a cancelled one, a six-week answer, a catalogue change, an intervention
linked or unlinked, a capacity change, a change of the gemeente's weights or of the profile, and the day
changing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from samen.core.models import AccessLogEntry, CacheVersion
from samen.core.roles import Role
from samen.core.tests.factories import BuurtFactory, UserFactory
from samen.kwaliteit.models import Activity, Intervention
from samen.kwaliteit.tests.factories import ActivityFactory, InterventionFactory, LocationFactory
from samen.ondersteunen.matching import candidates, engine, live, service
from samen.ondersteunen.matching_weights import DEFAULT_WEIGHTS
from samen.ondersteunen.models import Profile, Referral, SupportSettings, Trajectory
from samen.ondersteunen.tests.factories import ProfileFactory, ReferralFactory, TrajectoryFactory, worker_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    candidates.forget()
    buurt = BuurtFactory()
    gemeente = buurt.wijk.gemeente
    gemeente.min_cell_size = 2
    gemeente.save()
    trajectory = TrajectoryFactory(resident__buurt=buurt, worker=worker_in(buurt.wijk, totp=True))
    ProfileFactory(trajectory=trajectory, interests=["conversation"], availability=["1:morning"])
    here = LocationFactory(buurt=buurt, gemeente=gemeente)
    small = ActivityFactory(location=here, title="Koffie voor twee", capacity=2)
    open_ = ActivityFactory(location=here, title="Wandelen", interests=["walking"])
    trajectory = Trajectory.objects.select_related("resident__buurt", "gemeente", "wijk").get(pk=trajectory.pk)
    return {"gemeente": gemeente, "trajectory": trajectory, "small": small, "open": open_, "buurt": buurt}


def titles(world, **kwargs) -> list[str]:
    result = service.matches(world["trajectory"].worker, world["trajectory"], **kwargs)
    return [s.title for s in result.suggestions]


def suggestion(world, activity):
    result = service.matches(world["trajectory"].worker, world["trajectory"])
    return next((s for s in result.suggestions if s.activity_id == activity.pk), None)


def take(world, activity, status="bevestigd", **kwargs):
    return ReferralFactory(activity=activity, status=status, trajectory__resident__buurt=world["buurt"], **kwargs)


def test_a_warm_match_is_two_statements(world, django_assert_max_num_queries):
    take(world, world["small"])
    titles(world)  # builds the candidates and counts the live figures
    with django_assert_max_num_queries(2):  # the combined SELECT and the access-log INSERT
        titles(world)
    assert AccessLogEntry.objects.filter(record_type="ondersteunen.trajectory",
                                         record_id=str(world["trajectory"].pk)).count() == 2


def test_the_cached_match_equals_one_read_fresh(world):
    take(world, world["small"])
    SupportSettings.objects.update_or_create(gemeente=world["gemeente"], defaults={"weights": {"interests": 9}})
    first = service.matches(world["trajectory"].worker, world["trajectory"])
    candidates.forget()
    again = service.matches(world["trajectory"].worker, world["trajectory"])
    assert first == again
    assert first.suggestions[0].title == "Koffie voor twee" and first.suggestions[0].factors["interests"] == 0.5


def test_a_new_referral_is_in_the_next_match(world):
    take(world, world["small"])
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses
    take(world, world["small"])  # the last place
    assert "Koffie voor twee" not in titles(world)


def test_a_cancelled_referral_gives_the_place_back(world):
    first, second = take(world, world["small"]), take(world, world["small"])
    assert "Koffie voor twee" not in titles(world)
    Referral.objects.filter(pk=second.pk).update(status="geannuleerd")  # any write path: the trigger sees it
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses
    first.delete()
    assert "nog 2 plaatsen" in suggestion(world, world["small"]).misses


def test_a_six_week_answer_is_in_the_next_match(world):
    visited = timezone.localdate() - dt.timedelta(days=60)
    answered = [take(world, world["open"], status="blijft_komen", first_visit_on=visited, still_going_6w=True)
                for _i in range(2)]
    assert suggestion(world, world["open"]).evidence.went == 2
    Referral.objects.filter(pk=answered[0].pk).update(still_going_6w=False, status="gestopt")
    evidence = suggestion(world, world["open"]).evidence
    assert (evidence.went, evidence.still) == (2, 1)


def test_a_rolled_back_referral_leaves_the_counts_as_they_were(world):
    take(world, world["small"])
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses
    with pytest.raises(RuntimeError), transaction.atomic():
        take(world, world["small"])
        assert "Koffie voor twee" not in titles(world)  # counted inside the transaction, under its token
        raise RuntimeError
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses


def test_a_catalogue_change_is_in_the_next_match(world):
    assert "Wandelen" in titles(world)
    Activity.objects.filter(pk=world["open"].pk).update(title="Wandelen in het park")
    assert "Wandelen in het park" in titles(world)
    Activity.objects.filter(pk=world["open"].pk).update(status=Activity.Status.WITHDRAWN)
    assert "Wandelen in het park" not in titles(world)
    ActivityFactory(location=world["small"].location, title="Nieuw: samen eten")
    assert "Nieuw: samen eten" in titles(world)


def test_an_intervention_linked_or_unlinked_is_in_the_next_match(world):
    method = InterventionFactory(gemeente=world["gemeente"], name="Welzijn op Recept", recognition="good")
    assert titles(world, filters=engine.Filters(kind="intervention")) == []
    world["open"].interventions.add(method)  # the link table: not watched by the catalogue's triggers
    assert titles(world, filters=engine.Filters(kind="intervention")) == ["Welzijn op Recept"]
    Intervention.objects.filter(pk=method.pk).update(recognition="strong", updated_at=timezone.now())
    assert "Welzijn op Recept: effectief volgens sterke aanwijzingen" in suggestion(world, world["open"]).fits
    world["open"].interventions.remove(method)
    assert titles(world, filters=engine.Filters(kind="intervention")) == []
    other = ActivityFactory(location=world["small"].location, title="Ander")
    other.interventions.add(method)
    world["small"].interventions.add(method)
    assert titles(world, filters=engine.Filters(kind="intervention")) == ["Welzijn op Recept"]
    other.interventions.remove(method)  # one fewer, the highest id gone
    assert suggestion(world, world["small"]).fits[-1].startswith("Welzijn op Recept")


def test_a_capacity_change_is_in_the_next_match(world):
    take(world, world["small"])
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses
    Activity.objects.filter(pk=world["small"].pk).update(capacity=10)
    assert "nog 9 plaatsen" in suggestion(world, world["small"]).fits
    Activity.objects.filter(pk=world["small"].pk).update(capacity=1)
    assert "Koffie voor twee" not in titles(world)


def test_the_next_day_is_in_the_next_match(world, monkeypatch):
    Activity.objects.filter(pk=world["open"].pk).update(valid_until=timezone.localdate())
    assert "Wandelen" in titles(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert "Wandelen" not in titles(world)  # over since yesterday; nothing else changed
    assert "Koffie voor twee" in titles(world)


def test_the_weights_and_the_profile_are_read_at_every_match(world):
    assert suggestion(world, world["open"]).factors["interests"] == 0.0
    Profile.objects.filter(trajectory=world["trajectory"]).update(interests=["walking"])
    walking = suggestion(world, world["open"])
    assert walking.factors["interests"] == 0.5 and titles(world)[0] == "Wandelen"
    SupportSettings.objects.update_or_create(gemeente=world["gemeente"], defaults={"weights": {"interests": 0}})
    assert suggestion(world, world["open"]).score == pytest.approx(
        walking.score - DEFAULT_WEIGHTS["interests"] * 0.5)


def test_whoever_may_not_work_on_the_trajectory_gets_nothing_and_nothing_is_logged(world):
    other = UserFactory(gemeente=world["gemeente"], role=Role.SOCIAAL_WERKER,
                        wijken=[BuurtFactory(wijk__gemeente=world["gemeente"]).wijk])
    with pytest.raises(PermissionDenied):
        service.matches(other, world["trajectory"])
    adviser = UserFactory(gemeente=world["gemeente"], role=Role.BELEIDSADVISEUR)
    with pytest.raises(PermissionDenied):
        service.matches(adviser, world["trajectory"])
    assert not AccessLogEntry.objects.filter(record_type="ondersteunen.trajectory").exists()


def test_the_referral_triggers_and_version_are_installed(world):
    assert live.triggers_present()
    referral = take(world, world["small"])
    for write in (lambda: Referral.objects.filter(pk=referral.pk).update(status="gestopt"),
                  lambda: take(world, world["open"]), lambda: Referral.objects.filter(pk=referral.pk).delete()):
        before = CacheVersion.objects.get(name=live.NAME).token
        write()
        assert CacheVersion.objects.get(name=live.NAME).token != before


def test_without_a_referral_version_every_match_counts(world):
    CacheVersion.objects.filter(name=live.NAME).delete()
    assert "nog 2 plaatsen" in suggestion(world, world["small"]).misses
    take(world, world["small"])
    assert "nog 1 plaats" in suggestion(world, world["small"]).misses
