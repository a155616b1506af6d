"""The task engine's rows hold no personal data (read by relais.privacy)."""

from relais.privacy.registry import declare_no_personal_data

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
