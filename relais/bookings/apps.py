from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "relais.bookings"
    label = "bookings"
    verbose_name = "Inscriptions et messages"

    def ready(self) -> None:
        # The sources of an adviser's busy time (relais.team.busy), read by every caller, and
        # the registrations' kind for the one reminder loop (relais.bookings.reminders).
        from . import reminders
        from .busy_sources import register
        from .services import REGISTRATION_REMINDERS

        register()
        reminders.register(REGISTRATION_REMINDERS)
