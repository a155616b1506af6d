"""Planning checks, in French: errors (impossible or not allowed) and warnings (to look at).

- ``double_booking`` (error): an adviser expected at two places at the same time;
- ``travel`` (error): two consecutive permanences of a day too close for the drive between
  them (:mod:`relais.planning.travel`);
- ``working_time`` (warning): permanences plus travel over a week exceed the adviser's weekly
  working time;
- ``day_off`` (warning): a permanence on a day the adviser does not work (part time) or
  outside their contract;
- ``opening_hours`` (warning): a permanence outside the place's opening hours, when known;
- ``agreement_period`` (error): a slot's dates outside the period of the agreement covering
  the place (the agreement may have ended or been terminated since the slot was created);
- ``unstaffed`` (warning): an occurrence with no adviser left (leave), to be replaced;
- ``commitment`` (error): an adviser present at a permanence while a workshop they run at
  another place, a committee meeting or the drive to or from one takes that time — read from
  the one model of an adviser's time, :mod:`relais.team.busy` (a workshop at the same place
  may be held during the permanence).

The checks read occurrences (:mod:`relais.planning.occurrences`), so recurrences, holidays,
closures, leave and one-off exceptions are all taken into account.
"""

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from opening_hours import OpeningHours, State

from relais.core.dates import monday_of
from relais.core.french import at_place, french_time, french_time_range, of_place
from relais.team.busy import busy_intervals, clashes
from relais.team.enums import BusyKind

from .enums import OccurrenceStatus, Weekday
from .occurrences import Occurrence, occurrences_between, week_workload_hours
from .periods import agreement_period_problem, agreement_periods_by_place
from .travel import travel_minutes

ERROR = "error"
WARNING = "warning"
HORIZON_WEEKS = 8  # how far ahead a slot is checked from the day it is edited


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str
    slot_keys: tuple = ()
    advisor_id: int | None = None
    url: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def level_label(self) -> str:
        return "Erreur" if self.is_error else "Attention"


def slot_key(slot):
    """Identifies a slot in findings, including one not saved yet."""
    return slot.pk if slot.pk else f"nouvelle-{id(slot)}"


def day_label(day: date) -> str:
    return f"{Weekday(day.weekday()).label} {day:%d/%m/%Y}"


def _hours(moment: datetime) -> str:
    return french_time(moment)


def _span(occurrence: Occurrence) -> str:
    return french_time_range(occurrence.start, occurrence.end)


def _hours_text(hours: float) -> str:
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    if minutes == 60:
        whole, minutes = whole + 1, 0
    return f"{whole} h {minutes:02d}" if minutes else f"{whole} h"


def _slot_url(slot) -> str:
    return slot.get_absolute_url() if slot.pk else ""


# --- Occurrence-level checks ----------------------------------------------------------------


def _by_advisor_and_day(occurrences):
    grouped = defaultdict(list)
    advisors = {}
    for occurrence in occurrences:
        if occurrence.status == OccurrenceStatus.CANCELLED:
            continue
        for advisor in occurrence.advisors_present:
            grouped[(advisor.pk, occurrence.date)].append(occurrence)
            advisors[advisor.pk] = advisor
    return grouped, advisors


