"""Demo data, appointments: three types set by the coordinators, one place with its own rules
(48 h notice) and a few bookings with clearly fictitious people in the coming permanences of
the demo's places (no message is sent: rows are written directly). Idempotent: re-running
leaves the same rows."""

from datetime import timedelta

from django.utils import timezone

from relais.core.demo import DemoContext
from relais.places.models import Place

from .availability import distinct_times, openings
from .consent import CURRENT_APPOINTMENT_CONSENT_VERSION
from .models import Appointment, AppointmentType, PlaceAppointmentSettings

TYPES = [
    (
        "Aide aux démarches en ligne",
        45,
        "Déclaration de revenus, CAF, Ameli, France Travail, ANTS : on fait ensemble, pas à votre "
        "place. Apportez vos identifiants si vous les avez.",
    ),
    (
        "Prise en main d'un smartphone",
        60,
        "Réglages, appels, messages, photos, applications utiles. Venez avec votre téléphone.",
    ),
    (
        "Créer et gérer son adresse e-mail",
        30,
        "Ouvrir une boîte aux lettres électronique, envoyer une pièce jointe, éviter les arnaques.",
    ),
]

# (place slug, type index, first name, last name, e-mail or "", phone or "")
BOOKINGS = [
    ("mediatheque-prades", 0, "Camille", "Exemple", "camille.exemple@exemple.test", ""),
    ("mediatheque-prades", 1, "Claude", "Fictif", "", "+33639980031"),
    ("mediatheque-prades", 2, "Sacha", "Modèle", "sacha.modele@exemple.test", "+33639980032"),
    ("bibliotheque-catllar", 0, "Lou", "Maquette", "lou.maquette@exemple.test", ""),
]


# A place with its own booking rules (« Réglages des rendez-vous »): a quiet village library.
PLACE_SETTINGS = {"bibliotheque-catllar": {"min_notice_hours": 48, "walk_in_percent": 30}}


def _place_settings() -> None:
    for slug, values in PLACE_SETTINGS.items():
        place = Place.objects.filter(slug=slug).first()
        if place is None:
            continue
        settings = PlaceAppointmentSettings.objects.filter(place=place).first()
        settings = settings or PlaceAppointmentSettings(place=place)
        for name, value in values.items():
            setattr(settings, name, value)
        settings.full_clean()
        settings.save()


def load(ctx: DemoContext) -> None:
    _place_settings()
    types = []
    for name, minutes, description in TYPES:
        kind, _ = AppointmentType.objects.update_or_create(
            name=name, defaults={"duration_minutes": minutes, "description": description}
        )
        types.append(kind)
    now = timezone.now()
    for index, (slug, type_index, first, last, email, phone) in enumerate(BOOKINGS):
        place = Place.objects.filter(slug=slug).first()
        if (
            place is None
            or Appointment.objects.filter(
                place=place, first_name=first, last_name=last, starts_at__gte=now
            ).exists()
        ):
            continue
        kind = types[type_index]
        # Spread over the coming permanences: the (index)th free time from next week on.
        free = distinct_times(openings(place, kind, now=now + timedelta(days=3)))
        if not free:
            continue
        opening = free[min(index * 3, len(free) - 1)]
        appointment = Appointment.at_opening(
            opening,
            appointment_type=kind,
            place=place,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            consent_version=CURRENT_APPOINTMENT_CONSENT_VERSION,
            consent_at=now,
        )
        appointment.full_clean()
        appointment.save()
