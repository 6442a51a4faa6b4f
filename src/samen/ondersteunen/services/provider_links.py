"""The provider's e-mailed link: answer one referral without an account.

The link carries ``django.core.signing.dumps({"r": referral id, "t": random token}, salt=SALT)``: the
signature stops a made-up or altered link before the database is asked, and only the SHA-256 of the random
token is stored (``ProviderLink.token_hash``), so the table cannot be turned into working links. A link is
single-purpose (one referral, confirm or reject), expires after ``SupportSettings.provider_link_days``, answers
once (then every other open link of the referral is revoked too), and every opening is written to the access log
with the channel "aanbieder via e-maillink". The answer is taken as
``states.Grant("referral.answer", "Aanbieder via e-maillink", gemeente_id)``.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.core import accesslog, outbox, policy
from samen.core.models import AccessAction, Purpose
from samen.core.states import Grant
from samen.ondersteunen import workflow
from samen.ondersteunen.models import ProviderLink, Referral, SupportSettings

SALT = "samen.ondersteunen.provider_link"
CHANNEL = "aanbieder via e-maillink"
LABEL = "Aanbieder via e-maillink"
PARAM = "sleutel"


class LinkRefused(ValidationError):
    """The link cannot be used; ``reason`` is one of invalid, expired, used, revoked (for the page's wording)."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__({"link": [message]})


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def grant(gemeente_id: int) -> Grant:
    return Grant(workflow.ANSWER, LABEL, gemeente_id)


def address_for(referral: Referral) -> str:
    """Where the link goes: the activity's contact address, else the first provider account of the organisation."""
    if referral.activity_id and referral.activity.contact_email:
        return referral.activity.contact_email
    if referral.organisation_id is None:
        return ""
    user = (policy.holders(referral.gemeente_id, workflow.ANSWER).filter(organisation_id=referral.organisation_id)
            .exclude(email="").order_by("id").first())
    return user.email if user else ""


def url_for(value: str) -> str:
    return outbox.public_url(f"{reverse('verwijzing_link:answer')}?{PARAM}={value}")


def issue(referral: Referral, *, kind: str = "referral.registered") -> str | None:
    """Make a link and e-mail it to the provider (in the caller's transaction); returns the link's value, or
    None when the provider has no address (it still answers on its own Samen page)."""
    address = address_for(referral)
    if not address:
        return None
    token = secrets.token_urlsafe(32)
    days = SupportSettings.for_gemeente(referral.gemeente_id).provider_link_days
    link = ProviderLink.objects.create(referral=referral, token_hash=digest(token), address=address,
                                       expires_at=timezone.now() + datetime.timedelta(days=days))
    value = signing.dumps({"r": referral.pk, "t": token}, salt=SALT)
    if kind == "referral.nudge":
        subject = _("Herinnering: een aanmelding wacht op uw antwoord")
        opening = _("Een aanmelding voor %(target)s wacht nog op uw antwoord.")
    else:
        subject = _("Een nieuwe aanmelding voor %(target)s")
        opening = _("Een sociaal werker meldt iemand aan voor %(target)s.")
    body = "\n\n".join([
        opening % {"target": referral.target_label},
        _("Kunt u laten weten of er plek is? Met deze link bevestigt u de aanmelding, of zegt u dat er geen plek is "
          "of dat het niet past. De link werkt één keer en is geldig tot %(until)s:")
        % {"until": timezone.localtime(link.expires_at).strftime("%d-%m-%Y")},
        url_for(value),
        _("Heeft u een account in Samen? Dan ziet u de aanmelding ook onder 'Verwijzingen'."),
    ])
    outbox.enqueue(kind=kind, subject=subject % {"target": referral.target_label}, body=body,
                   recipients=[address], gemeente=referral.gemeente_id, about=referral)
    return value


def _find(value: str, *, lock: bool = False) -> ProviderLink:
    try:
        data = signing.loads(value or "", salt=SALT)
        referral_id, token = int(data["r"]), str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("invalid", _("Deze link is niet geldig. Controleer of u de hele link uit de e-mail "
                                       "heeft gebruikt.")) from None
    links = ProviderLink.objects.select_related("referral__trajectory__resident", "referral__trajectory__worker",
                                                "referral__activity", "referral__organisation")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=digest(token), referral_id=referral_id).first()
    if link is None:
        raise LinkRefused("invalid", _("Deze link is niet geldig. Controleer of u de hele link uit de e-mail "
                                       "heeft gebruikt."))
    return link


