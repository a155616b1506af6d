from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "relais.bookings"
    label = "bookings"
    verbose_name = "Inscriptions et messages"
