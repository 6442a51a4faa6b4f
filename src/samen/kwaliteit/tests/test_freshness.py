"""Freshness: one reminder per stale period to the organisation's providers, safe to run twice; the
nightly command."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samen.core import outbox
from samen.core.models import Organisation, OutboxMessage, User
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


def test_nothing_is_due_while_entries_are_fresh(fresh_now, sent_mail):
    assert freshness.remind_stale(fresh_now + relativedelta(months=6, days=-1)) == 0
    assert sent_mail() == []


def test_one_reminder_per_organisation_after_the_stale_months(hilversum, fresh_now, sent_mail):
    later = fresh_now + relativedelta(months=6, days=1)
    published = Activity.objects.filter(gemeente=hilversum, status=Activity.Status.PUBLISHED)
    reminded = freshness.remind_stale(later)
    assert reminded == published.count()
    organisations = published.values("organisation").distinct().count()
    heikracht_mail = [m for m in sent_mail() if "Heikracht" in m.subject]
    assert len(heikracht_mail) == 1 and heikracht_mail[0].to == ["aanbieder@demo.samen.invalid"]
    body = heikracht_mail[0].body
    for activity in heikracht_activities(hilversum):
        assert activity.title in body
        assert reverse("kwaliteit:activity_confirm", args=[activity.pk]) in body
    # organisations without a provider account: the regisseur is told instead, one e-mail per organisation
    assert len(sent_mail()) == organisations
    assert {tuple(m.to) for m in sent_mail() if "Heikracht" not in m.subject} == {("regisseur@demo.samen.invalid",)}
    assert set(published.values_list("reminded_at", flat=True)) == {later}


def test_running_twice_sends_nothing_new(fresh_now, sent_mail):
    later = fresh_now + relativedelta(months=6, days=1)
    first = freshness.remind_stale(later)
    sent = len(sent_mail())
    assert first > 0 and sent > 0
    assert freshness.remind_stale(later + relativedelta(days=1)) == 0
    assert freshness.remind_stale(later + relativedelta(months=2)) == 0  # still the same stale period
    assert len(sent_mail()) == sent


def test_after_confirming_the_next_reminder_comes_with_the_next_stale_period(hilversum, fresh_now, sent_mail):
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
    sent_mail().clear()
    assert freshness.remind_stale(later + relativedelta(months=5)) == 0
    assert freshness.remind_stale(later + relativedelta(months=6, days=1)) == 1
    assert len(sent_mail()) == 1 and meal.title in sent_mail()[0].body


def test_withdrawn_and_draft_entries_get_no_reminder(hilversum, fresh_now, sent_mail):
    published = heikracht_activities(hilversum)
    Activity.objects.filter(pk__in=published.values("pk")).update(status=Activity.Status.WITHDRAWN)
    freshness.remind_stale(fresh_now + relativedelta(months=7))
    assert not [m for m in sent_mail() if "Heikracht" in m.subject]


def test_an_organisation_without_provider_reminds_the_regisseur_of_its_own_gemeente(db, sent_mail):
    from samen.core.roles import Role
    from samen.core.tests.factories import UserFactory

    other = GemeenteFactory()
    organisation = OrganisationFactory(gemeente=other, name="Buurtvereniging Elders")
    UserFactory(gemeente=other, role=Role.REGISSEUR, email="regie@elders.invalid")
    long_ago = timezone.now() - relativedelta(months=8)
    ActivityFactory(organisation=organisation, location=LocationFactory(buurt__wijk__gemeente=other),
                    confirmed_at=long_ago)
    assert freshness.remind_stale() >= 1
    elders = [m for m in sent_mail() if "Buurtvereniging Elders" in m.subject]
    assert len(elders) == 1 and elders[0].to == ["regie@elders.invalid"]


def test_a_failing_mail_server_loses_no_reminder(hilversum, fresh_now, settings, sent_mail):
    """The reminder is queued with its record; the outbox keeps what the mail server refused and tries again."""
    settings.EMAIL_BACKEND = "samen.vinden.tests.test_outbox.FailingBackend"
    later = fresh_now + relativedelta(months=6, days=1)
    reminded = freshness.remind_stale(later)
    assert reminded > 0 and freshness.remind_stale(later) == 0, "queued once"
    queued = OutboxMessage.objects.filter(kind="kwaliteit.stale_reminder")
    assert outbox.send_due().failed == queued.count() > 0 and not sent_mail()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_due(now=timezone.now() + outbox.backoff(1)).sent == queued.count()
    assert len(mail.outbox) == queued.count()


def test_two_runs_at_the_same_moment_queue_each_reminder_once(hilversum, fresh_now):
    """The catalogue job's reminders on two machines at once (issue 11): the second finds the activities
    locked or already reminded, never a second reminder."""
    later = fresh_now + relativedelta(months=6, days=1)
    organisation = Organisation.objects.get(gemeente=hilversum, name="Heikracht")
    assert freshness._remind(hilversum, organisation, later) > 0
    assert freshness._remind(hilversum, organisation, later) == 0
    assert OutboxMessage.objects.filter(kind="kwaliteit.stale_reminder",
                                        about_id=organisation.pk).count() == 1


def test_the_staff_list_shows_entries_that_left_the_site(client_as, hilversum, fresh_now):
    meal = heikracht_activities(hilversum).first()
    Activity.objects.filter(pk=meal.pk).update(confirmed_at=fresh_now - relativedelta(months=10))
    assert not catalogue.public_activities(hilversum).filter(pk=meal.pk).exists()
    rows = client_as("aanbieder").get(reverse("kwaliteit:activity_list")).context["rows"]
    row = next(r for r in rows if r["activity"].pk == meal.pk)
    assert "van de site af: niet bevestigd" in row["badges"]


def test_the_nightly_command_rolls_dates_and_reminds(hilversum, fresh_now, sent_mail, capsys):
    Activity.objects.filter(gemeente=hilversum).update(confirmed_at=fresh_now - relativedelta(months=7))
    call_command("catalogue_refresh")
    out = capsys.readouterr().out
    assert "Planned dates:" in out and "Activities reminded:" in out
    assert sent_mail()
    sent = len(sent_mail())
    call_command("catalogue_refresh")
    assert "Activities reminded: 0" in capsys.readouterr().out and len(sent_mail()) == sent
