"""Who sees the outbox: the coordination and the administrators.

Read from the user's role properties, not ``accounts.enums``: the outbox sits below accounts
(accounts sends its password-reset e-mails through it), so it must not import accounts.
"""


def can_view_outbox(user) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_administrator)
