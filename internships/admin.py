from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Placement, PracticeBase, PracticeBaseCollege, Secondment, Student


class PracticeBaseCollegeInline(admin.TabularInline):
    model = PracticeBaseCollege
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(PracticeBase)
class PracticeBaseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "host", "stations", "status")
    list_filter = ("status",)
    search_fields = ("name", "address")
    inlines = [PracticeBaseCollegeInline]


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "host", "internship_type", "slots", "filled_slots", "status")
    list_filter = ("status", "internship_type", "venue_kind")
    search_fields = ("title", "city")
    readonly_fields = ("filled_slots", "compliance_warnings")
    autocomplete_fields = ["open_to_colleges"]


@admin.register(Student)
class StudentAdmin(SimpleHistoryAdmin):
    list_display = ("student_number", "name", "college", "specialty", "enrolment_year", "status")
    list_filter = ("status", "enrolment_year")
    search_fields = ("student_number", "name")
    autocomplete_fields = ["college"]


@admin.register(Secondment)
class SecondmentAdmin(SimpleHistoryAdmin):
    list_display = ("teacher_name", "teacher_number", "college", "host", "start_date", "days")
    list_filter = ("specialty_teacher",)
    search_fields = ("teacher_name", "teacher_number")
    autocomplete_fields = ["college", "host"]
