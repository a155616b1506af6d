"""Agreement and deliberation pages (thin: reads in queries, writes in services)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from relais.core.perms import require

from .. import perms, queries
from ..enums import EndReason
from ..importing import agreement_discrepancies
from ..models import Agreement, Deliberation
from ..validation import problems_of


@login_required
def agreement_list(request):
    require(perms.can_view_agreements(request.user))
    rows = queries.agreements_with_timelines(request.user)
    return render(
        request,
        "agreements/agreement_list.html",
        {"rows": rows, "can_manage": perms.can_manage_agreement(request.user)},
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = get_object_or_404(Agreement.objects.with_related(), pk=pk)
    require(perms.can_view_agreement(request.user, agreement))
    today = timezone.localdate()
    timeline = agreement.timeline(today)
    commitments = list(queries.commitments_valid_on(agreement, today))
    context = {
        "agreement": agreement,
        "timeline": timeline,
        "end_reason_label": EndReason(timeline.end_reason).label if timeline.end_reason else "",
        "todos": queries.agreement_todos(agreement, timeline),
        "discrepancies": agreement_discrepancies(agreement),
        "parties": agreement.parties.select_related("organisation", "deliberation"),
        "signatories": agreement.signatories.all(),
        "commitments": commitments,
        "totals": queries.commitment_totals(commitments),
        "amendments": agreement.amendments.all(),
        "annexes": agreement.annexes.all(),
        "sources": agreement.sources.all(),
        "insurance_certificates": agreement.insurance_certificates.all(),
        "contacts": agreement.contacts.all(),
        "communication_requests": agreement.communication_requests.select_related(
            "agreement__partner"
        ),
        "can_request_communication": perms.can_request_communication(request.user, agreement),
        "can_manage": perms.can_manage_agreement(request.user, agreement),
        "has_successor": Agreement.objects.filter(predecessor=agreement).exists(),
    }
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def deliberation_detail(request, pk: int):
    deliberation = get_object_or_404(Deliberation.objects.select_related("organisation"), pk=pk)
    require(perms.can_view_deliberation(request.user, deliberation))
    members = list(deliberation.members.all())
    context = {
        "deliberation": deliberation,
        "present": [m for m in members if m.attendance == "present"],
        "proxies": [m for m in members if m.attendance == "proxy"],
        "excused": [m for m in members if m.attendance == "excused"],
        "rows": deliberation.schedule_rows.select_related("place"),
        "problems": problems_of(deliberation),
    }
    return render(request, "agreements/deliberation_detail.html", context)
