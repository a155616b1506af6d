"""Demo data, planning: a week of permanences meeting every commitment of the seed's table.

Art. 1.2 asks, per week: Prades 2 days (4 half-days), Catllar 1 day (2), Los Masos 2
half-days, Vinça, Marquixanes, Sahorre, Ria-Sirach and Villefranche-de-Conflent one each —
13 half-days. Baillestavy is in the deliberation's table but not in the convention: nothing.

The slots run from 13 months before the day the demo is loaded to 7 months after it, so that
the year of activities of the activities' demo was held in them and the annual review of the
current year sees every committed half-day planned. A slot lies inside one agreement: each
line below becomes one slot per agreement period it crosses (the seed's agreement ended on 22
June 2026; its successor, created by the agreements' demo, starts the next day). When no
signed agreement covers a place for that period, its slots are skipped with a message on
stderr rather than weakening the validation.

Advisers live near the places: Léa Pixel (Prades), Sarah Tablette (Vinça, part time, off on
Tuesdays), Théo Onglet (Ille-sur-Têt) and Nathan Octet (Font-Romeu, for Sahorre). Every slot
lies within the place's (illustrative) opening hours. Sarah's leave next week (team demo)
leaves Vinça and Ria-Sirach unstaffed, with replacement candidates proposed.
"""

import sys
from datetime import date, time, timedelta

from django.utils import timezone

from relais.core.demo import DemoContext
from relais.places.models import Place
from relais.team.models import Advisor

from .enums import Recurrence
from .models import Closure, Slot
from .periods import agreement_periods
from .services import commitment_for

HISTORY = timedelta(days=400)  # the activities' demo covers the last 365 days
AHEAD = timedelta(days=210)


def demo_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - HISTORY, today + AHEAD


SLOTS = [
    # (place slug, weekday 0 = Monday, start, end, advisers' last names)
    ("mediatheque-prades", 1, time(14, 0), time(17, 30), ["Pixel"]),
    ("mediatheque-prades", 2, time(9, 30), time(12, 30), ["Pixel"]),
    ("mediatheque-prades", 3, time(14, 0), time(17, 30), ["Pixel"]),
    ("mediatheque-prades", 4, time(14, 0), time(17, 30), ["Pixel"]),
    ("bibliotheque-catllar", 2, time(14, 0), time(17, 0), ["Pixel"]),
    ("bibliotheque-catllar", 1, time(9, 30), time(12, 30), ["Pixel"]),
    ("commune-los-masos", 0, time(9, 0), time(12, 0), ["Onglet"]),
    ("commune-los-masos", 3, time(9, 0), time(12, 0), ["Onglet"]),
    ("commune-villefranche-de-conflent", 1, time(9, 0), time(12, 0), ["Onglet"]),
    ("mediatheque-marquixanes", 2, time(14, 0), time(17, 30), ["Onglet"]),
    ("mediatheque-vinca", 2, time(14, 0), time(17, 30), ["Tablette"]),
    ("bibliotheque-ria-sirach", 3, time(14, 30), time(17, 30), ["Tablette"]),
    ("bibliotheque-sahorre", 2, time(14, 0), time(17, 0), ["Octet"]),
]

CLOSURES = [
    ("mediatheque-marquixanes", date(2027, 1, 13), date(2027, 1, 16), "Inventaire annuel"),
]


def _periods_for(place: Place, first: date, last: date) -> list[tuple[date, date]]:
    """The demo's dates cut by the agreement periods covering the place, oldest first."""
    periods = []
    for period in agreement_periods(place):
        start = max(first, period.start)
        end = min(last, period.end) if period.end else last
        if start <= end:
            periods.append((start, end))
    return periods


def load(ctx: DemoContext) -> None:
    advisors = {a.user.last_name: a for a in Advisor.objects.select_related("user")}
    places = ctx.objects.get("places") or {p.slug: p for p in Place.objects.all()}
    first, last = demo_period()
    skipped = set()
    kept = []
    for slug, weekday, start, end, names in SLOTS:
        place = places[slug]
        periods = _periods_for(place, first, last)
        if not periods:
            skipped.add(place.name)
            continue
        same_line = Slot.objects.filter(place=place, weekday=weekday, start_time=start)
        previous = list(same_line.order_by("valid_from", "pk"))
        for index, (valid_from, valid_until) in enumerate(periods):
            slot = previous[index] if index < len(previous) else Slot(place=place)
            slot.weekday, slot.start_time, slot.end_time = weekday, start, end
            slot.recurrence = Recurrence.WEEKLY
            slot.valid_from, slot.valid_until = valid_from, valid_until
            slot.respect_school_holidays = False
            slot.commitment = commitment_for(place, slot.valid_from)
            slot.full_clean()
            slot.save()
            slot.advisors.set([advisors[name] for name in names])
            kept.append(slot.pk)
        # A re-run on another day may need fewer slots on the line: drop the extra ones.
        same_line.exclude(pk__in=kept).delete()
    for slug, start_date, end_date, reason in CLOSURES:
        Closure.objects.update_or_create(
            place=places[slug],
            reason=reason,
            defaults={"start_date": start_date, "end_date": end_date},
        )
    if skipped:
        sys.stderr.write(
            "Planning de démonstration : aucune convention signée ne couvre la période "
            f"{first:%d/%m/%Y}–{last:%d/%m/%Y} pour "
            f"{', '.join(sorted(skipped))} ; permanences non créées (la démo des conventions "
            "doit créer la convention qui succède à celle du 22/06/2026).\n"
        )
