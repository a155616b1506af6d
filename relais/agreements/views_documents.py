"""PDF downloads: the agreement and a deliberation's certified extract (built in documents.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from . import documents, perms
from .models import Agreement, Deliberation


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # Inline: the browser shows the document and its own viewer offers the download.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Agreements name people and addresses: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_pdf(request, pk: int):
    agreement = get_object_or_404(Agreement.objects.with_related(), pk=pk)
    if not perms.can_view_agreement(request.user, agreement):
        raise PermissionDenied
    return _pdf_response(
        documents.render_agreement_pdf(agreement), documents.agreement_filename(agreement)
    )


@login_required
def deliberation_pdf(request, pk: int):
    deliberation = get_object_or_404(Deliberation.objects.select_related("organisation"), pk=pk)
    if not perms.can_view_deliberation(request.user, deliberation):
        raise PermissionDenied
    return _pdf_response(
        documents.render_deliberation_pdf(deliberation),
        documents.deliberation_filename(deliberation),
    )
