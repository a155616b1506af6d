"""The agreement's calendar, computed by one pure function from the facts of Art. 6 and 7.

Every date the product shows or alerts on (start, anniversaries, opposition deadlines, notices,
end) comes from :func:`compute_timeline`, so the rules live in one tested place.

Conventions used throughout:
- an agreement is *in force* from the day of its last signature (Art. 6);
- ``end_date`` is the **last day** the agreement is in force;
- anniversaries are computed from the start date (``start + k years``), never by adding a year
  to the previous anniversary, so a start on 29 February gives 28 February in common years and
  29 February again in leap years, with no drift;
- month arithmetic clamps to the end of the month (30 April − 2 months = 28/29 February);
- a notice of N calendar days "from receipt" expires at the end of the Nth day after receipt
  (day of receipt not counted, as in French procedure), which is then the last day in force.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .enums import AgreementStatus, EndReason, TerminationKind


@dataclass(frozen=True)
class Terms:
    """The facts the timeline depends on: clauses of the agreement and recorded events."""

    signature_dates: tuple[date | None, ...] = ()
    sent_for_signature_on: date | None = None
    duration_months: int = 12
    tacit_renewal: bool = True
    opposition_notice_months: int = 2
    hard_end: date | None = None
    notice_days: int = 30  # Art. 7.1: after the formal notice is received
    force_majeure_notice_days: int = 30  # Art. 7.2: after the notification
    opposed_on: date | None = None
    termination_kind: str = ""
    notice_received_on: date | None = None  # fault: formal notice received by the defaulting party
    remedied_on: date | None = None  # fault: breach remedied
    notified_on: date | None = None  # force majeure: notification received
    dissolved_on: date | None = None  # dissolution of the partner


@dataclass(frozen=True)
class Timeline:
    status: str
    start: date | None = None
    end_date: date | None = None
    end_reason: str = ""
    anniversaries: tuple[date, ...] = ()
    next_anniversary: date | None = None
    opposition_deadline: date | None = None
    pending_termination_on: date | None = None
    unsigned_count: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_in_force(self) -> bool:
        return self.status == AgreementStatus.IN_FORCE


def add_months(day: date, months: int) -> date:
    """``day`` shifted by a number of months, clamped to the end of the month."""
    return day + relativedelta(months=months)


def anniversary(start: date, period_months: int, k: int) -> date:
    """The k-th anniversary of ``start`` (k ≥ 1), computed from the start to avoid drift."""
    return add_months(start, period_months * k)


def opposition_deadline_for(anniversary_date: date, notice_months: int) -> date:
    """Last day to oppose the tacit renewal taking effect on ``anniversary_date``."""
    return add_months(anniversary_date, -notice_months)


def notice_expiry(received_on: date, days: int) -> date:
    """End of a notice of ``days`` calendar days counted from the day after receipt."""
    return received_on + timedelta(days=days)


def _opposition_end(terms: Terms, start: date) -> date | None:
    """The end caused by an opposition: the eve of the first anniversary it was in time for."""
    if terms.opposed_on is None or not terms.tacit_renewal:
        return None
    k = 1
    while True:
        candidate = anniversary(start, terms.duration_months, k)
        if terms.opposed_on <= opposition_deadline_for(candidate, terms.opposition_notice_months):
            return candidate - timedelta(days=1)
        k += 1
        if terms.hard_end and candidate > terms.hard_end:
            return None  # too late for any renewal before the hard end


def _termination_end(terms: Terms) -> tuple[date | None, str]:
    kind = terms.termination_kind
    if kind == TerminationKind.FAULT and terms.notice_received_on:
        expiry = notice_expiry(terms.notice_received_on, terms.notice_days)
        if terms.remedied_on and terms.remedied_on <= expiry:
            return None, ""
        return expiry, EndReason.TERMINATION_FAULT
    if kind == TerminationKind.FORCE_MAJEURE and terms.notified_on:
        return (
            notice_expiry(terms.notified_on, terms.force_majeure_notice_days),
            EndReason.FORCE_MAJEURE,
        )
    if kind == TerminationKind.DISSOLUTION and terms.dissolved_on:
        return terms.dissolved_on, EndReason.DISSOLUTION
    return None, ""


def compute_timeline(terms: Terms, today: date) -> Timeline:
    """Status and every key date of an agreement on ``today``."""
    signatures = terms.signature_dates
    unsigned = sum(1 for d in signatures if d is None)
    if not signatures or unsigned:
        started = terms.sent_for_signature_on is not None or unsigned < len(signatures)
        status = AgreementStatus.AWAITING_SIGNATURES if started else AgreementStatus.DRAFT
        return Timeline(status=status, unsigned_count=unsigned if signatures else 0)

    start = max(signatures)
    ends: list[tuple[date, str]] = []
    if terms.hard_end:
        ends.append((terms.hard_end, EndReason.HARD_END))
    if not terms.tacit_renewal:
        term_end = anniversary(start, terms.duration_months, 1) - timedelta(days=1)
        ends.append((term_end, EndReason.TERM))
    opposition_end = _opposition_end(terms, start)
    if opposition_end:
        ends.append((opposition_end, EndReason.OPPOSITION))
    termination_end, termination_reason = _termination_end(terms)
    if termination_end:
        ends.append((termination_end, termination_reason))
    end_date, end_reason = min(ends) if ends else (None, "")

    # Anniversaries up to the end, or (open-ended) up to the first one after today.
    anniversaries = []
    k = 1
    while True:
        candidate = anniversary(start, terms.duration_months, k)
        if end_date is not None and candidate > end_date:
            break
        anniversaries.append(candidate)
        if end_date is None and candidate > today:
            break
        k += 1

    if today < start:
        status = AgreementStatus.AWAITING_SIGNATURES
    elif end_date is not None and today > end_date:
        status = AgreementStatus.ENDED
    else:
        status = AgreementStatus.IN_FORCE

    next_anniversary = next((a for a in anniversaries if a > today), None)
    deadline = None
    if (
        status == AgreementStatus.IN_FORCE
        and terms.tacit_renewal
        and next_anniversary
        and terms.opposed_on is None
    ):
        deadline = opposition_deadline_for(next_anniversary, terms.opposition_notice_months)

    pending = None
    if termination_end and termination_end >= today and status == AgreementStatus.IN_FORCE:
        pending = termination_end

    return Timeline(
        status=status,
        start=start,
        end_date=end_date,
        end_reason=end_reason,
        anniversaries=tuple(anniversaries),
        next_anniversary=next_anniversary,
        opposition_deadline=deadline,
        pending_termination_on=pending,
    )
