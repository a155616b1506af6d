"""A place's own appointment rules (« Réglages des rendez-vous »)."""

from django.db import transaction

from relais.core.pagecache import public_pages_changed
from relais.core.perms import require

from .. import perms
from ..models import PlaceAppointmentSettings

PLACE_SETTINGS_FIELDS = frozenset(
    {"appointments_enabled", "min_notice_hours", "horizon_days", "walk_in_percent"}
)


def place_appointment_settings_update(*, place, user, **values) -> PlaceAppointmentSettings:
    """Set ``place``'s own appointment rules (« Réglages des rendez-vous »).

    ``values``: any of ``appointments_enabled``, ``min_notice_hours``, ``horizon_days``,
    ``walk_in_percent`` (``None``: the département-wide value); the others are kept. The row is
    created on first use. Raises ``PermissionDenied`` unless ``user`` may change the place's
    settings (``perms.can_edit_place_appointment_settings``), ``ValidationError`` (French
    messages, nothing saved) on invalid values and ``TypeError`` on an unknown name.
    Appointments already booked are kept whatever the new rules.
    """
    unknown = sorted(set(values) - PLACE_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown appointment setting(s): {', '.join(unknown)}")
    require(perms.can_edit_place_appointment_settings(user, place))
    with transaction.atomic():
        instance = PlaceAppointmentSettings.objects.select_for_update().filter(
            place=place
        ).first() or PlaceAppointmentSettings(place=place)
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        public_pages_changed(place)  # its page shows the booking button, or not
    place.appointment_settings = instance  # what availability reads on this instance from now
    return instance
