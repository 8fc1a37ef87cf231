"""A college's student pages: list, page, adding, editing, CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from portal import access
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
)

from .. import services
from ..filters import StudentFilterSet
from ..forms import (
    StudentEditForm,
    StudentForm,
    StudentImportForm,
    kept_colleges,
)
from ..models import Student
from ..tables import StudentTable
from .nominations import student_nominations

# --- students ----------------------------------------------------------------------


class StudentListView(FilteredListView):
    """No personal details here: government oversight reads the same list."""

    model = Student
    queryset = Student.objects.select_related("college")
    filterset_class = StudentFilterSet
    template_name = "internships/student_list.html"
    context_object_name = "students"
    table_class = StudentTable
    default_ordering = ("student_number",)
    csv_filename = "students.csv"

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if access.sees_everything(user):
            return queryset
        # A college's own list: a host reads the students nominated to it through
        # its nominations, not here.
        return queryset.filter(college_id__in=list(access.organization_ids(user)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"].form.fields.pop("college", None)  # an API filter
        context["can_create"] = bool(services.student_colleges(self.request.user))
        return context


class StudentDetailView(RecordDetailView):
    model = Student
    queryset = Student.objects.select_related("college")
    template_name = "internships/student_detail.html"
    context_object_name = "student"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        student, user = self.object, self.request.user
        context["actions"] = services.student_actions(user, student)
        context["can_change"] = "edit" in context["actions"]
        context["show_personal"] = services.sees_personal_details(user, student)
        context["full_record"] = services.sees_student_record(user, student)
        if not context["full_record"]:
            # A host reading a student nominated to it: the overview only.
            context["tab"] = "overview"
            context.pop("history", None)
        if context["tab"] == "overview":
            context["nominations"] = student_nominations(user, student)
        if context["tab"] == "history":
            context["history"] = services.hide_personal_changes(
                context["history"], viewer=user, student=student
            )
        return context


STUDENTS_KEPT_BY_COLLEGES = gettext_lazy(
    "Students are kept by their college: only a college's admins and staff add or import them."
)


class StudentCreateView(ServiceCreateView):
    form_class = StudentForm
    template_name = "internships/student_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.student_colleges(request.user):
            raise PermissionDenied(STUDENTS_KEPT_BY_COLLEGES)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        return services.student_create(actor=self.request.user, college=data.pop("college"), **data)

    def success_message(self, record) -> str:
        return _("Student added.")


class StudentUpdateView(ServiceUpdateView):
    model = Student
    form_class = StudentEditForm
    template_name = "internships/student_form.html"
    context_object_name = "student"
    success_message = gettext_lazy("Student saved.")

    def can_write(self, user, obj) -> bool:
        return services.can_change_student(user, obj)

    def save(self, form):
        services.student_update(actor=self.request.user, student=self.object, **form.cleaned_data)


class StudentImportView(LoginRequiredMixin, FormView):
    """Upload a CSV of students: every row is checked (``validate_student_row``, as the
    API's bulk upsert does) and the errors listed by row and field on the page; the
    valid rows are written unless "all or nothing" is ticked and a row failed."""

    form_class = StudentImportForm
    template_name = "internships/student_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not kept_colleges(request.user).exists():
            raise PermissionDenied(STUDENTS_KEPT_BY_COLLEGES)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            rows = services.read_student_csv(form.cleaned_data["file"])
            result = services.students_upsert(
                actor=self.request.user,
                college=form.cleaned_data["college"],
                rows=rows,
                atomic=form.cleaned_data["all_or_nothing"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        # CSV rows count from the header row, which is row 1.
        row_errors = [(error.index + 2, error.field, error.message) for error in result.errors]
        if result.errors and form.cleaned_data["all_or_nothing"]:
            messages.error(self.request, _("Nothing was imported: fix the rows below first."))
        else:
            messages.success(
                self.request,
                _("%(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
        if not row_errors:
            return redirect("student-list")
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(user=self.request.user), row_errors=row_errors
            )
        )
