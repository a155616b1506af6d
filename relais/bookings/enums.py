from django.db import models


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Inscription confirmée"
    WAITING = "waiting", "Liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class RegistrationSource(models.TextChoices):
    ONLINE = "online", "En ligne"
    STAFF = "staff", "Par un conseiller (téléphone, accueil)"


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excusé"


class MessageChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "En file"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    SKIPPED = "skipped", "Non envoyé"


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Confirmation d'inscription"
    WAITING_LIST = "waiting_list", "Inscription en liste d'attente"
    PROMOTION = "promotion", "Place libérée (sortie de liste d'attente)"
    CANCELLATION = "cancellation", "Annulation d'inscription"
    SESSION_CANCELLED = "session_cancelled", "Annulation de la séance"
    REMINDER = "reminder", "Rappel avant la séance"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Rendez-vous annulé (changement de planning)"
