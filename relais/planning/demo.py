"""Demo data, planning: a week of permanences meeting every commitment of the seed's table.

Art. 1.2 asks, per week: Prades 2 days (4 half-days), Catllar 1 day (2), Los Masos 2
half-days, Vinça, Marquixanes, Sahorre, Ria-Sirach and Villefranche-de-Conflent one each —
13 half-days. Baillestavy is in the deliberation's table but not in the convention: nothing.

The slots run from 1 September 2026 to 30 June 2027, inside the agreement in force for each
place (the seed's agreement ended on 22 June 2026; its successor is created by the
agreements' demo). When no signed agreement covers a place for that period, its slots are
skipped with a message on stderr rather than weakening the validation.

Advisers live near the places: Léa Pixel (Prades), Sarah Tablette (Vinça, part time, off on
Tuesdays), Théo Onglet (Ille-sur-Têt) and Nathan Octet (Font-Romeu, for Sahorre). Every slot
lies within the place's (illustrative) opening hours. Sarah's leave next week (team demo)
leaves Vinça and Ria-Sirach unstaffed, with replacement candidates proposed.
"""

import sys
from datetime import date, time

from relais.core.demo import DemoContext
from relais.places.models import Place
from relais.team.models import Advisor

from .enums import Recurrence
from .models import Closure, Slot
from .periods import agreement_periods
from .services import commitment_for

VALID_FROM = date(2026, 9, 1)
VALID_UNTIL = date(2027, 6, 30)

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


def _period_for(place: Place) -> tuple[date, date] | None:
    """The demo's dates clamped to the agreement period covering the place, if any."""
    for period in agreement_periods(place):
        start = max(VALID_FROM, period.start)
        end = min(VALID_UNTIL, period.end) if period.end else VALID_UNTIL
        if start <= end:
            return start, end
    return None


def load(ctx: DemoContext) -> None:
    advisors = {a.user.last_name: a for a in Advisor.objects.select_related("user")}
    places = ctx.objects.get("places") or {p.slug: p for p in Place.objects.all()}
    skipped = set()
    for slug, weekday, start, end, names in SLOTS:
        place = places[slug]
        period = _period_for(place)
        if period is None:
            skipped.add(place.name)
            continue
        slot = Slot.objects.filter(place=place, weekday=weekday, start_time=start).first()
        slot = slot or Slot(place=place, weekday=weekday, start_time=start)
        slot.end_time = end
        slot.recurrence = Recurrence.WEEKLY
        slot.valid_from, slot.valid_until = period
        slot.respect_school_holidays = False
        slot.commitment = commitment_for(place, slot.valid_from)
        slot.full_clean()
        slot.save()
        slot.advisors.set([advisors[name] for name in names])
    for slug, start_date, end_date, reason in CLOSURES:
        Closure.objects.update_or_create(
            place=places[slug],
            reason=reason,
            defaults={"start_date": start_date, "end_date": end_date},
        )
    if skipped:
        sys.stderr.write(
            "Planning de démonstration : aucune convention signée ne couvre la période "
            f"{VALID_FROM:%d/%m/%Y}–{VALID_UNTIL:%d/%m/%Y} pour "
            f"{', '.join(sorted(skipped))} ; permanences non créées (la démo des conventions "
            "doit créer la convention qui succède à celle du 22/06/2026).\n"
        )
