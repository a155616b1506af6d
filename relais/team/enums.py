from django.db import models


class AdvisorKind(models.TextChoices):
    AMBASSADOR = "ambassador", "Ambassadeur du numérique"
    CNFS = "cnfs", "Conseiller numérique France Services"