def _double_bookings_and_travel(occurrences) -> list[Finding]:
    grouped, advisors = _by_advisor_and_day(occurrences)
    findings, seen = [], set()
    for (advisor_id, day), day_occurrences in sorted(grouped.items(), key=lambda i: i[0][1]):
        advisor = advisors[advisor_id]
        ordered = sorted(day_occurrences, key=lambda o: o.start)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                if first.overlaps(second):
                    keys = (slot_key(first.slot), slot_key(second.slot))
                    if ("double_booking", advisor_id, frozenset(keys)) in seen:
                        continue
                    seen.add(("double_booking", advisor_id, frozenset(keys)))
                    findings.append(
                        Finding(
                            ERROR,
                            "double_booking",
                            f"{advisor} devrait être à deux endroits en même temps le "
                            f"{day_label(day)} : {first.place} ({_span(first)}) et "
                            f"{second.place} ({_span(second)}).",
                            keys,
                            advisor_id,
                            _slot_url(second.slot),
                        )
                    )
        for before, after in itertools.pairwise(ordered):
            if before.overlaps(after):
                continue
            needed = travel_minutes(before.place.commune, after.place.commune)
            gap = int((after.start - before.end).total_seconds() // 60)
            keys = (slot_key(before.slot), slot_key(after.slot))
            if gap < needed and ("travel", advisor_id, keys) not in seen:
                seen.add(("travel", advisor_id, keys))
                findings.append(
                    Finding(
                        ERROR,
                        "travel",
                        f"{advisor} n'a que {gap} min le {day_label(day)} pour aller "
                        f"{of_place(str(before.place))} ({before.place.commune.name}, fin à "
                        f"{_hours(before.end)}) {at_place(str(after.place))} "
                        f"({after.place.commune.name}, "
                        f"début à {_hours(after.start)}) : trajet estimé à {needed} min.",
                        keys,
                        advisor_id,
                        _slot_url(after.slot),
                    )
                )
    return findings


def _working_time(occurrences, start: date, end: date) -> list[Finding]:
    """Weekly hours per adviser, for the whole ISO weeks inside ``start``…``end``."""
    weeks = defaultdict(list)
    advisors = {}
    for occurrence in occurrences:
        monday = monday_of(occurrence.date)
        if monday < start or monday + timedelta(days=6) > end:
            continue
        for advisor in occurrence.advisors_present:
            weeks[(advisor.pk, monday)].append(occurrence)
            advisors[advisor.pk] = advisor
    findings, seen = [], set()
    for (advisor_id, monday), week in sorted(weeks.items(), key=lambda i: i[0][1]):
        advisor = advisors[advisor_id]
        hours = week_workload_hours(advisor, week)
        if hours > float(advisor.weekly_hours) + 1e-9 and advisor_id not in seen:
            seen.add(advisor_id)  # once per adviser: the first week it happens
            findings.append(
                Finding(
                    WARNING,
                    "working_time",
                    f"{advisor} : {_hours_text(hours)} prévues la semaine du "
                    f"{monday:%d/%m/%Y} (permanences et trajets) pour "
                    f"{_hours_text(float(advisor.weekly_hours))} de temps de travail "
                    "hebdomadaire.",
                    tuple({slot_key(o.slot) for o in week}),
                    advisor_id,
                    reverse("team:detail", kwargs={"pk": advisor_id}),
                )
            )
    return findings


def _days_off(occurrences) -> list[Finding]:
    findings, seen = [], set()
    for occurrence in occurrences:
        if occurrence.status == OccurrenceStatus.CANCELLED:
            continue
        for advisor in occurrence.advisors_present:
            if advisor.works_on(occurrence.date):
                continue
            key = (advisor.pk, slot_key(occurrence.slot))
            if key in seen:
                continue
            seen.add(key)
            if occurrence.date.weekday() not in advisor.working_days:
                why = f"ne travaille pas le {Weekday(occurrence.date.weekday()).label}"
            else:
                why = "n'est pas sous contrat à cette date"
            findings.append(
                Finding(
                    WARNING,
                    "day_off",
                    f"{advisor} {why} : permanence {at_place(str(occurrence.place))} le "
                    f"{day_label(occurrence.date)}.",
                    (slot_key(occurrence.slot),),
                    advisor.pk,
                    _slot_url(occurrence.slot),
                )
            )
    return findings


@functools.lru_cache(maxsize=256)
def _opening_hours(expression: str):
    try:
        return OpeningHours(expression)
    except Exception:  # invalid expressions are refused by the place form; never crash here
        return None


def is_within_opening_hours(expression: str, start: datetime, end: datetime) -> bool | None:
    """True/False when the place's hours say so for the whole window; None when unknown."""
    hours = _opening_hours(expression) if expression else None
    if hours is None:
        return None
    naive_start, naive_end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    states = [state for _, _, state, _ in hours.intervals(naive_start, naive_end)]
    if any(state == State.UNKNOWN for state in states):
        return None
    return all(state == State.OPEN for state in states)


def _opening_hours_findings(occurrences) -> list[Finding]:
    findings, seen = [], set()
    for occurrence in occurrences:
        key = slot_key(occurrence.slot)
        if key in seen or occurrence.status == OccurrenceStatus.CANCELLED:
            continue
        expression = occurrence.place.opening_hours
        if is_within_opening_hours(expression, occurrence.start, occurrence.end) is False:
            seen.add(key)
            findings.append(
                Finding(
                    WARNING,
                    "opening_hours",
                    f"La permanence du {occurrence.slot.schedule_display} "
                    f"{at_place(str(occurrence.place))} "
                    f"est en dehors des horaires d'ouverture du lieu ({expression}).",
                    (key,),
                    None,
                    _slot_url(occurrence.slot),
                )
            )
    return findings


def _unstaffed(occurrences) -> list[Finding]:
    findings = []
    for occurrence in occurrences:
        if occurrence.status != OccurrenceStatus.UNSTAFFED:
            continue
        url = ""
        if occurrence.slot.pk:
            url = reverse(
                "planning:occurrence",
                kwargs={"pk": occurrence.slot.pk, "day": occurrence.date.isoformat()},
            )
        findings.append(
            Finding(
                WARNING,
                "unstaffed",
                f"Permanence sans conseiller le {day_label(occurrence.date)} "
                f"{at_place(str(occurrence.place))} ({_span(occurrence)}) — {occurrence.reason}. "
                "Choisissez un remplaçant.",
                (slot_key(occurrence.slot),),
                None,
                url,
            )
        )
    return findings


def _agreement_periods(slots) -> list[Finding]:
    findings = []
    # One read for every place, not one per place (the page stays within its query budget).
    periods = agreement_periods_by_place({slot.place_id for slot in slots})
    for slot in slots:
        problem = agreement_period_problem(
            slot.place, slot.valid_from, slot.valid_until, periods[slot.place_id]
        )
        if problem:
            findings.append(
                Finding(
                    ERROR,
                    "agreement_period",
                    f"Permanence {slot.schedule_display} {at_place(str(slot.place))} : {problem}",
                    (slot_key(slot),),
                    None,
                    _slot_url(slot),
                )
            )
    return findings


# What the read model adds to the permanences: the other permanences, the leave and the
# appointments are already checked above (or inside permanences by construction).
COMMITMENT_KINDS = (BusyKind.WORKSHOP, BusyKind.MEETING)


def _commitments(occurrences, start: date, end: date) -> list[Finding]:
    held = [o for o in occurrences if o.status != OccurrenceStatus.CANCELLED]
    advisor_ids = {a.pk for o in held for a in o.advisors_present}
    if not advisor_ids:
        return []
    busy = busy_intervals(advisor_ids, start, end, kinds=COMMITMENT_KINDS, with_travel=False)
    if not busy:
        return []
    findings, seen = [], set()
    for occurrence in held:
        for advisor in occurrence.advisors_present:
            found = clashes(
                busy,
                advisor_id=advisor.pk,
                start=occurrence.start,
                end=occurrence.end,
                place=occurrence.place,
            )
            for item in found:
                if item.kind == BusyKind.WORKSHOP and item.place_id == occurrence.place.pk:
                    continue  # a workshop held during the permanence, at its place
                key = (advisor.pk, slot_key(occurrence.slot), occurrence.date, item.ref)
                if key in seen:
                    continue
                seen.add(key)
                findings.append(
                    Finding(
                        ERROR,
                        "commitment",
                        f"{advisor} devrait assurer la permanence "
                        f"{of_place(str(occurrence.place))} le "
                        f"{day_label(occurrence.date)} ({_span(occurrence)}) mais n'est pas "
                        f"disponible : {item.describe()}.",
                        (slot_key(occurrence.slot),),
                        advisor.pk,
                        _slot_url(occurrence.slot),
                    )
                )
    return findings


def check_occurrences(occurrences, start: date, end: date) -> list[Finding]:
    """Every occurrence-level check over a computed set of occurrences."""
    return (
        _double_bookings_and_travel(occurrences)
        + _commitments(occurrences, start, end)
        + _days_off(occurrences)
        + _working_time(occurrences, start, end)
        + _opening_hours_findings(occurrences)
        + _unstaffed(occurrences)
    )


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (not f.is_error, f.code))


