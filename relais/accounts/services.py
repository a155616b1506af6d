"""Account writes: creating staff accounts and managing their second factor."""

import math
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10
# Unambiguous alphabet: no 0/O, 1/l/I, so a code read off paper is typed right the first time.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation=None,
    password: str | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a staff account; without a password the account can only be activated by reset."""
    user = User(
        email=email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        organisation=organisation,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """Return the user's pending (unconfirmed) TOTP device, creating it on first call.

    Reusing the pending device keeps the QR code stable when the enrolment page is reloaded.
    A pending device gives no access: only a confirmed one is accepted at the code prompt.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


class EnrolmentRefusal(StrEnum):
    WRONG_CODE = "wrong_code"
    REAUTHENTICATION_FAILED = "reauthentication_failed"


@dataclass(frozen=True)
class EnrolmentResult:
    confirmed: bool
    recovery_codes: list[str]
    refusal: EnrolmentRefusal | None = None


@transaction.atomic
def totp_enrolment_confirm(
    *, user: User, token: str, password: str | None = None
) -> EnrolmentResult:
    """Confirm the pending TOTP device with a code from the app and issue recovery codes.

    Any previously confirmed device is replaced: one authenticator per account keeps support
    simple ("which phone did you enrol?"). Replacing one is the most sensitive change an account
    can make, so it also takes the account's password, checked here and not only in the view:
    whatever calls this service, a session opened with a stolen password alone and a device
    planted without the password both fail. (The view also requires a verified session.)
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if replacing and not (password and user.check_password(password)):
        if device is not None:
            # Wrong passwords slow down like wrong codes (django-otp's doubling delay).
            device.throttle_increment()
        return EnrolmentResult(False, [], EnrolmentRefusal.REAUTHENTICATION_FAILED)
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        return EnrolmentResult(False, [], EnrolmentRefusal.WRONG_CODE)
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return EnrolmentResult(confirmed=True, recovery_codes=recovery_codes_regenerate(user=user))


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with a fresh set; each code works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Remove every second factor of a user (lost phone); they enrol again at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def second_factor_match(*, user: User, token: str):
    """The confirmed device that accepts ``token``, or None.

    Six digits are checked against the authenticator only, anything else against the recovery
    codes only, so a recovery code never counts as a failed TOTP attempt (and vice versa).
    """
    token = token.strip().replace(" ", "").lower()
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def throttle_wait_seconds(*, user: User) -> int:
    """Seconds before the user's devices accept another code (0 when not throttled).

    django-otp doubles the wait after each wrong code; telling the user to wait beats
    reporting a correct code typed too early as "incorrect".
    """
    now = timezone.now()
    wait = 0
    for device in (*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            wait = max(wait, math.ceil((details["locked_until"] - now).total_seconds()))
    return wait


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
