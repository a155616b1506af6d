from django.db import models


class RetentionAction(models.TextChoices):
    DELETE = "delete", "Suppression"
    ANONYMISE = "anonymise", "Anonymisation"


class JournalAction(models.TextChoices):
    """What a journal entry records. Values are stored and hashed: never rename one."""

    MANDATE_ACTION = "mandate_action", "Action sous mandat"
    PERSONAL_DATA_VIEW = "personal_data_view", "Consultation de données personnelles"
    PERSONAL_DATA_EXPORT = "personal_data_export", "Export de données personnelles"
    PURGE = "purge", "Purge (fin de durée de conservation)"
    RIGHTS_REQUEST = "rights_request", "Demande d'exercice des droits"


# The role recorded for entries written by a scheduled job rather than a person.
SYSTEM_ROLE = "system"
