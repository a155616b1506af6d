"""The task engine's rows hold no personal data, except the export and import jobs (read by
relais.privacy). An import job's rule is declared by the app whose importer it runs (the
beneficiaries' import today), since the file belongs to that app's processing."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db.models import QuerySet

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    PUBLIC_INTEREST,
    RetentionRule,
    declare_no_personal_data,
    register,
)

declare_no_personal_data(
    "jobs.WorkerHeartbeat", reason="Machines et processus de travail : aucune personne."
)
declare_no_personal_data(
    "jobs.PeriodicRun",
    reason="Exécutions des tâches périodiques : nom, heure et compte rendu chiffré.",
)
declare_no_personal_data(
    "django_tasks_database.DBTaskResult",
    reason="Tâches de fond : leurs arguments sont des identifiants de lignes, jamais des "
    "noms, adresses ou numéros (le contenu des messages est dans messaging.OutboxMessage).",
)


def _export_jobs_due(cutoff: datetime) -> QuerySet:
    return apps.get_model("jobs", "ExportJob").objects.filter(created_at__lt=cutoff)


def job_file_destroy(job) -> None:
    """An export or import job: its file, then its row."""
    if job.file:
        job.file.delete(save=False)
    job.delete()


# The hourly job purge-exports deletes each export once its download time is over
# (RELAIS_EXPORT_KEEP_HOURS, 24 h by default); this rule is the backstop of the retention table.
register(
    RetentionRule(
        category="export_jobs",
        model="jobs.ExportJob",
        fields=("params", "file"),
        label="Exports volumineux préparés en arrière-plan (fichier et demande)",
        processing="Statistiques et exports d'activités",
        data_subjects="Personnel (demandeur ; conseillers nommés dans le fichier)",
        purpose="Mettre à disposition du demandeur un export trop long pour être attendu.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(days=2),
        term_label="24 heures de mise à disposition, 2 jours au plus",
        start_event="Demande de l'export",
        due=_export_jobs_due,
        action=RetentionAction.DELETE,
        destroy=job_file_destroy,
        recipients="Le demandeur, les coordinateurs et administrateurs du Département",
    )
)
