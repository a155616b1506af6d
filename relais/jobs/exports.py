"""Every export, immediate or written by a worker, through one registry of export kinds.

An app declares each of its exports in its ``exports.py`` (imported by
``autodiscover_modules("exports")`` at the first look-up, as ``privacy.py`` modules are)::

    register(ExportKind(name="coverage", label="Couverture", formats={"xlsx": XLSX},
                        allowed=perms.can_view_planning, build=coverage_export))

``build(user, query, fmt)`` checks the query (a French :class:`ExportRefused` when it is not
valid, ``PermissionDenied`` when the person may not see what it asks) and returns an
:class:`Export`: its size, its file name, the canonical query the job stores, and ``write``,
the generator of the file's bytes. The same ``write`` serves the immediate download (streamed to
the browser) and the export job (written to a file by a worker, ``relais.jobs.services``): the
two files cannot differ. Above ``RELAIS_EXPORT_JOB_ROWS`` rows an export becomes a job.

``write(counted)`` passes every row iterator it writes through ``counted``: the identity for an
immediate export, a progress counter in a job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render

from relais.core.spreadsheets import csv_stream, ods_stream, xlsx_file
from relais.core.validators import error_text

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}
READ_BLOCK = 256 * 1024


class ExportRefused(ValidationError):
    """The export's parameters are not valid: a French message, and no file nor job."""


def identity(rows: Iterable) -> Iterable:
    return rows


@dataclass(frozen=True)
class Export:
    """One export for one person and one query, before a byte of it is written."""

    filename: str
    size: int  # rows (or what the work grows with): decides immediate or job, and the progress
    params: str  # the canonical query string: what a job stores, rebuilds from, fingerprints
    write: Callable[[Callable[[Iterable], Iterable]], Iterator[bytes]]
    inline: bool = False  # a PDF opens in the browser's tab rather than being saved
    streamed: bool = True  # False: a file built whole in memory anyway, sent with its length


@dataclass(frozen=True)
class ExportKind:
    name: str  # stored on the job: never rename one without a migration
    label: str
    formats: tuple[str, ...]
    allowed: Callable  # allowed(user) -> bool: asked at the click, at the build, at the download
    build: Callable  # build(user, query: QueryDict, fmt) -> Export

    def prepare(self, user, query: QueryDict, fmt: str) -> Export:
        if fmt not in self.formats:
            raise ExportRefused(f"Format d'export inconnu : {fmt[:20]}.")
        if not self.allowed(user):
            raise PermissionDenied
        return self.build(user, query, fmt)


_KINDS: dict[str, ExportKind] = {}
_discovered = False


def register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.name] = kind
    return kind


def export_kind(name: str) -> ExportKind:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")
        _discovered = True
    return _KINDS[name]


def canonical_params(query: QueryDict, keys: Iterable[str]) -> str:
    """The query's values for ``keys`` only, in a fixed order: two requests for the same export
    give the same job whatever the order or the noise of their query strings."""
    pairs = [(key, value) for key in sorted(set(keys)) for value in query.getlist(key) if value]
    return urlencode(pairs)


def file_blocks(handle) -> Iterator[bytes]:
    """A temporary file's content in blocks, then the file closed (deleted)."""
    with handle:
        yield from iter(lambda: handle.read(READ_BLOCK), b"")


def spreadsheet_blocks(
    fmt: str,
    sheets: list,
    *,
    csv_table=None,
    delimiter: str = ",",
    bom: bool = False,
    zip64: bool = False,
) -> Iterator[bytes]:
    """The bytes of ``sheets`` ((title, header, rows) tables) in ``fmt``, in constant memory:
    CSV and ODS as they are written, XLSX (openpyxl's write-only mode) from its temporary file.
    A CSV holds one table: ``csv_table`` (header, rows), else the first sheet's."""

    if fmt == "csv":
        header, rows = csv_table or sheets[0][1:]
        yield from csv_stream(header, rows, delimiter=delimiter, bom=bom)
    elif fmt == "xlsx":
        yield from file_blocks(xlsx_file(sheets))
    elif fmt == "ods":
        yield from ods_stream(sheets, zip64=zip64)
    else:
        raise ExportRefused(f"Format d'export inconnu : {fmt[:20]}.")


def form_refused(form) -> ExportRefused:
    """A bound form's errors as one French refusal (« Du mois : … »)."""
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages += [f"{label} : {error}" if label else error for error in errors]
    return ExportRefused(" ".join(messages) or "Les paramètres de l'export ne sont pas valides.")


def refused_message(error: ValidationError) -> str:
    return error_text(error) or "Les paramètres de l'export ne sont pas valides."


def export_response(request, name: str, fmt: str, query: QueryDict | None = None):
    """The answer to a click on « exporter »: the file at once when it is small, else the page
    of the export job (the same job when it is asked again while it runs). Invalid parameters:
    a French message (400), nothing written, no job."""
    from .services import export_request

    kind = export_kind(name)
    if fmt not in kind.formats:
        raise Http404
    query = request.GET if query is None else query
    try:
        export = kind.prepare(request.user, query, fmt)
    except ExportRefused as error:
        return render(
            request,
            "jobs/export_refused.html",
            {"label": kind.label, "message": refused_message(error)},
            status=400,
        )
    if export.size > settings.RELAIS_EXPORT_JOB_ROWS:
        job = export_request(user=request.user, kind=kind, fmt=fmt, export=export)
        return redirect("jobs:export", job.pk)
    if export.streamed:
        response = StreamingHttpResponse(export.write(identity), content_type=CONTENT_TYPES[fmt])
    else:
        response = HttpResponse(b"".join(export.write(identity)), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if export.inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    return response
