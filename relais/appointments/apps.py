from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    """Residents' appointments with an adviser during a permanence (« rendez-vous »)."""

    name = "relais.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self) -> None:
        # Appointments take an adviser's time (relais.team.busy), and are reminded by the one
        # reminder loop of relais.bookings.reminders.
        from .busy_sources import register
        from .services import register_reminders

        register()
        register_reminders()
