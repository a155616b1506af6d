"""Technical administration of the contract layer; coordinators work in the app's own pages."""

from django.contrib import admin

from .models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    AlertLog,
    Amendment,
    AmendmentArticle,
    Annex,
    Commitment,
    CommunicationEvent,
    CommunicationRequest,
    Deliberation,
    DeliberationMember,
    DeliberationScheduleRow,
    InsuranceCertificate,
    Signatory,
    SourceDocument,
)


def rows(model, *, stacked: bool = False, **options) -> type[admin.options.InlineModelAdmin]:
    """An inline of a model's rows under their parent, without empty extra forms."""
    base = admin.StackedInline if stacked else admin.TabularInline
    return type(f"{model.__name__}Inline", (base,), {"model": model, "extra": 0, **options})


@admin.register(Deliberation)
class DeliberationAdmin(admin.ModelAdmin):
    list_display = ["order_number", "session_date", "organisation", "subject"]
    list_filter = ["organisation"]
    search_fields = ["order_number", "subject"]
    inlines = [
        rows(DeliberationMember),
        rows(DeliberationScheduleRow, autocomplete_fields=["place"]),
    ]


@admin.register(CommunicationRequest)
class CommunicationRequestAdmin(admin.ModelAdmin):
    list_display = ["subject", "agreement", "requested_by", "planned_on", "status"]
    list_filter = ["status", "medium"]

    class EventInline(admin.TabularInline):
        model = CommunicationEvent
        extra = 0
        readonly_fields = ["at", "actor", "action", "comment"]

        def has_add_permission(self, request, obj=None):
            return False

    inlines = [EventInline]


class SourceDocumentInline(admin.TabularInline):
    """Documents of record: read only (they are what was received)."""

    model = SourceDocument
    extra = 0
    can_delete = False
    readonly_fields = ["filename", "sha256", "size", "imported_at", "file"]
    exclude = ["extracted_text"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "subject", "dated_on", "effective_from"]
    inlines = [rows(AmendmentArticle, stacked=True)]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "hard_end_date", "sent_for_signature_on"]
    list_filter = ["partner"]
    search_fields = ["title", "reference"]
    inlines = [
        rows(AgreementParty, stacked=True),
        rows(Signatory),
        rows(Commitment, autocomplete_fields=["place"], fk_name="agreement"),
        rows(Annex),
        rows(Amendment),
        rows(InsuranceCertificate),
        rows(AgreementContact),
        SourceDocumentInline,
    ]


@admin.register(AlertLog)
class AlertLogAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "due_on", "recipient", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
