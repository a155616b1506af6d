import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache

from relais.beneficiaries.forms import NewPersonForm
from relais.core import french
from relais.core.forms import add_errors
from relais.core.params import parse_id
from relais.core.perms import require

from . import perms, queries
from .enums import ActivityKind, Theme, ThemeGroup, theme_group
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


RECORDED = "L'activité est enregistrée."
ALREADY_RECORDED = "Cette activité était déjà enregistrée."
ALREADY_REPORTED = "Cette séance d'atelier a déjà son compte rendu : le voici."


def _existing_report(session):
    return session.activity_reports.first() if session is not None else None


def _advisor(request):
    require(perms.can_record_activity(request.user))
    return request.user.advisor


def _kind(request) -> str:
    kind = request.GET.get("kind", ActivityKind.INDIVIDUAL)
    return kind if kind in ActivityKind.values else ActivityKind.INDIVIDUAL


def _wants_json(request) -> bool:
    """static/activities/offline.js sends the form with fetch and asks for JSON: it must tell a
    recorded activity from a refused one without following a redirect it cannot read."""
    return request.headers.get("Accept", "").startswith("application/json")


def _recorded(request, activity, message: str, level: int = messages.INFO):
    # A replay from the phone's queue (X-Relais-Replay) may run on any page, long after the
    # entry: no flash message for a page the adviser did not ask for.
    if request.headers.get("X-Relais-Replay") != "1":
        messages.add_message(request, level, message)
    if _wants_json(request):
        return JsonResponse({"url": activity.get_absolute_url(), "message": message})
    return redirect(activity)


def _refused(form):
    """The form's errors as the queue shows them: each French message after its field's label."""
    errors = [
        {"field": str(form.fields[name].label) if name in form.fields else "", "message": str(m)}
        for name, messages_ in form.errors.items()
        for m in messages_
    ]
    return JsonResponse({"errors": errors}, status=400)


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
                    return _recorded(request, report, ALREADY_REPORTED)
                if isinstance(error, IntegrityError):
                    raise
                add_errors(form, error)
            else:
                if activity.advisor_id != advisor.pk:  # a key is never shared: do not leak
                    raise PermissionDenied
                if created:
                    return _recorded(request, activity, RECORDED, messages.SUCCESS)
                return _recorded(request, activity, ALREADY_RECORDED)
        if _wants_json(request):
            return _refused(form)
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
            # « Nouvelle personne » inline (issue 17 §1), sent by htmx on its own.
            "new_person_form": NewPersonForm() if kind == ActivityKind.INDIVIDUAL else None,
        },
    )


def _activity_or_404(request, pk: int):
    activity = queries.activity_for_detail(pk)
    if activity is None:
        raise Http404
    require(perms.can_view_activity(request.user, activity))
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
    require(perms.can_change_activity(request.user, activity))
    form_class = FORMS[activity.kind]
    if request.method == "POST":
        form = form_class(request.POST, require_key=False, user=request.user)
        if form.is_valid():
            try:
                activity_update(activity=activity, data=_data(form))
            except ValidationError as error:
                add_errors(form, error)
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


# --- Offline entry (docs/decisions/0008-offline-activity-entry.md) -----------------------------
# The static files the activity forms need without a network; the service worker precaches them.
OFFLINE_STATIC = (
    "relais/relais.css",
    "relais/forms.js",
    "relais/pwa.js",
    "relais/vendor/htmx.min.js",
    "relais/favicon.svg",
    "beneficiaries/picker.js",
    "beneficiaries/new_person.js",
    "activities/activities.css",
    "activities/draft.js",
    "activities/offline.js",
)


@lru_cache(maxsize=1)
def _service_worker_version() -> str:
    """A digest of the worker's template and of the files it precaches: any change to them
    changes the worker's bytes, which is how a browser knows to install the new one."""
    digest = hashlib.sha256(get_template("activities/service_worker.js").template.source.encode())
    for name in OFFLINE_STATIC:
        path = finders.find(name)
        digest.update(Path(path).read_bytes() if path else name.encode())
    return digest.hexdigest()[:16]


@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, at the site root so that its scope covers the forms. Public: it
    holds no data, and the browser checks it for updates whoever is logged in."""
    context = {
        "version": _service_worker_version(),
        "precache": json.dumps([static(name) for name in OFFLINE_STATIC]),
        "form_path": reverse("activities:create"),
        "collective": ActivityKind.COLLECTIVE,
        "lists_path": reverse("activities:offline_lists"),
        "token_path": reverse("activities:offline_token"),
        "personal_cache": PERSONAL_CACHE,
    }
    return render(request, "activities/service_worker.js", context, "text/javascript")


@cache_control(max_age=24 * 60 * 60)
def web_manifest(request):
    """What makes Relais installable on an adviser's phone (browsers fetch it without cookies)."""
    manifest = {
        "name": f"Relais · {settings.RELAIS_DEPARTMENT_NAME}",
        "short_name": "Relais",
        "lang": "fr-FR",
        "start_url": reverse("activities:create"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f6c",
        "icons": [
            {"src": static("relais/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("relais/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("relais/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


# The Cache Storage name of the only copy of personal data the worker keeps (the adviser's recent
# people): fixed, not versioned, so that logging out can delete it by name (ADR 0008).
PERSONAL_CACHE = "relais-personal-v1"


def _offline_person(person) -> dict:
    """One person as the offline search shows them: the line of the online picker
    (beneficiaries/widgets/picker_person.html), and the folded name it searches."""
    visit = (
        f"dernière visite le {french.short_date(person.last_activity_on)}"
        if person.last_activity_on
        else "aucune visite"
    )
    meta = [f"naissance : {person.birth_year or 'inconnue'}"]
    if person.commune_id:
        meta.append(person.commune.name)
    meta.append(visit)
    return {
        "id": person.pk,
        "name": person.display_name,
        "key": person.name_key,
        "meta": " · ".join(meta),
    }


def _json_refusal(request) -> JsonResponse | None:
    """Another role than an adviser's gets a JSON 403 (logged out: the login page, as
    everywhere; the worker reads either as « nothing to keep, nothing to send »)."""
    if not perms.can_record_activity(request.user):
        return JsonResponse({"error": "Accès réservé aux conseillers."}, status=403)
    return None


@login_required
@never_cache  # private, no-store: personal data, never kept by a proxy nor the HTTP cache
def offline_lists(request):
    """What the activity form needs offline (ADR 0008), kept by the service worker in
    ``PERSONAL_CACHE``: the themes, the adviser's places, and the people this adviser recorded
    an activity with lately (at most 50, 6 months) — no one else from the team's file."""
    refusal = _json_refusal(request)
    if refusal is not None:
        return refusal
    advisor = request.user.advisor
    today = timezone.localdate()
    return JsonResponse(
        {
            "user": request.user.pk,
            "date": today.isoformat(),
            "themes": [
                {"value": t.value, "label": t.label, "group": theme_group(t.value).value}
                for t in Theme
            ],
            "places": [
                {"id": place.pk, "name": place.name}
                for place in queries.offline_places(advisor, today)
            ],
            "people": [_offline_person(p) for p in queries.offline_people(advisor, today)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@never_cache
def offline_token(request):
    """A CSRF token for the open session, and whose session it is: the service worker sends
    the queue with it (Background Sync), and sends nothing under another account."""
    refusal = _json_refusal(request)
    if refusal is not None:
        return refusal
    return JsonResponse({"user": request.user.pk, "csrf": get_token(request)})