def check(link: ProviderLink, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if link.used_at:
        raise LinkRefused("used", _("Deze link is al gebruikt: de aanmelding is op %(date)s beantwoord. Een link "
                                    "werkt maar één keer. Neem voor een wijziging contact op met de sociaal werker.")
                          % {"date": timezone.localtime(link.used_at).strftime("%d-%m-%Y")})
    if link.revoked_at:
        raise LinkRefused("revoked", _("Deze link werkt niet meer: de aanmelding is al beantwoord of ingetrokken. "
                                       "Neem zo nodig contact op met de sociaal werker."))
    if link.expires_at <= now:
        raise LinkRefused("expired", _("Deze link is verlopen (geldig tot %(date)s). Neem contact op met de "
                                       "sociaal werker voor een nieuwe link.")
                          % {"date": timezone.localtime(link.expires_at).strftime("%d-%m-%Y")})
    if link.referral.status not in workflow.REFERRAL_WAITING_FOR_PROVIDER:
        raise LinkRefused("revoked", _("Deze aanmelding wacht niet meer op een antwoord."))


def _log(link: ProviderLink, route: str) -> None:
    referral = link.referral
    records = [referral] + ([referral.trajectory.resident] if referral.trajectory.resident_id else [])
    accesslog.record(actor=None, action=AccessAction.VIEW, records=records, purpose=Purpose.ONDERSTEUNING,
                     route=route, channel=CHANNEL)


@transaction.atomic
def open_link(value: str, *, route: str = "verwijzing_link:answer") -> ProviderLink:
    """The link as the provider opens it: refused (LinkRefused) when invalid, expired, used or revoked; every
    opening of a valid link is written to the access log."""
    link = _find(value)
    check(link)
    if link.opened_at is None:
        ProviderLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    _log(link, route)
    return link


@transaction.atomic
def answer(value: str, decision: str, *, reason: str = "", note: str = "",
           route: str = "verwijzing_link:answer") -> Referral:
    """Answer through the link, once: the link is marked used in the same transaction as the answer."""
    from samen.ondersteunen.services import referrals

    link = _find(value, lock=True)
    check(link)
    if decision not in (workflow.ReferralDecision.CONFIRM, workflow.ReferralDecision.REJECT):
        raise ValidationError({"decision": [_("Kies: bevestigen, of geen plek / past niet.")]})
    link.used_at = timezone.now()
    link.opened_at = link.opened_at or link.used_at
    link.save(update_fields=["used_at", "opened_at"])
    _log(link, route)
    return referrals.answer(grant(link.referral.gemeente_id), link.referral_id, decision, reason=reason, note=note)


def close_open(referral: Referral) -> int:
    """After an answer: every link not used is revoked (the answer is given)."""
    return ProviderLink.objects.filter(referral=referral, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def revoke_open(referral: Referral, *, tell_provider: bool) -> int:
    """Revoke the open links (cancelled referral, consent withdrawn); tell the provider to disregard it."""
    links = list(ProviderLink.objects.filter(referral=referral, used_at__isnull=True, revoked_at__isnull=True))
    ProviderLink.objects.filter(pk__in=[link.pk for link in links]).update(revoked_at=timezone.now())
    addresses = {link.address for link in ProviderLink.objects.filter(referral=referral)} if tell_provider else set()
    if addresses:
        outbox.enqueue(kind="referral.cancelled", subject=_("Aanmelding ingetrokken"),
                       body=_("De aanmelding voor %(target)s is ingetrokken. U hoeft niets te doen; bewaar de "
                              "gegevens van deze aanmelding niet.") % {"target": referral.target_label},
                       recipients=sorted(addresses), gemeente=referral.gemeente_id, about=referral)
    return len(links)
