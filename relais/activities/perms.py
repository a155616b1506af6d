"""Who may record and read activities.

Activity pages show the person helped (a name, under professional secrecy) and are therefore
for the team's advisers only. Decision: coordinators get no activity list here — a list without
names would duplicate the statistics pages built next (issue 6), which give them, the partners
and the committee the aggregates. Private notes are the author's only, on every page.
"""

from relais.beneficiaries.perms import can_view_named_data
from relais.team.perms import can_act_as_advisor


def _own_advisor_id(user):
    advisor = getattr(user, "advisor", None) if user.is_authenticated else None
    return advisor.pk if advisor is not None else None


def can_record_activity(user) -> bool:
    """Advisers with a team profile (an activity belongs to an adviser, not to an account)."""
    return can_view_named_data(user) and can_act_as_advisor(user)


def can_view_activity(user, activity) -> bool:
    return can_view_named_data(user)


def can_view_private_notes(user, activity) -> bool:
    return user.is_authenticated and activity.advisor_id == _own_advisor_id(user)


def can_change_activity(user, activity) -> bool:
    from .services import activity_can_still_be_edited

    return can_view_private_notes(user, activity) and activity_can_still_be_edited(activity)
