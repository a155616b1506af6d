"""Demo data, part 2: one login per role (the advisor's login is created with the team)."""

import functools
import hashlib
from base64 import b32encode

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext

from .enums import Role
from .models import User
from .services import TOTP_DEVICE_NAME, user_create

DEMO_TOTP_DEVICE_NAME = f"{TOTP_DEVICE_NAME} (démonstration)"

STAFF = [
    # (local part, first name, last name, role, organisation key in ctx.objects)
    ("coordination", "Claire", "Pilote", Role.COORDINATOR, "department"),
    ("mediatheques", "Marc", "Rayonnage", Role.PARTNER_STAFF, "partner"),
    ("comite", "Paul", "Bilan", Role.COMMITTEE_MEMBER, None),
    ("admin", "Alex", "Système", Role.ADMINISTRATOR, "department"),
]


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def demo_totp_key(email: str) -> str:
    """A fixed TOTP key per demo account, so a re-run keeps the authenticator entry valid."""
    return hashlib.sha1(f"relais-demo:{email}".encode(), usedforsecurity=False).hexdigest()


def ensure_demo_user(
    ctx: DemoContext,
    *,
    local_part: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation=None,
    print_login: bool = True,
) -> User:
    """Create (once) a demo account; accounts that need 2FA get a known TOTP key."""
    email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=organisation,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        # Hashing is deliberately slow; the 30 demo accounts share one hash.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    secret = ""
    if print_login and user.requires_two_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_TOTP_DEVICE_NAME,
            defaults={"key": demo_totp_key(email), "confirmed": True},
        )
        secret = b32encode(device.bin_key).decode()
    if print_login:
        ctx.logins.append({"role": user.get_role_display(), "email": email, "totp_secret": secret})
    return user


def load(ctx: DemoContext) -> None:
    for local_part, first_name, last_name, role, organisation_key in STAFF:
        ensure_demo_user(
            ctx,
            local_part=local_part,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=ctx.objects.get(organisation_key) if organisation_key else None,
        )
