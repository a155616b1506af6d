"""The activity vocabulary of La Coop de la médiation numérique, so our figures compare with the
national tool (compte rendu d'activité, « CRA »).

Values are English identifiers (stable: exports and the API use them); labels are the Coop's
French wording. ``COOP_CODES`` gives the Coop's own identifier of each theme, for exports meant
to be loaded next to the Coop's figures. The theme list lives in ``relais.core.enums``
(workshops use it too) and is re-exported here: the database stores the values, the forms and
the statistics read this module.

Source of the labels: the Coop's activity filters and CRA form (thématiques « médiation
numérique » and « démarches administratives »). Two labels were shortened by the Coop over time
(« Accompagner un professionnel » for entrepreneuriat, « Travail - Formation - Entreprise »);
we keep the wording of the CRA form.
"""

from django.db import models

# The themes are the national vocabulary that workshops (a lower layer) use too: they live in
# core; the people's breakdowns describe a beneficiary: they live in beneficiaries. Both are
# re-exported here, the activity vocabulary's one entry point.
from relais.beneficiaries.enums import (  # noqa: F401
    AGE_BRACKET_FLOORS,
    AgeBracket,
    Gender,
    SocialStatus,
    age_bracket_for,
)
from relais.core.enums import (  # noqa: F401
    COOP_CODES,
    PROCEDURE_THEMES,
    Theme,
    ThemeGroup,
    theme_group,
    themes_of,
)


class ActivityKind(models.TextChoices):
    INDIVIDUAL = "individual", "Accompagnement individuel"
    COLLECTIVE = "collective", "Atelier collectif"


# Minutes offered as one-tap choices; any other positive duration is entered as « autre ».
DURATION_CHOICES = [15, 30, 45, 60, 90, 120]
# The form's « Autre » choice: the minutes are then typed in.
OTHER_DURATION = "other"
DEFAULT_DURATION = 30
MAX_DURATION_MINUTES = 12 * 60  # a day's work; longer is a typing mistake
# A collective activity with a whole auditorium; more is a typing mistake that would then show in
# every statistic and in the committee's annual review.
MAX_PARTICIPANTS = 500


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest:02d}" if rest else "")


class LocationKind(models.TextChoices):
    PLACE = "place", "Lieu d'activité"
    HOME = "home", "À domicile"
    REMOTE = "remote", "À distance"
    OTHER = "other", "Autre lieu"


class Equipment(models.TextChoices):
    COMPUTER = "computer", "Ordinateur"
    PHONE = "phone", "Téléphone"
    TABLET = "tablet", "Tablette"
    OTHER = "other", "Autre matériel"
    NONE = "none", "Pas de matériel"


class Autonomy(models.TextChoices):
    GUIDED = "guided", "Entièrement accompagné"
    PARTLY_AUTONOMOUS = "partly_autonomous", "Partiellement autonome"
    AUTONOMOUS = "autonomous", "Autonome"


class Referral(models.TextChoices):
    ADMINISTRATION = "administration", "Administration (France Services, mairie…)"
    DIGITAL_MEDIATION = "digital_mediation", "Structure de médiation numérique"
    OPERATOR = "operator", "Opérateur ou organisme en charge de la démarche"
    SOCIAL_AID = "social_aid", "Structure d'aide sociale (CCAS, CAF…)"
    EMPLOYMENT = "employment", "Structure d'aide à l'emploi"
    PROCEDURE_HELP = "procedure_help", "Aide aux démarches administratives"
    OTHER = "other", "Autre structure"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Débutant"
    INTERMEDIATE = "intermediate", "Intermédiaire"
    ADVANCED = "advanced", "Avancé"


# --- Who was helped: anonymous counts ---------------------------------------------------------
# Each value below is also the suffix of a count column on Activity (``gender_female``,
# ``age_25_39``, ``status_retired``…): see ``count_field``.


BREAKDOWNS = {
    # prefix of the count columns → the vocabulary they break the participants down by
    "gender": Gender,
    "age": AgeBracket,
    "status": SocialStatus,
}


def count_field(prefix: str, value: str) -> str:
    """The Activity column counting the participants of one value (``age`` + ``25_39``)."""
    return f"{prefix}_{value}"


def count_fields(prefix: str) -> list[str]:
    return [count_field(prefix, value) for value in BREAKDOWNS[prefix].values]


ALL_COUNT_FIELDS = [name for prefix in BREAKDOWNS for name in count_fields(prefix)]
