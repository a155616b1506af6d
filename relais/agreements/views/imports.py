"""Import from the documents: paste or upload, preview what was found, confirm.

The document is kept in the session between the preview and the confirmation, with a digest
echoed by the confirmation form, so that what is imported is exactly what was previewed.
"""

import base64
import hashlib
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relais.core.french import plural
from relais.core.models import Organisation
from relais.core.perms import require

from .. import perms
from ..importing import ACCEPTED_EXTENSIONS, agreement_import, analyse_document
from ..models import Agreement

SESSION_KEY = "agreements_import"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A PDF carries fonts: the signed convention exported by a word processor weighs more.
MAX_PDF_BYTES = 5 * 1024 * 1024
PASTED_NAME = "texte-colle.txt"


def _drafts():
    return (
        Agreement.objects.filter(sent_for_signature_on__isnull=True)
        .exclude(signatories__signed_on__isnull=False)
        .select_related("partner")
        .distinct()
    )


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Texte de la délibération et/ou de la convention",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Copiez-collez le texte entier, tableaux compris (les colonnes séparées par "
        "des tabulations ou des espaces).",
    )
    file = forms.FileField(
        label="Ou un fichier",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_EXTENSIONS))}),
        help_text="PDF de la délibération ou de la convention (5 Mo au plus), texte (.txt) ou "
        "tableau des lieux (.csv, .xlsx, .ods) avec les colonnes lieu, durée, fréquence et "
        "modalités (2 Mo au plus).",
    )
    agreement = forms.ModelChoiceField(
        label="Convention à compléter",
        required=False,
        queryset=Agreement.objects.none(),
        empty_label="— Aucune : le document contient la convention —",
        help_text="Seulement pour un tableau des lieux seul : la convention en brouillon "
        "dont il remplace les engagements.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = _drafts()

    def clean(self):
        data = super().clean()
        text, upload = data.get("text", ""), data.get("file")
        if bool(text and text.strip()) == bool(upload):
            raise ValidationError("Collez un texte ou choisissez un fichier (l'un des deux).")
        if upload:
            extension = PurePath(upload.name).suffix.lower()
            if extension not in ACCEPTED_EXTENSIONS:
                self.add_error(
                    "file", "Format non pris en charge : .pdf, .txt, .csv, .xlsx ou .ods."
                )
            elif extension == ".pdf" and upload.size > MAX_PDF_BYTES:
                self.add_error("file", "Le PDF dépasse 5 Mo.")
            elif extension != ".pdf" and upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", "Le fichier dépasse 2 Mo.")
        return data

    def document(self) -> tuple[str, bytes]:
        """(file name, content) of what was pasted or uploaded."""
        upload = self.cleaned_data.get("file")
        if upload:
            return PurePath(upload.name).name, upload.read()
        return PASTED_NAME, self.cleaned_data["text"].encode("utf-8")


def _department_for(user) -> Organisation | None:
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.is_department:
        return organisation
    return Organisation.objects.departments().first()


def _preview(request, filename: str, content: bytes, target, *, errors=()):
    result = analyse_document(filename, content)
    result.errors += [e for e in errors if e not in result.errors]
    digest = hashlib.sha256(content).hexdigest()
    request.session[SESSION_KEY] = {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii"),
        "digest": digest,
        "agreement": target.pk if target else None,
    }
    tables = [
        {
            "id": "tableau-deliberation",
            "heading": "Lieux votés dans la délibération",
            "caption": "Tableau de la délibération et correspondance avec les lieux de Relais",
            "rows": result.deliberation_rows,
        },
        {
            "id": "tableau-convention",
            "heading": "Engagements de la convention (art. 1.2)",
            "caption": "Tableau de la convention et correspondance avec les lieux de Relais",
            "rows": result.convention_rows,
        },
    ]
    parties = []
    if result.agreement:
        parties = [
            (heading, party)
            for heading, party in (
                ("Le Département", result.agreement.department),
                ("Le Bénéficiaire", result.agreement.partner),
            )
            if party is not None
        ]
    context = {
        # Without a convention, the table needs an agreement to go to.
        "can_confirm": result.ok and bool(result.agreement or target),
        "result": result,
        "tables": [t for t in tables if t["rows"]],
        "parties": parties,
        "filename": "" if filename == PASTED_NAME else filename,
        "digest": digest,
        "target": target,
    }
    return render(request, "agreements/import_preview.html", context)


@login_required
def import_form(request):
    """Paste a text or upload a file; a valid form shows the preview (nothing is written)."""
    require(perms.can_import_agreement(request.user))
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            filename, content = form.document()
            return _preview(request, filename, content, form.cleaned_data.get("agreement"))
    else:
        form = ImportForm()
    return render(request, "agreements/import_form.html", {"form": form})


@login_required
@require_POST
def import_confirm(request):
    """Import the previewed document, all or nothing, and go to the agreement."""
    require(perms.can_import_agreement(request.user))
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("digest") != request.POST.get("digest"):
        messages.error(request, "L'aperçu a expiré ou a changé : recommencez l'import.")
        return redirect("agreements:import")
    filename = stored["filename"]
    content = base64.b64decode(stored["content"])
    target = _drafts().filter(pk=stored["agreement"]).first() if stored["agreement"] else None
    department = _department_for(request.user)
    if department is None:
        return _preview(
            request, filename, content, target, errors=["Aucun Département n'est enregistré."]
        )
    result = analyse_document(filename, content)
    try:
        agreement = agreement_import(
            result=result,
            department=department,
            user=request.user,
            agreement=target,
            source=(filename, content),
        )
    except ValidationError as error:
        # The database may have changed since the preview: show the preview again, with why.
        return _preview(request, filename, content, target, errors=error.messages)
    del request.session[SESSION_KEY]
    count = agreement.commitments.filter(introduced_by__isnull=True).count()
    messages.success(
        request,
        f"Import terminé : la convention et {plural(count, 'engagement', 'engagements')} sont "
        "enregistrés.",
    )
    return redirect(agreement.get_absolute_url())
