from relais.beneficiaries.perms import can_view_named_data


def offline_entry(request):
    """Advisers record activities offline (ADR 0008): their pages load the service worker and
    the queue. The role decides (no query on every page), once the second factor is given: the
    code prompt's page must not register a worker that the 2FA gate would redirect."""
    user = getattr(request, "user", None)
    verified = getattr(user, "is_verified", lambda: False)
    return {"offline_entry": user is not None and can_view_named_data(user) and verified()}
