"""Appointments: the public booking pages of a place and the secret link (no account, no
JavaScript needed), the staff list of a place's appointments, the coordinators' types, a
place's own booking rules (« Réglages des rendez-vous »)."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from relais.bookings.tokens import check_token
from relais.core import french
from relais.core.forms import add_errors
from relais.core.params import parse_id
from relais.core.perms import require
from relais.core.ratelimits import public_form_limit
from relais.core.validators import error_text
from relais.places.models import Place

from . import availability, perms, queries
from .consent import appointment_consent_text
from .enums import AppointmentCancelledBy, AppointmentStatus
from .forms import (
    AppointmentCancelForm,
    AppointmentForm,
    AppointmentTypeForm,
    PlaceAppointmentSettingsForm,
)
from .models import (
    APPOINTMENT_TOKEN_PURPOSE,
    Appointment,
    AppointmentType,
    PlaceAppointmentSettings,
)
from .services import (
    MARKABLE,
    REFUSED_TIME_CODES,
    appointment_cancel,
    appointment_mark,
    check_bookable,
    next_options,
    place_appointment_settings_update,
    unavailable_error,
)
from .services import appointment_book as book


def _public_place(slug: str) -> Place:
    return get_object_or_404(Place.objects.active().select_related("commune"), slug=slug)


def _chosen_type(value) -> AppointmentType | None:
    return AppointmentType.objects.active().filter(pk=parse_id(value)).first()


# --- Public ---------------------------------------------------------------------------------------


@never_cache
def appointment_book(request, place_slug: str):
    """Public: choose the type of appointment, then a free time, grouped by day."""
    place = _public_place(place_slug)
    rules = availability.place_rules(place)
    types = list(AppointmentType.objects.active()) if rules.enabled else []
    chosen = _chosen_type(request.GET.get("type")) if rules.enabled else None
    if chosen is None and len(types) == 1:
        chosen = types[0]
    days = availability.by_day(availability.openings(place, chosen)) if chosen else []
    return render(
        request,
        "appointments/appointment_book.html",
        {"place": place, "rules": rules, "types": types, "chosen": chosen, "days": days},
    )


@never_cache
@public_form_limit("appointment-booking")
def appointment_form(request, place_slug: str):
    """Public: the person's name and contact for the chosen time, then the booking."""
    place = _public_place(place_slug)
    if not availability.appointments_enabled(place):
        # The booking page says that the place takes no appointment online.
        return redirect("appointments:book", place_slug=place.slug)
    params = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_type(params.get("type"))
    starts_at = availability.parse_key(params.get("debut", ""))
    if chosen is None or starts_at is None:
        messages.error(request, "Choisissez d'abord un type de rendez-vous et un créneau.")
        return redirect("appointments:book", place_slug=place.slug)
    form = AppointmentForm(request.POST or None)
    taken = False
    refusal = ""  # why the time cannot be booked, on GET (the form is unbound: no errors)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = book(
                place=place,
                appointment_type=chosen,
                starts_at=starts_at,
                **form.contact_and_consent(),
            )
        except ValidationError as error:
            taken = getattr(error, "code", None) in REFUSED_TIME_CODES
            add_errors(form, error)
        else:
            return redirect(appointment.get_manage_url() + "?nouveau=1")
    elif request.method == "GET":
        day = timezone.localtime(starts_at).date()
        try:
            check_bookable(place=place, starts_at=starts_at)
        except ValidationError as error:
            refusal = error_text(error)
        else:
            available = any(
                o.start == starts_at
                for o in availability.openings(place, chosen, start=day, end=day)
            )
            if not available:
                refusal = error_text(unavailable_error(place, chosen, starts_at))
        taken = bool(refusal)
    return render(
        request,
        "appointments/appointment_form.html",
        {
            "place": place,
            "chosen": chosen,
            "starts_at": timezone.localtime(starts_at),
            "ends_at": timezone.localtime(starts_at + timedelta(minutes=chosen.duration_minutes)),
            "debut": params.get("debut", ""),
            "form": form,
            "taken": taken,
            "refusal": refusal,
        },
    )


