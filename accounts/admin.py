from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import ApiToken, Invitation, Membership, Organization, User


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Portal", {"fields": ("language",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_superuser")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # As when a person loses their last membership: their tokens stay revoked
            # if they are made active again.
            services.credentials_revoke_all(user=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "credit_code", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "credit_code")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organization", "role", "is_active")
    list_filter = ("role", "is_active", "organization__kind")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ("email", "organization", "role", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = ("token_hash",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "last_used_at")