# --- Entry points ---------------------------------------------------------------------------


def planning_findings(start: date, end: date) -> list[Finding]:
    """All findings of the planning from ``start`` to ``end`` (the coordinators' page)."""
    from .models import Slot

    slots = list(Slot.objects.valid_between(start, end).with_related())
    occurrences = occurrences_between(start, end, slots=slots)
    return _sorted(_agreement_periods(slots) + check_occurrences(occurrences, start, end))


def slot_horizon(slot, today: date | None = None) -> tuple[date, date]:
    """Whole weeks checked for a slot: from its start or this week, for HORIZON_WEEKS weeks."""
    today = today or timezone.localdate()
    first = max(slot.valid_from, today) if slot.valid_from else today
    if slot.valid_until and first > slot.valid_until:  # a past slot: check its own dates
        first = slot.valid_from
    monday = monday_of(first)
    return monday, monday + timedelta(weeks=HORIZON_WEEKS, days=-1)


def slot_findings(slot, advisors, *, today: date | None = None) -> list[Finding]:
    """Findings that concern ``slot`` (saved or not) with these ``advisors``."""
    start, end = slot_horizon(slot, today)
    occurrences = occurrences_between(start, end, extra_slots=[(slot, list(advisors))])
    key = slot_key(slot)
    advisor_ids = {a.pk for a in advisors}
    findings = [
        f
        for f in check_occurrences(occurrences, start, end)
        if key in f.slot_keys and (f.advisor_id is None or f.advisor_id in advisor_ids)
    ]
    if slot.place_id and slot.valid_from:
        findings = _agreement_periods([slot]) + findings
    return _sorted(findings)
