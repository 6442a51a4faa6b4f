"""Freshness: one reminder per stale period to the organisation's providers, safe to run twice; the
nightly command."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samen.core.models import User
from samen.core.tests.factories import GemeenteFactory, OrganisationFactory
from samen.kwaliteit.models import Activity
from samen.kwaliteit.services import catalogue, freshness
from samen.kwaliteit.tests.factories import ActivityFactory, LocationFactory


@pytest.fixture
def fresh_now(hilversum):
    """Every demo activity confirmed now, so only what a test makes stale is stale."""
    now = timezone.now()
    Activity.objects.update(confirmed_at=now, reminded_at=None)
    return now


def heikracht_activities(hilversum):
    return Activity.objects.filter(gemeente=hilversum, organisation__name="Heikracht",
                                   status=Activity.Status.PUBLISHED)


def test_nothing_is_due_while_entries_are_fresh(fresh_now, mailoutbox):
    assert freshness.remind_stale(fresh_now + relativedelta(months=6, days=-1)) == 0
    assert mailoutbox == []


def test_one_reminder_per_organisation_after_the_stale_months(hilversum, fresh_now, mailoutbox):
    later = fresh_now + relativedelta(months=6, days=1)
    published = Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED)
    reminded = freshness.remind_stale(later)
    assert reminded == published.count()
    organisations = published.values("organisation").distinct().count()
    heikracht_mail = [m for m in mailoutbox if "Heikracht" in m.subject]
    assert len(heikracht_mail) == 1 and heikracht_mail[0].to == ["aanbieder@demo.samen.invalid"]
    body = heikracht_mail[0].body
    for activity in heikracht_activities(hilversum):
        assert activity.title in body
        assert reverse("kwaliteit:activity_confirm", args=[activity.pk]) in body
    # organisations without a provider account: the regisseur is told instead, one e-mail per organisation
    assert len(mailoutbox) == organisations
    assert {tuple(m.to) for m in mailoutbox if "Heikracht" not in m.subject} == {("regisseur@demo.samen.invalid",)}
    assert set(published.values_list("reminded_at", flat=True)) == {later}


def test_running_twice_sends_nothing_new(fresh_now, mailoutbox):
    later = fresh_now + relativedelta(months=6, days=1)
    first = freshness.remind_stale(later)
    sent = len(mailoutbox)
    assert first > 0 and sent > 0
    assert freshness.remind_stale(later + relativedelta(days=1)) == 0
    assert freshness.remind_stale(later + relativedelta(months=2)) == 0  # still the same stale period
    assert len(mailoutbox) == sent


def test_after_confirming_the_next_reminder_comes_with_the_next_stale_period(hilversum, fresh_now, mailoutbox):
    provider = User.objects.get(username="aanbieder")
    meal = heikracht_activities(hilversum).first()
    later = fresh_now + relativedelta(months=6, days=1)
    freshness.remind_stale(later)
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=later)  # the provider confirmed then
    meal.refresh_from_db()
    catalogue.confirm(provider, meal)
    meal.refresh_from_db()
    assert meal.reminded_at is None
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=later)
    mail.outbox.clear()
    assert freshness.remind_stale(later + relativedelta(months=5)) == 0
    assert freshness.remind_stale(later + relativedelta(months=6, days=1)) == 1
    assert len(mail.outbox) == 1 and meal.title in mail.outbox[0].body


def test_withdrawn_and_draft_entries_get_no_reminder(hilversum, fresh_now, mailoutbox):
    published = heikracht_activities(hilversum)
    Activity.objects.filter(pk__in=published.values("pk")).update(status=Activity.Status.WITHDRAWN)
    freshness.remind_stale(fresh_now + relativedelta(months=7))
    assert not [m for m in mailoutbox if "Heikracht" in m.subject]


def test_an_organisation_without_provider_reminds_the_regisseur_of_its_own_gemeente(db, mailoutbox):
    from samen.core.roles import Role
    from samen.core.tests.factories import UserFactory

    other = GemeenteFactory()
    organisation = OrganisationFactory(gemeente=other, name="Buurtvereniging Elders")
    UserFactory(gemeente=other, role=Role.REGISSEUR, email="regie@elders.invalid")
    long_ago = timezone.now() - relativedelta(months=8)
    ActivityFactory(organisation=organisation, location=LocationFactory(buurt__wijk__gemeente=other),
                    confirmed_at=long_ago)
    assert freshness.remind_stale() >= 1
    elders = [m for m in mailoutbox if "Buurtvereniging Elders" in m.subject]
    assert len(elders) == 1 and elders[0].to == ["regie@elders.invalid"]


def test_a_failing_mail_server_records_nothing_so_the_next_run_tries_again(hilversum, fresh_now, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("samen.kwaliteit.services.notify.send_mass_mail", broken)
    later = fresh_now + relativedelta(months=6, days=1)
    assert freshness.remind_stale(later) == 0
    assert not Activity.objects.filter(reminded_at__isnull=False).exists()
    monkeypatch.undo()
    assert freshness.remind_stale(later) > 0


def test_the_staff_list_shows_entries_that_left_the_site(client_as, hilversum, fresh_now):
    meal = heikracht_activities(hilversum).first()
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=fresh_now - relativedelta(months=10))
    assert not catalogue.public_activities(hilversum).filter(pk=meal.pk).exists()
    rows = client_as("aanbieder").get(reverse("kwaliteit:activity_list")).context["rows"]
    row = next(r for r in rows if r["activity"].pk == meal.pk)
    assert "van de site af: niet bevestigd" in row["badges"]


def test_the_nightly_command_rolls_dates_and_reminds(hilversum, fresh_now, mailoutbox, capsys):
    Activity.objects.filter(gemeente=hilversum).update(confirmed_at=fresh_now - relativedelta(months=7))
    call_command("catalogue_refresh")
    out = capsys.readouterr().out
    assert "Planned dates:" in out and "Activities reminded:" in out
    assert mailoutbox
    sent = len(mailoutbox)
    call_command("catalogue_refresh")
    assert "Activities reminded: 0" in capsys.readouterr().out and len(mailoutbox) == sent
