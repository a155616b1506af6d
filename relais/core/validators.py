"""Validators for French administrative identifiers."""

from django.core.exceptions import ValidationError

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
    if len(siret) != 14 or not siret.isdigit():
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


def validate_postal_code(value: str) -> None:
    if len(value) != 5 or not value.isdigit():
        raise ValidationError("Le code postal doit comporter 5 chiffres.", code="postal_code")
