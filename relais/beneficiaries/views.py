"""Beneficiary pages: advisers only (professional secrecy, see ``perms``)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from relais.core.forms import add_errors
from relais.core.perms import require
from relais.core.validators import error_text
from relais.jobs.services import import_request
from relais.privacy.journal import journal_personal_data_access

from . import importing, perms, queries, services
from .forms import (
    CONSENT_TEXT_VERSION,
    BeneficiaryForm,
    ImportUploadForm,
    MergeForm,
    NewPersonForm,
    picker_results,
)
from .importing import COLUMNS
from .models import Beneficiary

PAGE_SIZE = 30


def _get(request, pk: int) -> Beneficiary:
    require(perms.can_view_beneficiaries(request.user))
    beneficiary = get_object_or_404(Beneficiary.objects.select_related("commune"), pk=pk)
    require(perms.can_view_beneficiary(request.user, beneficiary))
    return beneficiary


def _consent(form, data: dict) -> dict:
    if form.cleaned_data.get("consent") and not form.instance.consent_given_on:
        data["consent_given_on"] = timezone.localdate()
        data["consent_text_version"] = CONSENT_TEXT_VERSION
    return data


@login_required
def beneficiary_list(request):
    require(perms.can_view_beneficiaries(request.user))
    search = request.GET.get("q", "").strip()
    page = Paginator(queries.beneficiaries_for_list(search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "beneficiaries/beneficiary_list.html", {"page": page, "q": search})


@login_required
def beneficiary_pick(request):
    """The people found by the person picker as one types (htmx; ``forms.BeneficiaryPicker``):
    at most ``PICKER_LIMIT`` names among those the user may choose."""
    require(perms.can_view_beneficiaries(request.user))
    name = request.GET.get("name", "")
    if not name.isidentifier():
        name = "beneficiary"
    query = request.GET.get(f"{name}_q", "").strip()[:100]
    people = queries.beneficiaries_matching(queries.beneficiaries_visible_to(request.user), query)
    return render(
        request,
        "beneficiaries/widgets/picker_results.html",
        {"name": name, "id": f"id_{name}", "results": picker_results(people, query)},
    )


def _create_unless_duplicate(request, form) -> tuple[Beneficiary | None, list[Beneficiary]]:
    """Create the person of a valid form, unless records look like them and the adviser has
    not confirmed it is someone else: then (None, the look-alikes) and a form error."""
    data = _consent(form, form.data_for_service())
    duplicates = queries.beneficiary_duplicates(
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_year=data.get("birth_year"),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
    )
    if duplicates and not form.cleaned_data["confirm_not_duplicate"]:
        form.add_error(
            None, "Cette personne a peut-être déjà une fiche : vérifiez la liste ci-dessous."
        )
        return None, duplicates
    try:
        return services.beneficiary_create(data=data, created_by=request.user), duplicates
    except ValidationError as error:
        add_errors(form, error)
        return None, duplicates


def _activity_form_to_return_to(url: str, request) -> str:
    """``?next=`` of the full creation page opened from the activity form without JavaScript:
    only the activity form itself, on this site (never an open redirect)."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if parts.path != reverse("activities:create") or parts.netloc:
        return ""
    return url


def _with_person(url: str, beneficiary: Beneficiary) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "beneficiary"]
    query.append(("beneficiary", str(beneficiary.pk)))
    return urlunsplit(parts._replace(query=urlencode(query)))


@login_required
def beneficiary_create(request):
    require(perms.can_view_beneficiaries(request.user))
    duplicates = []
    back_to = _activity_form_to_return_to(
        request.POST.get("next") or request.GET.get("next", ""), request
    )
    if request.method == "POST":
        form = BeneficiaryForm(request.POST)
        if form.is_valid():
            beneficiary, duplicates = _create_unless_duplicate(request, form)
            if beneficiary is not None:
                messages.success(request, "La fiche est créée.")
                if back_to:  # back to the activity form, with the new person chosen
                    return redirect(_with_person(back_to, beneficiary))
                return redirect(beneficiary)
    else:
        form = BeneficiaryForm()
    return render(
        request,
        "beneficiaries/beneficiary_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "title": "Nouvelle personne accompagnée",
            "next": back_to,
        },
    )


@login_required
@require_POST
def beneficiary_create_inline(request):
    """« Nouvelle personne » inside the activity form (htmx): creates the person and chooses
    them in the form's picker (an out-of-band swap of its results), or shows the errors and
    the people who look like them, to choose instead."""
    require(perms.can_view_beneficiaries(request.user))
    form = NewPersonForm(request.POST)
    created, duplicates = None, []
    if form.is_valid():
        created, duplicates = _create_unless_duplicate(request, form)
    if created is not None:
        form = NewPersonForm()  # empty again for the next person
    return render(
        request,
        "beneficiaries/includes/new_person.html",
        {"new_person_form": form, "created": created, "duplicates": duplicates},
    )


