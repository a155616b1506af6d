"""Record of processing (page and PDF) and the purge / journal status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import documents, perms, queries
from .journal import journal_verification_record, journal_verify


@login_required
def index(request):
    if not perms.can_view_processing_record(request.user):
        raise PermissionDenied
    return redirect("privacy:record")


@login_required
def record(request):
    if not perms.can_view_processing_record(request.user):
        raise PermissionDenied
    context = queries.processing_record()
    context["can_view_purges"] = perms.can_view_purges(request.user)
    return render(request, "privacy/record.html", context)


@login_required
def record_pdf(request):
    if not perms.can_view_processing_record(request.user):
        raise PermissionDenied
    response = HttpResponse(
        documents.render_processing_record_pdf(), content_type="application/pdf"
    )
    filename = f"registre-des-traitements-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def purges(request):
    if not perms.can_view_purges(request.user):
        raise PermissionDenied
    return render(request, "privacy/purges.html", queries.purge_status())


@login_required
@require_POST
def journal_verify_now(request):
    if not perms.can_view_purges(request.user):
        raise PermissionDenied
    check = journal_verify()
    journal_verification_record(check=check)
    (messages.success if check.ok else messages.error)(request, check.message)
    return redirect("privacy:purges")
