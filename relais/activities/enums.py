"""The activity vocabulary of La Coop de la médiation numérique, so our figures compare with the
national tool (compte rendu d'activité, « CRA »).

Values are English identifiers (stable: exports and the API use them); labels are the Coop's
French wording. ``COOP_CODES`` gives the Coop's own identifier of each theme, for exports meant
to be loaded next to the Coop's figures. The theme list lives here and nowhere else: the
database stores the values, the forms and the statistics read this module.

Source of the labels: the Coop's activity filters and CRA form (thématiques « médiation
numérique » and « démarches administratives »). Two labels were shortened by the Coop over time
(« Accompagner un professionnel » for entrepreneuriat, « Travail - Formation - Entreprise »);
we keep the wording of the CRA form.
"""

from django.db import models


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


class ThemeGroup(models.TextChoices):
    DIGITAL = "digital", "Médiation numérique"
    PROCEDURE = "procedure", "Démarches administratives"


class Theme(models.TextChoices):
    # 19 digital-mediation themes.
    DIGITAL_DIAGNOSIS = "digital_diagnosis", "Diagnostic numérique"
    HARDWARE_BASICS = "hardware_basics", "Prendre en main du matériel"
    HARDWARE_MAINTENANCE = "hardware_maintenance", "Maintenance de matériel"
    DIGITAL_CONTENT = "digital_content", "Gérer ses contenus numériques"
    WEB_BROWSING = "web_browsing", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    OFFICE_SOFTWARE = "office_software", "Bureautique"
    SOCIAL_NETWORKS = "social_networks", "Réseaux sociaux communication"
    HEALTH = "health", "Santé"
    BANKING_SHOPPING = "banking_shopping", "Banque et achats en ligne"
    ENTREPRENEURSHIP = "entrepreneurship", "Entrepreneuriat"
    EMPLOYMENT = "employment", "Insertion professionnelle"
    SECURITY = "security", "Prévention en sécurité numérique"
    PARENTING = "parenting", "Parentalité"
    SCHOOLING = "schooling", "Scolarité et numérique"
    CREATING = "creating", "Créer avec le numérique"
    DIGITAL_CULTURE = "digital_culture", "Culture numérique"
    ARTIFICIAL_INTELLIGENCE = "artificial_intelligence", "Intelligence artificielle (IA)"
    PROCEDURE_HELP = "procedure_help", "Aide aux démarches administratives"
    # 11 procedure families (démarches administratives).
    PAPERS_CITIZENSHIP = "papers_citizenship", "Papiers - Élections - Citoyenneté"
    FAMILY_SCHOOL = "family_school", "Famille - Scolarité"
    SOCIAL_HEALTH = "social_health", "Social - Santé"
    WORK_TRAINING = "work_training", "Travail - Formation"
    HOUSING = "housing", "Logement"
    TRANSPORT = "transport", "Transports - Mobilité"
    MONEY_TAXES = "money_taxes", "Argent - Impôts"
    JUSTICE = "justice", "Justice"
    FOREIGNERS_EUROPE = "foreigners_europe", "Étrangers - Europe"
    LEISURE = "leisure", "Loisirs - Sports - Culture"
    ASSOCIATIONS = "associations", "Associations"


PROCEDURE_THEMES = frozenset(
    {
        Theme.PAPERS_CITIZENSHIP,
        Theme.FAMILY_SCHOOL,
        Theme.SOCIAL_HEALTH,
        Theme.WORK_TRAINING,
        Theme.HOUSING,
        Theme.TRANSPORT,
        Theme.MONEY_TAXES,
        Theme.JUSTICE,
        Theme.FOREIGNERS_EUROPE,
        Theme.LEISURE,
        Theme.ASSOCIATIONS,
    }
)


def theme_group(theme: str) -> ThemeGroup:
    return ThemeGroup.PROCEDURE if theme in PROCEDURE_THEMES else ThemeGroup.DIGITAL


def themes_of(group: str) -> list[Theme]:
    return [theme for theme in Theme if theme_group(theme) == group]


# The Coop's identifiers, for exports compared with the national tool.
COOP_CODES = {
    Theme.DIGITAL_DIAGNOSIS: "DiagnosticNumerique",
    Theme.HARDWARE_BASICS: "PrendreEnMainDuMateriel",
    Theme.HARDWARE_MAINTENANCE: "MaintenanceDeMateriel",
    Theme.DIGITAL_CONTENT: "GereSesContenusNumeriques",
    Theme.WEB_BROWSING: "NavigationSurInternet",
    Theme.EMAIL: "Email",
    Theme.OFFICE_SOFTWARE: "Bureautique",
    Theme.SOCIAL_NETWORKS: "ReseauxSociaux",
    Theme.HEALTH: "Sante",
    Theme.BANKING_SHOPPING: "BanqueEtAchatsEnLigne",
    Theme.ENTREPRENEURSHIP: "Entrepreneuriat",
    Theme.EMPLOYMENT: "InsertionProfessionnelle",
    Theme.SECURITY: "SecuriteNumerique",
    Theme.PARENTING: "Parentalite",
    Theme.SCHOOLING: "ScolariteEtNumerique",
    Theme.CREATING: "CreerAvecLeNumerique",
    Theme.DIGITAL_CULTURE: "CultureNumerique",
    Theme.ARTIFICIAL_INTELLIGENCE: "IntelligenceArtificielle",
    Theme.PROCEDURE_HELP: "AideAuxDemarchesAdministratives",
    Theme.PAPERS_CITIZENSHIP: "PapiersElectionsCitoyennete",
    Theme.FAMILY_SCHOOL: "FamilleScolarite",
    Theme.SOCIAL_HEALTH: "SocialSante",
    Theme.WORK_TRAINING: "TravailFormation",
    Theme.HOUSING: "Logement",
    Theme.TRANSPORT: "TransportsMobilite",
    Theme.MONEY_TAXES: "ArgentImpots",
    Theme.JUSTICE: "Justice",
    Theme.FOREIGNERS_EUROPE: "EtrangersEurope",
    Theme.LEISURE: "LoisirsSportsCulture",
    Theme.ASSOCIATIONS: "Associations",
}


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
