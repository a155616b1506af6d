from django.db import models


# A user's role (relais.accounts.models.User.role); here because core's permission rules and
# menu (relais.core.perms, relais.core.navigation) read it and core sits below accounts.
class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinateur du Département"
    ADVISOR = "advisor", "Conseiller numérique"
    PARTNER_STAFF = "partner_staff", "Agent d'une structure partenaire"
    COMMITTEE_MEMBER = "committee_member", "Membre du comité technique"
    ADMINISTRATOR = "administrator", "Administrateur"


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", "Département"
    EPCI = "epci", "Intercommunalité (EPCI)"
    MUNICIPALITY = "municipality", "Commune"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre structure"


# --- The themes of La Coop de la médiation numérique (see relais.activities.enums) ------------
# Here, in the lowest layer, because workshop topics (relais.workshops) and activities both use
# them and workshops sit below activities.


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
