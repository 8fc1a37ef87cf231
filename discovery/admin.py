from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CooperationNeed, Interest, InterestMessage


@admin.register(CooperationNeed)
class CooperationNeedAdmin(SimpleHistoryAdmin):
    list_display = ("title", "owner", "direction", "kind", "status", "valid_until")
    list_filter = ("direction", "kind", "status")
    search_fields = ("title", "specialties", "owner__name")
    raw_id_fields = ("owner", "created_by")


class InterestMessageInline(admin.TabularInline):
    model = InterestMessage
    extra = 0
    raw_id_fields = ("organization", "author")


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ("need", "organization", "agreement", "created_at")
    raw_id_fields = ("need", "organization", "agreement", "created_by")
    inlines = [InterestMessageInline]
