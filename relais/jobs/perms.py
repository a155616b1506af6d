"""Who sees and downloads an export job: the person who asked, and the coordination."""


def can_view_export(user, job) -> bool:
    if not user.is_authenticated:
        return False
    return job.requested_by_id == user.pk or user.is_coordinator or user.is_administrator


def can_view_import(user, job) -> bool:
    """Only the person who sent the file: it and its checked lines name the people imported."""
    return user.is_authenticated and job.requested_by_id == user.pk
