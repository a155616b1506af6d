"""Committee pages: overview, members, meetings, action items and the annual review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from relais.core.forms import add_errors
from relais.core.perms import require
from relais.core.validators import error_text
from relais.reporting.charts import data_uri
from relais.reporting.perms import sees_exact_figures

from . import documents, perms, queries, services
from .forms import ActionItemForm, MeetingForm, MemberForm, ReviewForm
from .models import ActionItem, CommitteeMember, Meeting
from .review import annual_review, render_review_pdf

# The figures of each chart are also in the table that follows it.
CHART_ALTS = {
    "series": "Courbe des activités et accompagnements par mois (données dans le tableau suivant)",
    "held": "Barres des demi-journées tenues par lieu (données dans le tableau suivant)",
    "themes": "Barres des activités par thématique (données dans le tableau suivant)",
    "ages": "Barres des accompagnements par tranche d'âge (données dans le tableau suivant)",
}


def _form_page(request, form, *, title: str, save, back: str, success: str):
    """GET/POST of one form through a service; errors of ``full_clean`` go back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            instance = save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(instance.get_absolute_url() if hasattr(instance, "get_absolute_url")
                            else back)  # fmt: skip
    return render(request, "committee/form.html", {"form": form, "title": title, "back": back})


@login_required
def index(request):
    require(perms.can_view_committee(request.user))
    context = queries.committee_overview()
    context["can_manage"] = perms.can_manage_committee(request.user)
    today = timezone.localdate()
    # In December the year's review is the one being prepared; before, last year's.
    context["review_year"] = today.year if today.month == 12 else today.year - 1
    return render(request, "committee/index.html", context)


@login_required
def member_list(request):
    require(perms.can_view_committee(request.user))
    members = CommitteeMember.objects.select_related("organisation").order_by(
        "left_on", "category", "full_name"
    )
    return render(
        request,
        "committee/member_list.html",
        {"members": members, "can_manage": perms.can_manage_committee(request.user)},
    )


@login_required
def member_create(request):
    require(perms.can_manage_committee(request.user))
    return _form_page(
        request,
        MemberForm(request.POST or None),
        title="Nouveau membre du comité",
        save=lambda data: services.member_create(user=request.user, data=data),
        back=reverse("committee:member_list"),
        success="Le membre est enregistré.",
    )


@login_required
def member_edit(request, pk: int):
    require(perms.can_manage_committee(request.user))
    member = get_object_or_404(CommitteeMember, pk=pk)
    return _form_page(
        request,
        MemberForm(request.POST or None, instance=member),
        title=f"Modifier « {member.full_name} »",
        save=lambda data: services.member_update(user=request.user, member=member, data=data),
        back=reverse("committee:member_list"),
        success="Le membre est modifié.",
    )


@login_required
def meeting_create(request):
    require(perms.can_manage_committee(request.user))
    return _form_page(
        request,
        MeetingForm(request.POST or None),
        title="Nouvelle réunion du comité",
        save=lambda data: services.meeting_create(user=request.user, data=data),
        back=reverse("committee:index"),
        success="La réunion est enregistrée.",
    )


@login_required
def meeting_detail(request, pk: int):
    require(perms.can_view_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    can_manage = perms.can_manage_committee(request.user)
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("organisation"),
        "actions": meeting.action_items.select_related("owner_member", "partner"),
        "can_manage": can_manage,
    }
    if can_manage:  # addresses are for those who convene the committee
        context.update(queries.meeting_convocation(meeting))
    return render(request, "committee/meeting_detail.html", context)


