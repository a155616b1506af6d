from django.db import models

# Declared in core, the lowest layer, whose permission rules and menu read it.
from relais.core.enums import Role


class TitleForm(models.TextChoices):
    """How the person's title is written (issue 17 §4): nothing is assumed from a first name;
    without a choice the title is neutral (relais.core.french.person_title)."""

    NEUTRAL = "", "Forme neutre (« Médiation numérique »)"
    FEMININE = "feminine", "Au féminin (« Conseillère numérique », « Coordinatrice »)"
    MASCULINE = "masculine", "Au masculin (« Conseiller numérique », « Coordinateur »)"


# Roles that reach residents' personal data or can change the programme: a password alone is not
# enough for them (see docs/decisions/0003-two-factor-policy.md).
ROLES_REQUIRING_TWO_FACTOR = frozenset({Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR})
