"""The Coop vocabulary: counts, stable codes, one list."""

from relais.activities import enums
from relais.activities.enums import (
    AgeBracket,
    Theme,
    ThemeGroup,
    age_bracket_for,
    themes_of,
)


def test_thirty_themes_nineteen_digital_and_eleven_procedure_families():
    assert len(Theme) == 30
    assert len(themes_of(ThemeGroup.DIGITAL)) == 19
    assert len(themes_of(ThemeGroup.PROCEDURE)) == 11
    assert Theme.HARDWARE_BASICS.label == "Prendre en main du matériel"
    assert Theme.PAPERS_CITIZENSHIP.label == "Papiers - Élections - Citoyenneté"


def test_every_theme_has_a_unique_coop_code_and_an_export_safe_value():
    assert set(enums.COOP_CODES) == set(Theme)
    assert len(set(enums.COOP_CODES.values())) == 30
    for theme in Theme:
        assert theme.value.isascii() and theme.value == theme.value.lower()


def test_eight_age_brackets_and_the_other_breakdowns():
    assert len(AgeBracket) == 8
    assert len(enums.Gender) == 3
    assert len(enums.SocialStatus) == 5
    assert len(enums.ALL_COUNT_FIELDS) == 16


def test_age_bracket_from_birth_year():
    assert age_bracket_for(None, 2025) == AgeBracket.UNKNOWN
    assert age_bracket_for(2020, 2025) == AgeBracket.UNDER_12
    assert age_bracket_for(2013, 2025) == AgeBracket.FROM_12_TO_17
    assert age_bracket_for(2007, 2025) == AgeBracket.FROM_18_TO_24
    assert age_bracket_for(1966, 2025) == AgeBracket.FROM_40_TO_59
    assert age_bracket_for(1965, 2025) == AgeBracket.FROM_60_TO_69
    assert age_bracket_for(1955, 2025) == AgeBracket.OVER_70
    assert age_bracket_for(2030, 2025) == AgeBracket.UNKNOWN


def test_other_vocabularies():
    assert enums.DURATION_CHOICES == [15, 30, 45, 60, 90, 120]
    assert len(enums.LocationKind) == 4
    assert len(enums.Equipment) == 5
    assert len(enums.Autonomy) == 3
    assert len(enums.Referral) == 7
    assert len(enums.ActivityKind) == 2
