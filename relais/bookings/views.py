"""Public registration and its secret link (no account); staff roster, attendance, cancellations."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from relais.core.forms import add_errors
from relais.core.perms import require
from relais.core.ratelimits import public_form_limit
from relais.core.validators import error_text
from relais.workshops import perms as workshop_perms
from relais.workshops.forms import SessionCancelForm, SessionForm
from relais.workshops.models import WorkshopSession
from relais.workshops.queries import report_is_due, seats_left, waiting_list_full
from relais.workshops.services import local_datetime

from . import perms, queries
from .consent import consent_text
from .enums import RegistrationSource, RegistrationStatus
from .forms import AttendanceForm, RegistrationForm, StaffRegistrationForm
from .models import TOKEN_PURPOSE, Registration
from .services import (
    attendance_mark,
    next_sessions,
    registration_cancel,
    registration_create,
    session_cancel,
    session_update,
)
from .tokens import check_token


def _session_for_public(pk: int) -> WorkshopSession:
    session = get_object_or_404(
        WorkshopSession.objects.select_related("topic", "place__commune"), pk=pk
    )
    if not session.topic.is_published:
        raise Http404
    return session


# --- Public ---------------------------------------------------------------------------------------


@never_cache
@public_form_limit("workshop-registration")
def register(request, pk: int):
    """Public: register to a session (a seat, or the waiting list when it is full)."""
    session = _session_for_public(pk)
    if not session.is_open:
        return render(
            request,
            "bookings/closed.html",
            {"session": session, "next_sessions": next_sessions(session)},
        )
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                session=session,
                **form.contact_and_consent(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(registration.get_manage_url() + "?nouvelle=1")
    left = seats_left(session)
    full = waiting_list_full(session)
    return render(
        request,
        "bookings/register.html",
        {
            "session": session,
            "form": form,
            "seats_left": left,
            "is_full": left == 0,
            "waiting_list_full": full,
            "next_sessions": next_sessions(session) if full else [],
        },
    )


def _registration_from_link(public_id, token: str) -> Registration:
    # The same 404 for a malformed or unknown id and a wrong token: the link reveals nothing.
    try:
        public_id = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    if not check_token(TOKEN_PURPOSE, public_id, token):
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("session__topic", "session__place__commune"),
        public_id=public_id,
        anonymised_at__isnull=True,
    )


@never_cache
def manage(request, public_id, token: str):
    """Public, by the secret link: see one's registration and cancel it (POST only, so that a
    mail client opening the link cannot cancel anything)."""
    registration = _registration_from_link(public_id, token)
    if request.method == "POST":
        try:
            registration_cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, "Votre inscription est annulée. Merci de nous avoir prévenus."
            )
        return redirect(registration.get_manage_url())
    session = registration.session
    waiting_rank = None
    if registration.status == RegistrationStatus.WAITING:
        waiting_ids = list(session.registrations.waiting().values_list("pk", flat=True))
        waiting_rank = waiting_ids.index(registration.pk) + 1
    response = render(
        request,
        "bookings/manage.html",
        {
            "registration": registration,
            "session": session,
            "just_registered": request.GET.get("nouvelle") == "1",
            "waiting_rank": waiting_rank,
            "can_cancel": registration.is_active and session.is_open,
            "next_sessions": next_sessions(session) if session.is_cancelled else [],
        },
    )
    # The address is a secret: the site-wide "same-origin" referrer policy keeps it from other
    # sites. Not "no-referrer": browsers would then send "Origin: null" and fail the CSRF check.
    return response


# --- Staff ----------------------------------------------------------------------------------------


def _staff_session(request, pk: int, check) -> WorkshopSession:
    session = get_object_or_404(
        WorkshopSession.objects.select_related("topic", "place__commune"), pk=pk
    )
    require(check(request.user, session))
    return session


@login_required
def roster(request, pk: int):
    """The people registered to a session, the waiting list, attendance and actions."""
    session = _staff_session(request, pk, perms.can_view_registrations)
    roster = queries.session_roster(session)
    return render(
        request,
        "bookings/roster.html",
        {
            "session": session,
            "roster": roster,
            "counts": queries.session_attendance_counts(session),
            "seats_left": seats_left(session),
            "advisors": session.advisors.with_user(),
            "attendance_form": AttendanceForm(registrations=roster["confirmed"])
            if session.starts_at <= timezone.now() and not session.is_cancelled
            else None,
            "can_cancel_session": perms.can_cancel_session(request.user, session)
            and session.is_open,
            # From the start of the session until its report is recorded (issue 14).
            "report_due": perms.can_report_session(request.user, session)
            and report_is_due(session),
            "report": session.activity_reports.first(),
        },
    )


@login_required
def staff_register(request, pk: int):
    session = _staff_session(request, pk, perms.can_register_someone)
    if not session.is_open:
        messages.error(request, "Les inscriptions à cette séance sont closes.")
        return redirect(session)
    form = StaffRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                session=session,
                **form.contact_and_consent(),
                source=RegistrationSource.STAFF,
                registered_by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, f"{registration} est inscrit(e) à la séance.")
            else:
                messages.warning(
                    request, f"Séance complète : {registration} est sur la liste d'attente."
                )
            return redirect(session)
    return render(
        request,
        "bookings/staff_register.html",
        {"session": session, "form": form, "seats_left": seats_left(session)},
    )


@login_required
@require_POST
def attendance(request, pk: int):
    session = _staff_session(request, pk, perms.can_mark_attendance)
    form = AttendanceForm(request.POST, registrations=list(session.registrations.confirmed()))
    if form.is_valid():
        try:
            attendance_mark(session=session, marks=form.marks())
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "Les présences sont enregistrées.")
    else:
        messages.error(request, "Certaines valeurs de présence sont invalides.")
    return redirect(session)


@login_required
@require_POST
def registration_cancel_staff(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("session"), pk=pk)
    require(perms.can_view_registrations(request.user, registration.session))
    try:
        registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"L'inscription de {registration} est annulée.")
    return redirect(registration.session)


@login_required
def session_edit(request, pk: int):
    """Change a session: here, beside its registrations, as the seats a larger capacity frees
    go to the waiting list (the page keeps its address under /ateliers/)."""
    session = get_object_or_404(WorkshopSession.objects.select_related("topic", "place"), pk=pk)
    require(workshop_perms.can_manage_sessions(request.user))
    if session.is_cancelled:
        messages.error(request, "Cette séance est annulée : elle ne peut plus être modifiée.")
        return redirect(session)
    start = timezone.localtime(session.starts_at)
    initial = {
        "topic": session.topic,
        "place": session.place,
        "day": start.date(),
        "start_time": start.time(),
        "duration_minutes": int((session.ends_at - session.starts_at).total_seconds() // 60),
        "capacity": session.capacity,
        "waiting_list_cap": session.waiting_list_cap,
        "advisors": list(session.advisors.all()),
    }
    form = SessionForm(request.POST or None, initial=initial, edit=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = local_datetime(data["day"], data["start_time"])
        duration = data["duration_minutes"] or data["topic"].duration_minutes
        try:
            session_update(
                session=session,
                topic=data["topic"],
                place=data["place"],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=duration),
                capacity=data["capacity"] or session.capacity,
                waiting_list_cap=data["waiting_list_cap"],
                advisors=data["advisors"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La séance est enregistrée.")
            return redirect(session)
    return render(request, "workshops/session_form.html", {"form": form, "session": session})


@login_required
def session_cancel_view(request, pk: int):
    session = _staff_session(request, pk, perms.can_cancel_session)
    if not session.is_open and not session.is_cancelled:
        messages.error(request, "Seule une séance à venir peut être annulée.")
        return redirect(session)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_cancel(session=session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "La séance est annulée ; les personnes inscrites et en attente sont prévenues.",
            )
            return redirect(session)
    counts = queries.session_attendance_counts(session)
    return render(
        request,
        "bookings/session_cancel.html",
        {"session": session, "form": form, "counts": counts},
    )


def consent_page(request, version: int):
    """Public: a version of the information text, as people accepted it."""
    try:
        text = consent_text(version)
    except KeyError:
        raise Http404 from None
    return render(request, "bookings/consent.html", {"version": version, "text": text})
