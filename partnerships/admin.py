from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, AgreementParty, Clause, Partnership, PartnershipMember


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "lead", "status", "start_date")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    inlines = [PartnershipMemberInline]


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    readonly_fields = (
        "signed_at",
        "signed_by",
        "signatory_name",
        "signatory_title",
        "signed_place",
        "signed_terms_hash",
    )
    autocomplete_fields = ["organization"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "title", "kind", "status", "effective_date", "expiry_date")
    list_filter = ("status", "kind")
    search_fields = ("reference", "title")
    readonly_fields = ("reference",)
    inlines = [AgreementPartyInline]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ("agreement", "party", "kind", "category", "due_date", "status")
    list_filter = ("kind", "category", "status")
    search_fields = ("text", "agreement__reference")
    readonly_fields = ("evidence_attachment", "evidence_at", "evidence_by")
