from django.db import models


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Réservé"
    CANCELLED = "cancelled", "Annulé"
    DONE = "done", "Honoré"
    NO_SHOW = "no_show", "Personne non venue"


class AppointmentCancelledBy(models.TextChoices):
    RESIDENT = "resident", "La personne (lien reçu)"
    STAFF = "staff", "Un membre de l'équipe"
    SCHEDULE = "schedule", "Changement de planning (absence, fermeture, annulation)"


APPOINTMENT_DURATIONS = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 heure")]