@login_required
@require_POST
def meeting_invite(request, pk: int):
    require(perms.can_manage_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        sent = services.meeting_send_invitations(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        # Say what happened: messages are queued, not yet delivered.
        if sent:
            count = len(sent)
            messages.success(
                request,
                ngettext(
                    "%(count)d convocation mise dans la file d'envoi",
                    "%(count)d convocations mises dans la file d'envoi",
                    count,
                )
                % {"count": count}
                + " ; l'état de chacune (envoyée ou en échec) s'affiche ci-dessous une fois "
                "l'envoi tenté.",
            )
        else:
            messages.info(
                request,
                "Aucune convocation envoyée : chaque membre qui a une adresse a déjà la "
                "convocation à jour (envoyée ou dans la file d'envoi).",
            )
    return redirect(f"{meeting.get_absolute_url()}#convocation")


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def meeting_minutes_pdf(request, pk: int):
    require(perms.can_view_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return _attachment(
        documents.render_minutes_pdf(meeting), f"compte-rendu-comite-{meeting.date}.pdf"
    )


@login_required
def meeting_attendance_pdf(request, pk: int):
    """Members' names and structures, to sign: for those who convene the committee."""
    require(perms.can_manage_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return _attachment(
        documents.render_attendance_sheet_pdf(meeting), f"emargement-comite-{meeting.date}.pdf"
    )


@login_required
def meeting_edit(request, pk: int):
    require(perms.can_manage_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return _form_page(
        request,
        MeetingForm(request.POST or None, instance=meeting),
        title=f"Modifier la réunion du {meeting.date:%d/%m/%Y}",
        save=lambda data: services.meeting_update(user=request.user, meeting=meeting, data=data),
        back=meeting.get_absolute_url(),
        success="La réunion est modifiée.",
    )


@login_required
def action_create(request, meeting_pk: int):
    require(perms.can_manage_committee(request.user))
    meeting = get_object_or_404(Meeting, pk=meeting_pk)
    return _form_page(
        request,
        ActionItemForm(request.POST or None),
        title=f"Nouvelle action — {meeting}",
        save=lambda data: (
            services.action_item_create(user=request.user, meeting=meeting, data=data).meeting
        ),
        back=meeting.get_absolute_url(),
        success="L'action est enregistrée.",
    )


@login_required
def action_edit(request, pk: int):
    require(perms.can_manage_committee(request.user))
    item = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    return _form_page(
        request,
        ActionItemForm(request.POST or None, instance=item),
        title=f"Modifier l'action « {item.title} »",
        save=lambda data: (
            services.action_item_update(user=request.user, item=item, data=data).meeting
        ),
        back=item.meeting.get_absolute_url(),
        success="L'action est modifiée.",
    )


def _review_params(request):
    """(form, year, partner) from ?annee=&structure=; partner staff get their structure."""
    data = {"annee": timezone.localdate().year, **request.GET.dict()}
    if request.user.is_partner_staff:
        data["structure"] = request.user.organisation_id
    form = ReviewForm(data)
    if not form.is_valid():
        form = ReviewForm({"annee": timezone.localdate().year})
        form.is_valid()
    partner = form.cleaned_data.get("structure")
    if request.user.is_partner_staff:
        partner = request.user.organisation
    require(perms.can_view_review(request.user, partner))
    return form, form.cleaned_data["annee"], partner


@login_required
def review(request):
    form, year, partner = _review_params(request)
    result = annual_review(year=year, partner=partner, exact=sees_exact_figures(request.user))
    return render(
        request,
        "committee/review.html",
        {
            "form": form,
            "review": result,
            "figures": result.figures,
            "charts": {
                name: format_html(
                    '<img src="{}" alt="{}">', data_uri(svg), CHART_ALTS.get(name, "Graphique")
                )
                for name, svg in result.charts.items()
            },
            "query": request.GET.urlencode(),
        },
    )


@login_required
def review_pdf(request):
    _, year, partner = _review_params(request)
    result = annual_review(year=year, partner=partner, exact=sees_exact_figures(request.user))
    response = HttpResponse(render_review_pdf(result), content_type="application/pdf")
    filename = slugify(f"bilan-{year}-{partner.name if partner else 'departement'}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
