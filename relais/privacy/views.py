"""Record of processing (page and PDF) and the purge / journal status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.perms import require

from . import documents, perms, queries
from .journal import journal_verification_record, journal_verify


@login_required
def index(request):
    require(perms.can_view_processing_record(request.user))
    return redirect("privacy:record")


@login_required
def record(request):
    require(perms.can_view_processing_record(request.user))
    context = queries.processing_record()
    context["can_view_purges"] = perms.can_view_purges(request.user)
    return render(request, "privacy/record.html", context)


@login_required
def record_pdf(request):
    require(perms.can_view_processing_record(request.user))
    response = HttpResponse(
        documents.render_processing_record_pdf(), content_type="application/pdf"
    )
    filename = f"registre-des-traitements-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def purges(request):
    require(perms.can_view_purges(request.user))
    return render(request, "privacy/purges.html", queries.purge_status())


@login_required
@require_POST
def journal_verify_now(request):
    require(perms.can_view_purges(request.user))
    check = journal_verify()
    journal_verification_record(check=check)
    (messages.success if check.ok else messages.error)(request, check.message)
    return redirect("privacy:purges")
