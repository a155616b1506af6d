"""Phone numbers of registrations and appointments: the project's rules, and SMS eligibility.

Reading and normalising a number is ``relais.core.validators``' job (E.164, French and
international numbers); the names stay importable from here, where the migrations refer to them.
"""

from relais.core.validators import display_phone, normalise_phone, validate_phone

__all__ = ["display_phone", "is_mobile", "normalise_phone", "validate_phone"]


def is_mobile(phone: str) -> bool:
    """French mobile numbers (06, 07) are the only ones that receive SMS."""
    return phone.startswith(("+336", "+337"))
