"""French phone numbers: what people type, the one form we store, and SMS eligibility."""

import re

from django.core.exceptions import ValidationError

PHONE_MESSAGE = (
    "Ce numéro de téléphone n'est pas valide : saisissez 10 chiffres commençant par 0 "
    "(ex. 06 12 34 56 78) ou un numéro au format +33."
)
_SEPARATORS = re.compile(r"[\s.\-/()]")


def normalise_phone(value: str) -> str:
    """« 06 12 34 56 78 », « +33 (0)6 12… », « 0033 6… » → « +33612345678 ».

    Raises ``ValidationError`` (French message) for anything that is not a French number.
    """
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("+33"):
        national = raw[3:]
    elif raw.startswith("0033"):
        national = raw[4:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise ValidationError(PHONE_MESSAGE, code="phone")
    # "+33 (0)6 …": the optional trunk zero written after the country code.
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]
    if not (len(national) == 9 and national.isdigit() and national[0] in "123456789"):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    return "+33" + national


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)


def is_mobile(phone: str) -> bool:
    """Mobile numbers (06, 07) are the only ones that receive SMS."""
    return phone.startswith(("+336", "+337"))


def display_phone(phone: str) -> str:
    """« +33612345678 » → « 06 12 34 56 78 »."""
    if not phone.startswith("+33") or len(phone) != 12:
        return phone
    national = "0" + phone[3:]
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))
