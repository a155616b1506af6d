import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from relais.core.params import parse_id

from . import perms, queries
from .enums import ActivityKind, ThemeGroup
from .forms import CollectiveActivityForm, IndividualActivityForm
from .services import EDIT_WINDOW, activity_record, activity_update

PAGE_SIZE = 30
FORMS = {
    ActivityKind.INDIVIDUAL: IndividualActivityForm,
    ActivityKind.COLLECTIVE: CollectiveActivityForm,
}
TITLES = {
    ActivityKind.INDIVIDUAL: "Nouvel accompagnement",
    ActivityKind.COLLECTIVE: "Nouvel atelier collectif",
}
# localStorage keys of the drafts kept by static/activities/draft.js.
DRAFT_KEYS = {kind: f"relais-draft-activity-{kind}" for kind in ActivityKind.values}


def _draft_key(kind: str, session_id: int | None = None) -> str:
    """A session's report keeps its own draft: another session's unsent report (title, counts,
    the hidden session) must never be restored into this one."""
    return f"{DRAFT_KEYS[kind]}-session-{session_id}" if session_id else DRAFT_KEYS[kind]


ALREADY_REPORTED = "Cette séance d'atelier a déjà son compte rendu : le voici."


def _existing_report(session):
    return session.activity_reports.first() if session is not None else None


def _advisor(request):
    if not perms.can_record_activity(request.user):
        raise PermissionDenied
    return request.user.advisor


def _kind(request) -> str:
    kind = request.GET.get("kind", ActivityKind.INDIVIDUAL)
    return kind if kind in ActivityKind.values else ActivityKind.INDIVIDUAL


def _data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("idempotency_key", None)
    return data


@login_required
def activity_list(request):
    advisor = _advisor(request)
    page = Paginator(queries.activities_for_list(advisor), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/activity_list.html",
        {"page": page, "edit_window_days": EDIT_WINDOW.days},
    )


@login_required
def activity_create(request):
    """« Nouvel accompagnement »: prefilled from context, idempotent on re-submission."""
    advisor = _advisor(request)
    kind = _kind(request)
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            # A session has one report: a second form for it (another tab, a co-leader) shows
            # the first report instead of failing, even when both posts cross (IntegrityError).
            session = form.cleaned_data.get("workshop_session")
            try:
                activity, created = activity_record(
                    advisor=advisor,
                    kind=kind,
                    data=_data(form),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except (ValidationError, IntegrityError) as error:
                report = _existing_report(session)
                if report is not None:
                    messages.info(request, ALREADY_REPORTED)
                    return redirect(report)
                if isinstance(error, IntegrityError):
                    raise
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if activity.advisor_id != advisor.pk:  # a key is never shared: do not leak
                    raise PermissionDenied
                if created:
                    messages.success(request, "L'activité est enregistrée.")
                else:
                    messages.info(request, "Cette activité était déjà enregistrée.")
                return redirect(activity)
    else:
        today = timezone.localdate()
        initial = {
            "idempotency_key": uuid.uuid4(),
            "date": today,
            "place": queries.default_place(advisor, today, request.GET.get("place", "")),
        }
        if kind == ActivityKind.COLLECTIVE:
            initial.update(queries.initial_from_session(request.GET.get("session", "")))
            report = _existing_report(initial.get("workshop_session"))
            if report is not None:
                messages.info(request, ALREADY_REPORTED)
                return redirect(report)
        beneficiary_id = parse_id(request.GET.get("beneficiary"))
        if kind == ActivityKind.INDIVIDUAL and beneficiary_id:
            initial["beneficiary"] = beneficiary_id  # looked up among those the user may see
        form = form_class(initial=initial, user=request.user)
    return render(
        request,
        f"activities/activity_form_{kind}.html",
        {
            "form": form,
            "kind": kind,
            "title": TITLES[kind],
            "draft_key": _draft_key(kind, getattr(form, "linked_session_id", None)),
            "is_new": True,
            "theme_groups": ThemeGroup,
        },
    )


def _activity_or_404(request, pk: int):
    activity = queries.activity_for_detail(pk)
    if activity is None:
        raise Http404
    if not perms.can_view_activity(request.user, activity):
        raise PermissionDenied
    return activity


@login_required
def activity_detail(request, pk: int):
    activity = _activity_or_404(request, pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "can_view_notes": perms.can_view_private_notes(request.user, activity),
            "private_notes": queries.private_notes_for(request.user, activity),
            "can_change": perms.can_change_activity(request.user, activity),
            "draft_key": _draft_key(activity.kind, activity.workshop_session_id),
        },
    )


@login_required
def activity_edit(request, pk: int):
    activity = _activity_or_404(request, pk)
    if not perms.can_change_activity(request.user, activity):
        raise PermissionDenied
    form_class = FORMS[activity.kind]
    if request.method == "POST":
        form = form_class(request.POST, require_key=False, user=request.user)
        if form.is_valid():
            try:
                activity_update(activity=activity, data=_data(form))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "L'activité est modifiée.")
                return redirect(activity)
    else:
        form = form_class(
            initial=form_class.initial_from(activity, viewer=request.user),
            require_key=False,
            user=request.user,
        )
    return render(
        request,
        f"activities/activity_form_{activity.kind}.html",
        {
            "form": form,
            "kind": activity.kind,
            "title": "Modifier l'activité",
            "activity": activity,
            "draft_key": "",
            "is_new": False,
        },
    )
