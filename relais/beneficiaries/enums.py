"""Who a beneficiary is, in the vocabulary of La Coop de la médiation numérique.

The activities count their participants by these values (``relais.activities.enums.BREAKDOWNS``);
they live here because a beneficiary's record uses them and beneficiaries sit below activities.
"""

from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Femme"
    MALE = "male", "Homme"
    UNKNOWN = "unknown", "Non communiqué"


class AgeBracket(models.TextChoices):
    UNDER_12 = "under_12", "Moins de 12 ans"
    FROM_12_TO_17 = "12_17", "12 - 17 ans"
    FROM_18_TO_24 = "18_24", "18 - 24 ans"
    FROM_25_TO_39 = "25_39", "25 - 39 ans"
    FROM_40_TO_59 = "40_59", "40 - 59 ans"
    FROM_60_TO_69 = "60_69", "60 - 69 ans"
    OVER_70 = "70_plus", "70 ans et plus"
    UNKNOWN = "unknown", "Non communiqué"


# Lower bound (age in years) of each known bracket, in ascending order.
AGE_BRACKET_FLOORS = [
    (70, AgeBracket.OVER_70),
    (60, AgeBracket.FROM_60_TO_69),
    (40, AgeBracket.FROM_40_TO_59),
    (25, AgeBracket.FROM_25_TO_39),
    (18, AgeBracket.FROM_18_TO_24),
    (12, AgeBracket.FROM_12_TO_17),
    (0, AgeBracket.UNDER_12),
]


def age_bracket_for(birth_year: int | None, year: int) -> AgeBracket:
    """The bracket of someone born in ``birth_year``, in ``year`` (age reached that year)."""
    if birth_year is None or birth_year > year:
        return AgeBracket.UNKNOWN
    age = year - birth_year
    for floor, bracket in AGE_BRACKET_FLOORS:
        if age >= floor:
            return bracket
    return AgeBracket.UNKNOWN  # pragma: no cover - the last floor is 0


class SocialStatus(models.TextChoices):
    IN_SCHOOL = "in_school", "Scolarisé(e)"
    UNEMPLOYED = "unemployed", "Sans emploi"
    EMPLOYED = "employed", "En emploi"
    RETIRED = "retired", "Retraité(e)"
    UNKNOWN = "unknown", "Non communiqué"
