"""Who to write to: the addresses of active accounts, for the e-mails the apps send."""

from .enums import Role
from .models import User


def emails_of(users) -> list[str]:
    """The addresses of the active accounts among ``users``, each once, sorted."""
    return sorted(
        set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def coordinator_emails() -> list[str]:
    """The Département's coordination: who answers for the controller and the agreements."""
    return emails_of(User.objects.filter(role=Role.COORDINATOR))


def partner_staff_emails(organisation_id) -> list[str]:
    return emails_of(User.objects.filter(role=Role.PARTNER_STAFF, organisation=organisation_id))
