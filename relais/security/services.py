"""Writes of the security app: break-glass reads, supervision shares, second factor.

Each is one transaction and records its audit rows in it.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.audit.log import record_access, record_change, snapshot
from relais.audit.models import AccessAction, ChangeAction
from relais.cases.models import BreakGlassAccess, Case
from relais.policy import cache as policy_cache
from relais.policy import rules
from relais.security.models import SupervisionShare

BACKUP_CODES = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"


def end_of_today() -> datetime.datetime:
    """Midnight tonight, local time: a break-glass read lasts for the working day."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


@transaction.atomic
def break_glass_open(*, by, case: Case, reason: str, ip: str | None = None) -> BreakGlassAccess:
    """Open a case to a colleague or manager who is not its referent, until tonight.

    The reason goes to the access log, and the referents see the read on their home page.
    """
    access = BreakGlassAccess.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        user=by,
        reason=reason,
        expires_at=end_of_today(),
    )
    record_access(
        user=by,
        organisation_id=case.organisation_id,
        obj=case,
        action=AccessAction.BREAK_GLASS,
        reason=reason,
        ip=ip,
    )
    record_change(user=by, verb="break_glass_open", obj=access, after=snapshot(access))
    policy_cache.forget()
    return access


@transaction.atomic
def supervision_share_create(
    *,
    by,
    case: Case,
    supervisor,
    ends_on: datetime.date,
    question: str = "",
) -> SupervisionShare:
    share = SupervisionShare.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        supervisor=supervisor,
        shared_by=by,
        question=question,
        starts_on=timezone.localdate(),
        ends_on=ends_on,
    )
    record_change(user=by, verb="supervision_share_create", obj=share, after=snapshot(share))
    policy_cache.forget()
    return share


@transaction.atomic
def supervision_share_revoke(*, by, share: SupervisionShare) -> SupervisionShare:
    before = snapshot(share, ["revoked_at"])
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    record_change(
        user=by,
        verb="supervision_share_revoke",
        obj=share,
        before=before,
        after=snapshot(share, ["revoked_at"]),
    )
    policy_cache.forget()
    return share


# --- Second factor --------------------------------------------------------------------


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet): the same one until confirmed,
    so that reloading the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _record_two_factor(user, verb: str, after: dict) -> None:
    m = rules.membership(user)
    if m is not None:
        record_change(user=user, verb=verb, obj=m, after=after, action=ChangeAction.UPDATE)


@transaction.atomic
def two_factor_enable(*, user, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator, drop any older one, and issue fresh backup codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_issue(user)
    _record_two_factor(user, "two_factor_enable", {"two_factor": "activée"})
    return codes


def _backup_codes_issue(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    codes = _backup_codes_issue(user)
    _record_two_factor(user, "backup_codes_renew", {"backup_codes": "renouvelés"})
    return codes


@transaction.atomic
def two_factor_reset(*, by, user) -> None:
    """Remove a user's second factor (lost phone): they set up a new one at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    m = rules.membership(user)
    if m is not None:
        record_change(
            user=by,
            verb="two_factor_reset",
            obj=m,
            after={"two_factor": "retirée"},
            action=ChangeAction.UPDATE,
        )
