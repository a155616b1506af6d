"""The one function that computes every date of an agreement (Art. 6 and 7)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from relais.agreements.enums import AgreementStatus, EndReason, TerminationKind
from relais.agreements.lifecycle import (
    Terms,
    add_months,
    anniversary,
    compute_timeline,
    notice_expiry,
    opposition_deadline_for,
)

SEED = Terms(
    signature_dates=(date(2024, 3, 5), date(2024, 3, 20), date(2024, 3, 12)),
    sent_for_signature_on=date(2024, 3, 1),
    hard_end=date(2026, 6, 22),
)


def test_draft_then_awaiting_signatures():
    assert compute_timeline(Terms(), date(2024, 1, 1)).status == AgreementStatus.DRAFT
    pending = Terms(signature_dates=(None, None), sent_for_signature_on=date(2024, 3, 1))
    timeline = compute_timeline(pending, date(2024, 3, 2))
    assert timeline.status == AgreementStatus.AWAITING_SIGNATURES
    assert timeline.unsigned_count == 2
    partly = Terms(signature_dates=(date(2024, 3, 5), None))
    assert compute_timeline(partly, date(2024, 3, 6)).status == "awaiting_signatures"


def test_in_force_from_the_last_signature_with_opposition_deadline():
    timeline = compute_timeline(SEED, date(2025, 1, 10))
    assert timeline.status == AgreementStatus.IN_FORCE
    assert timeline.start == date(2024, 3, 20)
    assert timeline.next_anniversary == date(2025, 3, 20)
    assert timeline.opposition_deadline == date(2025, 1, 20)
    assert timeline.anniversaries == (date(2025, 3, 20), date(2026, 3, 20))


def test_seed_agreement_has_ended_on_its_hard_end_date():
    timeline = compute_timeline(SEED, date(2026, 11, 26))
    assert timeline.status == AgreementStatus.ENDED
    assert timeline.end_date == date(2026, 6, 22)
    assert timeline.end_reason == EndReason.HARD_END
    assert compute_timeline(SEED, date(2026, 6, 22)).status == AgreementStatus.IN_FORCE
    assert compute_timeline(SEED, date(2026, 6, 23)).status == AgreementStatus.ENDED


def test_opposition_in_time_ends_at_the_next_anniversary():
    terms = Terms(**{**SEED.__dict__, "opposed_on": date(2025, 1, 20)})
    timeline = compute_timeline(terms, date(2025, 2, 1))
    assert timeline.end_date == date(2025, 3, 19)
    assert timeline.end_reason == EndReason.OPPOSITION
    assert timeline.opposition_deadline is None


def test_late_opposition_applies_to_the_following_anniversary():
    terms = Terms(**{**SEED.__dict__, "opposed_on": date(2025, 1, 21)})
    timeline = compute_timeline(terms, date(2025, 2, 1))
    assert timeline.end_date == date(2026, 3, 19)


def test_opposition_too_late_for_any_renewal_before_the_hard_end_changes_nothing():
    terms = Terms(**{**SEED.__dict__, "opposed_on": date(2026, 2, 1)})
    timeline = compute_timeline(terms, date(2026, 2, 2))
    assert (timeline.end_date, timeline.end_reason) == (date(2026, 6, 22), EndReason.HARD_END)


def test_termination_for_fault_30_days_after_receipt_unless_remedied():
    terms = Terms(
        **{
            **SEED.__dict__,
            "termination_kind": TerminationKind.FAULT,
            "notice_received_on": date(2025, 3, 1),
        }
    )
    timeline = compute_timeline(terms, date(2025, 3, 10))
    assert timeline.pending_termination_on == date(2025, 3, 31)
    assert timeline.status == AgreementStatus.IN_FORCE
    ended = compute_timeline(terms, date(2025, 4, 1))
    assert (ended.status, ended.end_reason) == ("ended", EndReason.TERMINATION_FAULT)
    remedied = Terms(**{**terms.__dict__, "remedied_on": date(2025, 3, 20)})
    assert compute_timeline(remedied, date(2025, 4, 1)).status == AgreementStatus.IN_FORCE


def test_force_majeure_and_dissolution():
    majeure = Terms(
        **{
            **SEED.__dict__,
            "termination_kind": TerminationKind.FORCE_MAJEURE,
            "notified_on": date(2024, 12, 2),
        }
    )
    assert compute_timeline(majeure, date(2025, 6, 1)).end_date == date(2025, 1, 1)
    dissolved = Terms(
        **{
            **SEED.__dict__,
            "termination_kind": TerminationKind.DISSOLUTION,
            "dissolved_on": date(2024, 9, 30),
        }
    )
    timeline = compute_timeline(dissolved, date(2024, 10, 1))
    assert (timeline.status, timeline.end_date) == ("ended", date(2024, 9, 30))


def test_without_tacit_renewal_the_agreement_lasts_its_duration():
    terms = Terms(signature_dates=(date(2024, 1, 31),), tacit_renewal=False)
    timeline = compute_timeline(terms, date(2024, 6, 1))
    assert (timeline.end_date, timeline.end_reason) == (date(2025, 1, 30), EndReason.TERM)


def test_month_end_and_leap_day_edge_cases():
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2024, 4, 30), -2) == date(2024, 2, 29)
    assert opposition_deadline_for(date(2025, 4, 30), 2) == date(2025, 2, 28)
    assert opposition_deadline_for(date(2025, 12, 31), 2) == date(2025, 10, 31)
    # A start on 29 February: 28 February in common years, 29 again in leap years, no drift.
    start = date(2024, 2, 29)
    assert [anniversary(start, 12, k) for k in (1, 2, 3, 4)] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]
    assert notice_expiry(date(2024, 2, 1), 30) == date(2024, 3, 2)
    assert notice_expiry(date(2025, 2, 1), 30) == date(2025, 3, 3)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    today_offset=st.integers(min_value=0, max_value=3000),
    duration=st.sampled_from([6, 12, 24, 36]),
)
def test_invariants(start, today_offset, duration):
    terms = Terms(signature_dates=(start,), duration_months=duration)
    today = start + timedelta(days=today_offset)
    timeline = compute_timeline(terms, today)
    assert timeline.status == AgreementStatus.IN_FORCE
    assert timeline.next_anniversary > today
    assert list(timeline.anniversaries) == sorted(timeline.anniversaries)
    assert timeline.opposition_deadline < timeline.next_anniversary
    # An opposition made on the deadline ends the agreement on the eve of that anniversary.
    opposed = Terms(
        signature_dates=(start,), duration_months=duration, opposed_on=timeline.opposition_deadline
    )
    ended = compute_timeline(opposed, today)
    assert ended.end_date == timeline.next_anniversary - timedelta(days=1)
