from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "relais.bookings"
    label = "bookings"
    verbose_name = "Inscriptions et messages"

    def ready(self) -> None:
        # The sources of an adviser's busy time (relais.team.busy), read by every caller.
        from .busy_sources import register

        register()
