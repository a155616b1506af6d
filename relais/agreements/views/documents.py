"""Downloads: the agreement and a deliberation's certified extract (PDFs built in documents.py),
and the files of the agreement's annexes."""

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from relais.core.perms import require

from .. import documents, perms
from ..models import Agreement, Annex, Deliberation, SourceDocument


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # Inline: the browser shows the document and its own viewer offers the download.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Agreements name people and addresses: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def private_file(field, filename: str, *, missing: str, as_attachment: bool = True):
    """A stored file to whom the view let through: never from MEDIA_URL, never cached by a
    shared cache; ``missing`` (French) when the file is no longer on disk."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(missing) from error
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_pdf(request, pk: int):
    agreement = get_object_or_404(Agreement.objects.with_related(), pk=pk)
    require(perms.can_view_agreement(request.user, agreement))
    return _pdf_response(
        documents.render_agreement_pdf(agreement), documents.agreement_filename(agreement)
    )


@login_required
def deliberation_pdf(request, pk: int):
    deliberation = get_object_or_404(Deliberation.objects.select_related("organisation"), pk=pk)
    require(perms.can_view_deliberation(request.user, deliberation))
    return _pdf_response(
        documents.render_deliberation_pdf(deliberation),
        documents.deliberation_filename(deliberation),
    )


@login_required
def annex_file(request, pk: int, number: int):
    """An annex's file, to those who may read the agreement.

    Uploaded files are never served from MEDIA_URL (the web server does not publish the media
    folder): this view is the only way to them, so the agreement's own rule applies.
    """
    annex = get_object_or_404(
        Annex.objects.select_related("agreement"), agreement_id=pk, number=number
    )
    require(perms.can_view_agreement(request.user, annex.agreement))
    if not annex.file:
        raise Http404("Cette annexe n'a pas de fichier.")
    return private_file(
        annex.file,
        PurePath(annex.file.name).name,
        missing="Le fichier de cette annexe est introuvable.",
        as_attachment=False,
    )


@login_required
def source_file(request, pk: int, source_pk: int):
    """The document of record as uploaded, byte for byte, to those who may read the agreement."""
    source = get_object_or_404(
        SourceDocument.objects.select_related("agreement"), agreement_id=pk, pk=source_pk
    )
    require(perms.can_view_agreement(request.user, source.agreement))
    return private_file(
        source.file, source.filename, missing="Le fichier d'origine est introuvable."
    )