def _appointment_from_link(public_id: str, token: str) -> Appointment:
    try:
        uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    if not check_token(APPOINTMENT_TOKEN_PURPOSE, public_id, token):
        raise Http404
    appointment = get_object_or_404(Appointment.objects.with_related(), public_id=public_id)
    if appointment.anonymised_at:
        raise Http404
    return appointment


@never_cache
def appointment_manage(request, public_id: str, token: str):
    """Public, by the secret link: see the appointment and cancel it. Cancelling takes two
    steps without JavaScript: the button asks « Voulez-vous vraiment annuler… ? » (a GET, so
    that a mail client opening the link cannot cancel anything), then a POST carrying the
    confirmation does it; a POST without it only asks again."""
    appointment = _appointment_from_link(public_id, token)
    can_cancel = appointment.is_booked and appointment.starts_at > timezone.now()
    confirmed = request.POST.get("confirmation") == "oui"
    if request.method == "POST" and confirmed:
        try:
            appointment_cancel(appointment=appointment, by=AppointmentCancelledBy.RESIDENT)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _cancelled_message(appointment))
        return redirect(appointment.get_manage_url())
    if can_cancel and (request.method == "POST" or request.GET.get("annuler") == "1"):
        return render(
            request,
            "appointments/appointment_cancel.html",
            {"appointment": appointment, "staff": False, "back_url": appointment.get_manage_url()},
        )
    cancelled_by_schedule = appointment.status == AppointmentStatus.CANCELLED and (
        appointment.cancelled_by in (AppointmentCancelledBy.SCHEDULE, AppointmentCancelledBy.STAFF)
    )
    return render(
        request,
        "appointments/appointment_manage.html",
        {
            "appointment": appointment,
            "just_booked": request.GET.get("nouveau") == "1",
            "can_cancel": can_cancel,
            "next_options": next_options(appointment) if cancelled_by_schedule else [],
        },
    )


def _cancelled_message(appointment: Appointment) -> str:
    when = french.french_datetime(appointment.starts_at)
    text = f"Votre rendez-vous du {when} est annulé ; le créneau est libéré."
    if appointment.email:
        text += f" Une confirmation vous est envoyée par e-mail à {appointment.email}."
    return text


def appointment_consent(request, version: int):
    """Public: a version of the information text accepted when booking an appointment."""
    try:
        text = appointment_consent_text(version)
    except KeyError:
        raise Http404 from None
    return render(
        request, "appointments/appointment_consent.html", {"version": version, "text": text}
    )


# --- Staff ----------------------------------------------------------------------------------------


@login_required
def appointment_places(request):
    """Places with upcoming appointments, and every active place's public booking page."""
    require(perms.can_view_appointments(request.user))
    places = queries.places_with_upcoming(timezone.now())
    return render(
        request,
        "appointments/appointment_places.html",
        {
            "places": places,
            "can_manage_types": perms.can_manage_appointment_types(request.user),
            "editable": {
                place.pk
                for place in places
                if perms.can_edit_place_appointment_settings(request.user, place)
            },
            "disabled": {
                place.pk for place in places if not availability.appointments_enabled(place)
            },
        },
    )


@login_required
def appointment_list(request, place_slug: str):
    """A place's appointments: upcoming ones, and those of the last two weeks to mark."""
    require(perms.can_view_appointments(request.user))
    place = get_object_or_404(Place.objects.select_related("commune"), slug=place_slug)
    upcoming, past = queries.place_appointments(place, timezone.now())
    return render(
        request,
        "appointments/appointment_list.html",
        {
            "place": place,
            "rules": availability.place_rules(place),
            "can_edit_settings": perms.can_edit_place_appointment_settings(request.user, place),
            "upcoming": upcoming,
            "past": past,
            "statuses": [
                (value, label)
                for value, label in AppointmentStatus.choices
                if value in (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)
            ],
        },
    )


