"""Public catalogue and iCal feeds (no login); catalogue and programme management (staff)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from relais.core.forms import add_errors
from relais.core.pagecache import cached_public_page
from relais.core.params import parse_id
from relais.core.perms import require
from relais.jobs.exports import export_response
from relais.places.models import Place

from . import perms, queries
from .forms import ProgrammeForm, SessionForm, TopicForm
from .ics import calendar_bytes
from .models import WorkshopSession, WorkshopTopic
from .services import (
    local_datetime,
    session_create,
    session_series_create,
    topic_create,
    topic_update,
)

# --- Public ---------------------------------------------------------------------------------------


@require_GET
@cached_public_page
def catalogue(request):
    """Public: the published workshops and their next sessions, optionally for one place."""
    places = (
        Place.objects.active()
        .filter(workshop_sessions__in=WorkshopSession.objects.open_for_registration())
        .distinct()
        .order_by("name")
    )
    place = None
    slug = request.GET.get("lieu", "")
    if slug:
        place = next((p for p in places if p.slug == slug), None)
    return render(
        request,
        "workshops/catalogue.html",
        {"topics": queries.published_catalogue(place), "places": places, "place": place},
    )


@require_GET
def topic_detail(request, slug: str):
    """Public: one published workshop, with its open sessions."""
    topic = get_object_or_404(WorkshopTopic.objects.published(), slug=slug)
    return render(
        request,
        "workshops/topic_detail.html",
        {"topic": topic, "sessions": queries.topic_sessions(topic)},
    )


@require_GET
def place_ics(request, slug: str):
    """Public: the iCal feed of a place's workshops, for calendar subscriptions."""
    place = get_object_or_404(Place.objects.active(), slug=slug)
    content = calendar_bytes(
        queries.place_feed_sessions(place), name=f"Ateliers numériques — {place.name}"
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ateliers-{place.slug}.ics"'
    return response


# --- Staff: catalogue -----------------------------------------------------------------------------


@login_required
def topic_list(request):
    require(perms.can_view_topics(request.user))
    topics = WorkshopTopic.objects.order_by("status", "title")
    return render(
        request,
        "workshops/topic_list.html",
        {"topics": topics, "can_manage": perms.can_manage_topics(request.user)},
    )


def _topic_form_view(request, topic: WorkshopTopic | None):
    require(perms.can_manage_topics(request.user))
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if topic is None:
                topic = topic_create(**data)
                messages.success(request, f"L'atelier « {topic.title} » est créé.")
            else:
                topic = topic_update(topic=topic, **data)
                messages.success(request, f"L'atelier « {topic.title} » est enregistré.")
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("workshops:topic_list")
    return render(request, "workshops/topic_form.html", {"form": form, "topic": topic})


@login_required
def topic_new(request):
    return _topic_form_view(request, None)


@login_required
def topic_edit(request, pk: int):
    return _topic_form_view(request, get_object_or_404(WorkshopTopic, pk=pk))


# --- Staff: sessions ------------------------------------------------------------------------------


@login_required
def session_list(request):
    require(perms.can_view_sessions(request.user))
    places = Place.objects.visible_to(request.user).active().order_by("name")
    place = places.filter(slug=request.GET.get("lieu", "")).first()
    sessions = queries.staff_sessions(request.user, place=place)
    return render(
        request,
        "workshops/session_list.html",
        {
            "sessions": sessions,
            "places": places,
            "place": place,
            "can_manage": perms.can_manage_sessions(request.user),
            "can_see_people": not request.user.is_partner_staff,
        },
    )


@login_required
def session_new(request):
    require(perms.can_manage_sessions(request.user))
    initial = {"occurrences": 1}
    topic = WorkshopTopic.objects.filter(pk=parse_id(request.GET.get("atelier"))).first()
    if topic:
        initial["topic"] = topic
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "topic": data["topic"],
            "place": data["place"],
            "duration_minutes": data["duration_minutes"],
            "capacity": data["capacity"],
            "waiting_list_cap": data["waiting_list_cap"],
            "advisors": data["advisors"],
        }
        try:
            if data["occurrences"] == 1:
                session_create(starts_at=local_datetime(data["day"], data["start_time"]), **common)
                messages.success(request, "La séance est programmée.")
            else:
                result = session_series_create(
                    first_day=data["day"],
                    start_time=data["start_time"],
                    occurrences=data["occurrences"],
                    **common,
                )
                text = f"{len(result.sessions)} séance(s) programmée(s)."
                if result.skipped:
                    text += f" Jours fériés sautés : {result.skipped_text}."
                messages.success(request, text)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(f"{reverse('workshops:session_list')}?lieu={data['place'].slug}")
    return render(request, "workshops/session_form.html", {"form": form, "session": None})


# --- Staff: programme export (annexe 2) -----------------------------------------------------------


@login_required
def programme(request):
    require(perms.can_export_programme(request.user))
    today = timezone.localdate()
    if "first" in request.GET:
        form = ProgrammeForm(request.GET, user=request.user)
    else:
        form = ProgrammeForm(
            initial={"first": today, "last": today + timedelta(days=90), "format": "pdf"},
            user=request.user,
        )
    if form.is_bound and form.is_valid():
        # The file at once when small, else a job a worker writes (relais.jobs.exports).
        return export_response(request, "programme", form.cleaned_data["format"])
    return render(request, "workshops/programme.html", {"form": form})
