"""Secret links to the private calendar feed of an adviser (« Mon agenda »).

Only a SHA-256 hash of the secret is stored: a copy of the database does not give anyone the
adviser's calendar. The token shown once to the adviser is ``<key>.<secret>``: ``key`` is a
public, random selector used to find the row, and the hash of ``secret`` is then compared in
constant time. Revoking sets ``revoked_at``; an adviser has at most one link in use.
"""

from django.db import models
from django.db.models import Q


class FeedTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class FeedToken(models.Model):
    """A revocable secret link to an adviser's calendar feed (iCalendar subscription)."""

    advisor = models.ForeignKey(
        "team.Advisor",
        verbose_name="conseiller",
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    key = models.CharField("sélecteur", max_length=16, unique=True)
    token_hash = models.CharField("empreinte du secret (SHA-256)", max_length=64)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "lien d'abonnement à l'agenda"
        verbose_name_plural = "liens d'abonnement à l'agenda"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["advisor"],
                condition=Q(revoked_at__isnull=True),
                name="feed_token_one_active_per_advisor",
            )
        ]

    def __str__(self) -> str:
        state = "révoqué" if self.revoked_at else "actif"
        return f"{self.advisor} · {self.created_at:%d/%m/%Y} · {state}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
