"""Team writes: advisers' work profile and leave. Every write validates with full_clean()."""

from django.db import transaction

from .models import Advisor, Leave

PROFILE_FIELDS = (
    "training_status",
    "training_date",
    "weekly_hours",
    "working_days",
    "contract_start",
    "contract_end",
    "home_commune",
)


@transaction.atomic
def advisor_update_profile(*, advisor: Advisor, skills=None, **fields) -> Advisor:
    """Change an adviser's work profile (training, working time and days, skills)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Champs non modifiables ici : {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(advisor, name, value)
    advisor.full_clean()
    advisor.save()
    if skills is not None:
        advisor.skills.set(skills)
    return advisor


def leave_create(
    *,
    advisor: Advisor,
    kind: str,
    start_date,
    end_date,
    start_half: str = "am",
    end_half: str = "pm",
    note: str = "",
    created_by=None,
) -> Leave:
    """Record a leave; whole days by default (morning of the first to evening of the last)."""
    leave = Leave(
        advisor=advisor,
        kind=kind,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        note=note,
        created_by=created_by,
    )
    leave.full_clean()
    leave.save()
    return leave


def leave_update(*, leave: Leave, **fields) -> Leave:
    for name, value in fields.items():
        setattr(leave, name, value)
    leave.full_clean()
    leave.save()
    return leave


def leave_delete(*, leave: Leave) -> None:
    leave.delete()
