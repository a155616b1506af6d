"""Validators shared by every app: French administrative identifiers, postal codes, phone
numbers, and the plausible range of each kind of date.

Defined once here and attached to the model fields (so ModelForms, services' ``full_clean()``
and imports all refuse the same values). ``str.isdigit()`` and the regex ``\\d`` accept any
Unicode digit (« ٦٦٥٠٠ », « １２３ »), so identifiers are checked against ASCII digits only.
"""

import re
import unicodedata
from datetime import date, datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# La Poste's SIREN: many of its establishments' SIRET numbers fail the Luhn check; INSEE
# accepts them when the sum of their digits is a multiple of 5.
LA_POSTE_SIREN = "356000000"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    """Strip the spaces people type in a SIRET ("130 012 345 00012")."""
    return "".join(value.split())


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits with a valid Luhn checksum (La Poste's rule for La Poste)."""
    siret = normalise_siret(value)
    if len(siret) != 14 or not is_ascii_digits(siret):
        raise ValidationError(
            "Le SIRET doit comporter exactement 14 chiffres.", code="siret_format"
        )
    valid = _luhn_ok(siret)
    if not valid and siret.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in siret) % 5 == 0
    if not valid:
        raise ValidationError(
            "Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas).",
            code="siret_checksum",
        )


def is_ascii_digits(value: str) -> bool:
    """Only the digits 0-9 (``str.isdigit()`` also accepts « ٦ », « ６ », « ² »)."""
    return bool(value) and value.isascii() and value.isdigit()


def to_ascii_digits(value: str) -> str:
    """Unicode decimal digits as ASCII (« ٦٦٥٠٠ » → « 66500 »), other characters unchanged.

    For the data migrations that repair identifiers stored before the ASCII check existed.
    """
    return "".join(
        str(unicodedata.decimal(c))
        if not c.isascii() and unicodedata.decimal(c, None) is not None
        else c
        for c in value or ""
    )


def validate_postal_code(value: str) -> None:
    if len(value) != 5 or not is_ascii_digits(value):
        raise ValidationError("Le code postal doit comporter 5 chiffres.", code="postal_code")


# The official geographic code of a commune: two characters of département (2A/2B for Corsica),
# three digits; the pattern of the national places standard (code_insee).
INSEE_CODE_PATTERN = re.compile(r"(?:[013-9][0-9]|2[AB1-9])[0-9]{3}", re.ASCII)


def validate_insee_code(value: str) -> None:
    if not INSEE_CODE_PATTERN.fullmatch(value):
        raise ValidationError(
            "Le code INSEE doit comporter 5 caractères, ex. : 66149 (2A004 en Corse).",
            code="insee_code",
        )


# --- Phone numbers ----------------------------------------------------------------------------

PHONE_MESSAGE = (
    "Ce numéro de téléphone n'est pas valide : saisissez un numéro français (ex. 06 12 34 56 78) "
    "ou un numéro international commençant par + ou 00 (ex. +34 612 34 56 78)."
)
# What people type around the digits. Letters are refused: phonenumbers would read « 1e309 »
# as a vanity number.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 .\-/()]{6,30}")
# Where a number written with a leading 0 can be: metropolitan France, then overseas.
_FRENCH_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def normalise_phone(value: str) -> str:
    """« 06 12 34 56 78 », « +33 (0)6 12… », « 0034 612… », « 612 34 56 78 » → E.164.

    French numbers are written with their leading 0 (or +33; overseas ones too: 0590…); any
    other country with + or 00. Nine digits without a leading 0 are read as a Spanish number:
    the département borders Spain, whose numbers are written that way. Returns "" for an empty
    value and raises ``ValidationError`` (French message) for anything that is not a number.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if not _PHONE_CHARACTERS.fullmatch(text):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    regions = _FRENCH_REGIONS if text.lstrip("(").startswith(("0", "+")) else ("ES",)
    candidates = []
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        candidates.append(number)
    if candidates and _french_shape(candidates[0]):
        return phonenumbers.format_number(candidates[0], phonenumbers.PhoneNumberFormat.E164)
    raise ValidationError(PHONE_MESSAGE, code="phone")


def _french_shape(number) -> bool:
    """Nine digits after +33: ranges phonenumbers does not list yet, and ARCEP's ranges kept
    for fiction (06 39 98 xx xx…), which the demo and the tests use, are French numbers too."""
    return number.country_code == 33 and len(str(number.national_number)) == 9


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)


def display_phone(value: str) -> str:
    """E.164 as people read it: « 06 12 34 56 78 » in France, « +34 612 34 56 78 » abroad."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


# --- Dates ------------------------------------------------------------------------------------


@deconstructible
class DateRangeValidator:
    """A date, or a datetime's local date, between two days (inclusive).

    Without bounds, year 1 or 9999 would be stored, shown in exports and open data, and make
    date arithmetic overflow (``date.max + timedelta``) in every query built from them.
    """

    def __init__(self, earliest: date, latest: date, message: str):
        self.earliest, self.latest, self.message = earliest, latest, message

    def __call__(self, value) -> None:
        if value is None:
            return
        try:
            day = _local_day(value)
        except OverflowError:  # 9999-12-31 23:30 UTC is already year 10000 in Paris
            day = date.max
        if not self.earliest <= day <= self.latest:
            raise ValidationError(
                self.message,
                code="date_range",
                params={
                    "earliest": f"{self.earliest:%d/%m/%Y}",
                    "latest": f"{self.latest:%d/%m/%Y}",
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DateRangeValidator) and (
            (self.earliest, self.latest, self.message)
            == (other.earliest, other.latest, other.message)
        )


def _local_day(value) -> date:
    if not isinstance(value, datetime):
        return value
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# The first advisers of the national programme (Conseillers numériques France Services) started
# in 2021: no activity or workshop session of the programme can be older.
PROGRAMME_START = date(2021, 1, 1)
# Agreements, deliberations, contracts, committee and planning dates: a generous range that no
# real document leaves, and that keeps every date computed from them (end of an agreement,
# notice periods, occurrences) far from the year 9999.
PLAUSIBLE_EARLIEST = date(1990, 1, 1)
PLAUSIBLE_LATEST = date(2100, 12, 31)

validate_plausible_date = DateRangeValidator(
    PLAUSIBLE_EARLIEST,
    PLAUSIBLE_LATEST,
    "Indiquez une date entre le %(earliest)s et le %(latest)s.",
)
validate_programme_date = DateRangeValidator(
    PROGRAMME_START,
    PLAUSIBLE_LATEST,
    "Indiquez une date entre le %(earliest)s (début du programme) et le %(latest)s.",
)


def error_text(error: ValidationError) -> str:
    """A ValidationError's French messages as one sentence, for a flash message, a job's
    error or a command's: the messages of every field, in order, separated by a space."""
    return " ".join(error.messages)
