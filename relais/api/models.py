"""API tokens: a secret shown once, stored as its SHA-256, with scopes and a revocation date.

The secret has 256 bits of entropy (``secrets.token_urlsafe(32)``), so a fast hash is enough:
nobody can brute-force it, and a lookup by hash is one indexed query per request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from relais.core.models import TimeStampedModel

from .enums import Scope


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Not revoked and not expired: a token is valid up to its expiry date included."""
        return self.filter(revoked_at__isnull=True, expires_on__gte=timezone.localdate())


class ApiToken(TimeStampedModel):
    name = models.CharField(
        "usage",
        max_length=120,
        help_text="L'application cliente, ex. « Tableau de bord open data ».",
    )
    prefix = models.CharField("début du jeton", max_length=12, db_index=True)
    token_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    scopes = models.JSONField("portées", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    # Every token expires: a forgotten client stops reading data on its own (issue 20).
    expires_on = models.DateField("expire le", help_text="Dernier jour de validité du jeton.")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["revoked_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(scopes=[]), name="api_token_has_scopes"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [labels.get(s, s) for s in self.scopes or []]
