"""Read models for the home dashboards, one function per role."""

from django.db.models import Count, Q
from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.agreements.deadlines import upcoming_deadlines
from relais.agreements.queries import communication_requests_to_decide
from relais.committee.queries import meeting_alert
from relais.core.dates import monday_of
from relais.core.models import Organisation
from relais.places.models import Place
from relais.planning.coverage import coverage_table
from relais.planning.queries import advisor_week
from relais.team.enums import AdvisorKind
from relais.team.models import Advisor
from relais.workshops.queries import sessions_awaiting_report


def _places_with_missing_requirements(places) -> list[Place]:
    return [p for p in places if p.missing_requirements]


def coordinator_dashboard(user) -> dict:
    """Programme overview: partners, places, team composition, places to bring up to standard."""
    places = list(Place.objects.active().select_related("commune", "partner"))
    team = Advisor.objects.active().aggregate(
        total=Count("pk"),
        ambassadors=Count("pk", filter=Q(kind=AdvisorKind.AMBASSADOR)),
        cnfs=Count("pk", filter=Q(kind=AdvisorKind.CNFS)),
    )
    this_week = monday_of(timezone.localdate())
    return {
        "coverage_shortfalls": coverage_table(this_week, weeks=2, held=False).shortfalls,
        "partner_count": Organisation.objects.partners().count(),
        "place_count": len(places),
        "team": team,
        "places_to_check": _places_with_missing_requirements(places),
        "agreement_deadlines": upcoming_deadlines(timezone.localdate())[:8],
        "committee_alert": _committee_alert(),
        "communication_to_decide": communication_requests_to_decide(user),
    }


def _committee_alert():
    """Art. 3.4: an alert when the committee has not met in the last 12 months."""
    return meeting_alert()


def advisor_dashboard(user) -> dict:
    """The adviser's own profile and their next permanences (from the planning)."""
    advisor = Advisor.objects.with_user().filter(user=user).first()
    upcoming = advisor_week(advisor, timezone.localdate(), days=7)[:5] if advisor else []
    return {"advisor": advisor, "upcoming": upcoming, **_reports_due(advisor)}


REPORTS_DUE_SHOWN = 10


def _reports_due(advisor) -> dict:
    """« Comptes rendus à saisir »: the workshop sessions the adviser ran, not reported yet."""
    if advisor is None:
        return {"reports_due": [], "reports_due_count": 0}
    sessions = sessions_awaiting_report(advisor)
    return {
        "reports_due": list(sessions[:REPORTS_DUE_SHOWN]),
        "reports_due_count": sessions.count(),
    }


def partner_dashboard(user) -> dict:
    """The partner's places and whether each meets the convention's requirements."""
    places = list(
        Place.objects.visible_to(user).active().select_related("commune").order_by("name")
    )
    return {
        "organisation": user.organisation,
        "places": places,
        "communication_to_decide": communication_requests_to_decide(user),
    }


def committee_dashboard() -> dict:
    return {
        "committee_alert": _committee_alert(),
        "partner_count": Organisation.objects.partners().count(),
        "place_count": Place.objects.active().count(),
        "advisor_count": Advisor.objects.active().count(),
    }


def administrator_dashboard() -> dict:
    """Accounts per role, and the accounts that still have to enrol a second factor."""
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    pending = (
        User.objects.filter(
            is_active=True, role__in=[Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR]
        )
        .exclude(totpdevice__confirmed=True)
        .order_by("last_name", "first_name")
    )
    return {
        "role_counts": [(label, counts.get(value, 0)) for value, label in Role.choices],
        "pending_two_factor": list(pending[:50]),
        "pending_two_factor_count": pending.count(),
    }


def dashboard_for(user) -> tuple[str, dict]:
    """Template and context of the home dashboard for a user's role."""
    match user.role:
        case Role.COORDINATOR:
            return "dashboards/coordinator.html", coordinator_dashboard(user)
        case Role.ADVISOR:
            return "dashboards/advisor.html", advisor_dashboard(user)
        case Role.PARTNER_STAFF:
            return "dashboards/partner.html", partner_dashboard(user)
        case Role.COMMITTEE_MEMBER:
            return "dashboards/committee.html", committee_dashboard()
        case _:
            return "dashboards/administrator.html", administrator_dashboard()