@login_required
def beneficiary_detail(request, pk: int):
    beneficiary = _get(request, pk)
    # Art. 2 and issue 7: every view of a person's record is journaled (no name in the journal).
    journal_personal_data_access(request, beneficiary, "fiche")
    return render(
        request,
        "beneficiaries/beneficiary_detail.html",
        {
            "beneficiary": beneficiary,
            "activities": queries.recent_activities_of(beneficiary),
            "duplicates": queries.duplicates_of(beneficiary),
        },
    )


@login_required
def beneficiary_edit(request, pk: int):
    beneficiary = _get(request, pk)
    require(perms.can_change_beneficiary(request.user, beneficiary))
    if request.method == "GET":
        journal_personal_data_access(request, beneficiary, "fiche (modification)")
    if request.method == "POST":
        form = BeneficiaryForm(request.POST, instance=beneficiary)
        if form.is_valid():
            try:
                services.beneficiary_update(
                    beneficiary=beneficiary, data=_consent(form, form.data_for_service())
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "La fiche est modifiée.")
                return redirect(beneficiary)
    else:
        form = BeneficiaryForm(instance=beneficiary)
    return render(
        request,
        "beneficiaries/beneficiary_form.html",
        {"form": form, "duplicates": [], "title": f"Modifier {beneficiary.display_name}"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def beneficiary_delete_view(request, pk: int):
    beneficiary = _get(request, pk)
    require(perms.can_delete_beneficiary(request.user, beneficiary))
    if request.method == "POST":
        count = services.beneficiary_delete(beneficiary=beneficiary)
        messages.success(
            request,
            ngettext(
                "La fiche est supprimée ; %(count)s activité conservée de façon anonyme.",
                "La fiche est supprimée ; %(count)s activités conservées de façon anonyme.",
                count,
            )
            % {"count": count},
        )
        return redirect("beneficiaries:list")
    return render(request, "beneficiaries/beneficiary_delete.html", {"beneficiary": beneficiary})


@login_required
def beneficiary_merge_view(request, pk: int):
    keep = _get(request, pk)
    require(perms.can_change_beneficiary(request.user, keep))
    form = MergeForm(request.POST or None, keep=keep, initial={"remove": request.GET.get("avec")})
    if request.method == "POST" and form.is_valid():
        remove = form.cleaned_data["remove"]
        require(perms.can_delete_beneficiary(request.user, remove))
        services.beneficiary_merge(keep=keep, remove=remove)
        messages.success(request, "Les deux fiches sont fusionnées.")
        return redirect(keep)
    return render(
        request,
        "beneficiaries/beneficiary_merge.html",
        {"beneficiary": keep, "form": form, "duplicates": queries.duplicates_of(keep)},
    )


@login_required
def beneficiary_import(request):
    """Upload → preview (line-numbered errors) → confirm; all lines or none are imported."""
    require(perms.can_import_beneficiaries(request.user))
    preview, token, error = None, "", ""
    form = ImportUploadForm()
    if request.method == "POST" and "rows" in request.POST:
        try:
            signed = importing.unsign_rows(request.POST["rows"])
        except signing.BadSignature:
            error = "L'aperçu a expiré ou a été modifié : importez le fichier à nouveau."
        else:
            try:
                created = services.beneficiaries_import(
                    rows=signed.rows, created_by=request.user, key=signed.key
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == services.ALREADY_IMPORTED:
                    # A double click: the browser shows this answer, not the first one's.
                    messages.info(request, exc.messages[0])
                    return redirect("beneficiaries:list")
                error = error_text(exc) + " Aucune ligne n'a été importée."
            else:
                messages.success(request, f"{len(created)} personne(s) importée(s).")
                return redirect("beneficiaries:list")
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.RELAIS_IMPORT_JOB_BYTES:
                # A large file: checked, then written, by a worker (the same functions).
                content = upload.read()
                preview = importing.refused_before_reading(content)
                if preview is None:
                    job = import_request(
                        user=request.user, label="Personnes accompagnées",
                        importer=importing.JOB_STEPS, filename=upload.name, content=content,
                        next_url=reverse("beneficiaries:list"),
                    )  # fmt: skip
                    return redirect("jobs:import", job.pk)
            else:
                preview = importing.read_workbook(upload)
            if preview.ok:
                token = importing.sign_rows(preview.rows)
    return render(
        request,
        "beneficiaries/beneficiary_import.html",
        {
            "form": form,
            "preview": preview,
            "token": token,
            "error": error,
            "columns": [label for _, label in COLUMNS.values()],
        },
    )