def _staff_appointment(request, pk: int) -> Appointment:
    appointment = get_object_or_404(Appointment.objects.with_related(), pk=pk)
    require(perms.can_manage_appointment(request.user, appointment))
    return appointment


@login_required
@require_POST
def appointment_mark_view(request, pk: int):
    appointment = _staff_appointment(request, pk)
    status = request.POST.get("status", "")
    if status not in MARKABLE:
        messages.error(request, "Statut de rendez-vous inconnu.")
    else:
        try:
            appointment_mark(appointment=appointment, status=status)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                f"Rendez-vous de {appointment} : {AppointmentStatus(status).label.lower()}.",
            )
    return redirect("appointments:list", place_slug=appointment.place.slug)


@login_required
def appointment_cancel_staff(request, pk: int):
    """Cancel someone's appointment after a confirmation page (no JavaScript): the person is
    told by e-mail and SMS, with the reason and the next free times."""
    appointment = _staff_appointment(request, pk)
    back_url = reverse("appointments:list", kwargs={"place_slug": appointment.place.slug})
    form = AppointmentCancelForm(request.POST or None)
    if not (appointment.is_booked and appointment.starts_at > timezone.now()):
        messages.error(request, "Ce rendez-vous est passé ou déjà annulé : rien à annuler.")
        return redirect(back_url)
    if request.method == "POST" and form.is_valid():
        try:
            appointment_cancel(
                appointment=appointment,
                by=AppointmentCancelledBy.STAFF,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            contacts = " et ".join(
                label
                for label, contact in (("e-mail", appointment.email), ("SMS", appointment.phone))
                if contact
            )
            messages.success(
                request,
                f"Le rendez-vous de {appointment} du "
                f"{french.french_datetime(appointment.starts_at)} est annulé ; la personne "
                f"est prévenue par {contacts}.",
            )
        return redirect(back_url)
    return render(
        request,
        "appointments/appointment_cancel.html",
        {"appointment": appointment, "staff": True, "form": form, "back_url": back_url},
    )


@login_required
def appointment_types(request):
    """Coordinators: the types residents can book (name, description, duration)."""
    require(perms.can_manage_appointment_types(request.user))
    return render(
        request,
        "appointments/appointment_types.html",
        {"types": AppointmentType.objects.order_by("-is_active", "name")},
    )


@login_required
def appointment_type_edit(request, pk: int | None = None):
    require(perms.can_manage_appointment_types(request.user))
    instance = get_object_or_404(AppointmentType, pk=pk) if pk else None
    form = AppointmentTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        appointment_type = form.save(commit=False)
        appointment_type.full_clean()
        appointment_type.save()
        messages.success(request, f"Type de rendez-vous « {appointment_type} » enregistré.")
        return redirect("appointments:types")
    return render(
        request, "appointments/appointment_type_form.html", {"form": form, "instance": instance}
    )


@login_required
def appointment_settings(request, place_slug: str):
    """« Réglages des rendez-vous » of a place: its own notice, horizon and walk-in share
    (empty: the département's), or no online appointment at all. Coordinators,
    administrators and the place's partner staff."""
    place = get_object_or_404(Place.objects.select_related("commune", "partner"), slug=place_slug)
    require(perms.can_edit_place_appointment_settings(request.user, place))
    instance = PlaceAppointmentSettings.objects.filter(place=place).first()
    # The form writes to its instance while validating; the service reads the stored row again.
    form = PlaceAppointmentSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            place_appointment_settings_update(
                place=place,
                user=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"Les réglages des rendez-vous de « {place.name} » sont enregistrés."
            )
            if perms.can_view_appointments(request.user):
                return redirect("appointments:list", place_slug=place.slug)
            return redirect("appointments:settings", place_slug=place.slug)
    return render(
        request,
        "appointments/appointment_settings.html",
        {
            "place": place,
            "form": form,
            "rules": availability.place_rules(place),
            "department": availability.department_rules(),
            "can_view_appointments": perms.can_view_appointments(request.user),
        },
    )
