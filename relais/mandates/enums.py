"""Vocabulary of mandates (convention, art. 2). Values are stored: never rename one."""

from django.db import models

from relais.activities.enums import Theme


class ProcedureFamily(models.TextChoices):
    """The 10 families of administrative procedures a mandate may cover (glossary).

    Values are the Coop's procedure themes of ``relais.activities.enums.Theme`` (same codes, so a
    mandate's scope and an activity's themes compare), minus « Associations », which is not a
    démarche a resident delegates.
    """

    PAPERS = Theme.PAPERS_CITIZENSHIP.value, "Papiers - Élections - Citoyenneté"
    FAMILY = Theme.FAMILY_SCHOOL.value, "Famille - Scolarité"
    SOCIAL = Theme.SOCIAL_HEALTH.value, "Social - Santé"
    WORK = Theme.WORK_TRAINING.value, "Travail - Formation"
    HOUSING = Theme.HOUSING.value, "Logement"
    TRANSPORT = Theme.TRANSPORT.value, "Transports - Mobilité"
    MONEY = Theme.MONEY_TAXES.value, "Argent - Impôts"
    JUSTICE = Theme.JUSTICE.value, "Justice"
    FOREIGNERS = Theme.FOREIGNERS_EUROPE.value, "Étrangers - Europe"
    LEISURE = Theme.LEISURE.value, "Loisirs - Sports - Culture"


class Binding(models.TextChoices):
    """Who may act under the mandate (docs/decisions/0004)."""

    TEAM = "team", "L'équipe départementale (tout conseiller de l'équipe)"
    ADVISOR = "advisor", "Le seul conseiller signataire"


class Mode(models.TextChoices):
    """How the procedures are carried out (art. 2); the signature is always on site."""

    IN_PERSON = "in_person", "Ensemble, en présence de la personne"
    REMOTE = "remote", "À distance, le conseiller agissant à la place de la personne"


class IdentityDocument(models.TextChoices):
    ID_CARD = "id_card", "Carte nationale d'identité"
    PASSPORT = "passport", "Passeport"
    RESIDENCE_PERMIT = "residence_permit", "Titre de séjour"
    DRIVING_LICENCE = "driving_licence", "Permis de conduire"
    OTHER_OFFICIAL = "other_official", "Autre document officiel avec photographie"


class Duration(models.TextChoices):
    PROCEDURE_END = "procedure_end", "Jusqu'à l'aboutissement de la démarche (12 mois au plus)"
    ONE_DAY = "1d", "1 jour"
    ONE_MONTH = "1m", "1 mois"
    SIX_MONTHS = "6m", "6 mois"
    TWELVE_MONTHS = "12m", "12 mois"


class Status(models.TextChoices):
    ACTIVE = "active", "Actif"
    EXPIRED = "expired", "Expiré"
    COMPLETED = "completed", "Démarche aboutie"
    REVOKED = "revoked", "Retiré"


class ActionKind(models.TextChoices):
    """What an adviser did under a mandate (journaled with the procedure, never free text)."""

    ACCOUNT = "account", "Création ou accès à un compte en ligne"
    FORM = "form", "Saisie et envoi d'un formulaire"
    DOCUMENT = "document", "Dépôt ou téléchargement d'un justificatif"
    APPOINTMENT = "appointment", "Prise de rendez-vous"
    FOLLOW_UP = "follow_up", "Suivi d'un dossier en cours"
    DATA_REQUEST = "data_request", "Demande de communication de données personnelles"
    OTHER = "other", "Autre action"
