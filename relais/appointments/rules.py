"""The booking rules in force: the département's defaults, and a place's overrides on top.

Pure functions on plain values, without the models: the model's validation
(``PlaceAppointmentSettings.clean``) and the availability (``availability.py``) both read
them, and neither imports the other for it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Rules:
    """The booking rules in force somewhere: the département's, or a place's."""

    enabled: bool
    min_notice_hours: float
    horizon_days: float
    walk_in_share: float  # 0 to 1

    @property
    def min_notice(self) -> timedelta:
        return timedelta(hours=self.min_notice_hours)

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=self.horizon_days)

    @property
    def walk_in_percent(self) -> int:
        return round(self.walk_in_share * 100)


def _clamp_share(share: float) -> float:
    return min(max(float(share), 0.0), 1.0)


def days_text(days) -> str:
    """« 1 jour », « 30 jours » (French plurals from the catalog, locale/fr)."""
    return ngettext("%(count)s jour", "%(count)s jours", int(days)) % {"count": f"{days:g}"}


def department_rules() -> Rules:
    """The département-wide defaults (``RELAIS_APPOINTMENT_*`` settings)."""
    return Rules(
        enabled=True,
        min_notice_hours=settings.RELAIS_APPOINTMENT_MIN_NOTICE_HOURS,
        horizon_days=settings.RELAIS_APPOINTMENT_HORIZON_DAYS,
        walk_in_share=_clamp_share(settings.RELAIS_APPOINTMENT_WALK_IN_SHARE),
    )


def merge_rules(defaults: Rules, override) -> Rules:
    """``defaults`` with a place's overrides applied (pure function: no query).

    ``override``: the place's :class:`~.models.PlaceAppointmentSettings`, or ``None``.
    """
    if override is None:
        return defaults
    return Rules(
        enabled=override.appointments_enabled,
        min_notice_hours=(
            defaults.min_notice_hours
            if override.min_notice_hours is None
            else override.min_notice_hours
        ),
        horizon_days=(
            defaults.horizon_days if override.horizon_days is None else override.horizon_days
        ),
        walk_in_share=(
            defaults.walk_in_share
            if override.walk_in_percent is None
            else _clamp_share(override.walk_in_percent / 100)
        ),
    )
