from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from portal import access
from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from .. import compliance, services
from ..filters import PlacementFilterSet, PracticeBaseFilterSet, StudentFilterSet
from ..forms import (
    CancelForm,
    PlacementEditForm,
    PlacementForm,
    PracticeBaseEditForm,
    PracticeBaseForm,
    StudentEditForm,
    StudentForm,
    StudentImportForm,
    acting_organizations,
    kept_colleges,
)
from ..models import Placement, PlacementStatus, PracticeBase, Student
from ..tables import PlacementTable, PracticeBaseTable, StudentTable

# --- practice bases ----------------------------------------------------------------


class PracticeBaseListView(FilteredListView):
    model = PracticeBase
    queryset = PracticeBase.objects.select_related("host")
    filterset_class = PracticeBaseFilterSet
    template_name = "internships/practice_base_list.html"
    context_object_name = "practice_bases"
    table_class = PracticeBaseTable
    default_ordering = ("name",)
    csv_filename = "practice-bases.csv"

    def get_queryset(self):
        # The placements at each base that the reader sees (a host's drafts, or one
        # open to other colleges, are not counted for them).
        seen_here = (
            Placement.objects.visible_to(self.request.user)
            .filter(practice_base=OuterRef("pk"))
            .order_by()
            .values("practice_base")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset().annotate(placement_count=Coalesce(Subquery(seen_here), 0))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = acting_organizations(self.request.user).exists()
        return context


class PracticeBaseDetailView(RecordDetailView):
    model = PracticeBase
    queryset = PracticeBase.objects.select_related("host", "agreement")
    template_name = "internships/practice_base_detail.html"
    context_object_name = "practice_base"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base, user = self.object, self.request.user
        context["actions"] = services.practice_base_actions(user, base)
        context["can_change"] = "edit" in context["actions"]
        if context["tab"] == "overview":
            context["linked_agreement"] = access.seen(user, base.agreement)
            context["colleges"] = list(base.colleges.select_related("organization"))
            context["placements"] = (
                Placement.objects.visible_to(user)
                .filter(practice_base=base)
                .select_related("host")
                .order_by("-start_date")
            )
            context.update(practice_base_interns(base))
        return context


class PracticeBaseCreateView(ServiceCreateView):
    form_class = PracticeBaseForm
    template_name = "internships/practice_base_form.html"

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        return services.practice_base_create(
            actor=self.request.user, host=data.pop("host"), colleges=data.pop("colleges"), **data
        )

    def success_message(self, record) -> str:
        return _("Practice base registered.")


class PracticeBaseUpdateView(ServiceUpdateView):
    model = PracticeBase
    form_class = PracticeBaseEditForm
    template_name = "internships/practice_base_form.html"
    context_object_name = "practice_base"

    def can_write(self, user, obj) -> bool:
        return services.can_edit_base(user, obj)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def save(self, form):
        data = dict(form.cleaned_data)
        services.practice_base_update(
            actor=self.request.user,
            practice_base=self.object,
            colleges=data.pop("colleges"),
            **data,
        )


class PracticeBaseStatusView(TransitionView):
    """One verb of the base's table (``verb`` names it: activate, suspend, close)."""

    model = PracticeBase
    verb = ""
    success_message = gettext_lazy("Status changed.")

    def perform(self, base):
        services.practice_base_change_status(
            actor=self.request.user,
            practice_base=base,
            status=services.BASE_VERB_STATUS[self.verb],
        )


# --- placements --------------------------------------------------------------------


class PlacementListView(FilteredListView):
    model = Placement
    queryset = Placement.objects.select_related("host")
    filterset_class = PlacementFilterSet
    template_name = "internships/placement_list.html"
    context_object_name = "placements"
    table_class = PlacementTable
    default_ordering = ("-created_at",)
    csv_filename = "placements.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = acting_organizations(self.request.user, ["enterprise"]).exists()
        return context


class PlacementDetailView(RecordDetailView):
    model = Placement
    queryset = Placement.objects.select_related("host", "practice_base", "published_by")
    template_name = "internships/placement_detail.html"
    context_object_name = "placement"
    tabs = ("overview", "nominations", "attachments", "history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement, user = self.object, self.request.user
        actions = services.placement_actions(user, placement)
        context["actions"] = actions
        context["can_change"] = services.can_change_placement(user, placement)
        if context["tab"] == "overview":
            context["linked_base"] = access.seen(user, placement.practice_base)
            context["open_to_colleges"] = list(placement.open_to_colleges.all())
            if context["can_change"] and placement.status == PlacementStatus.DRAFT:
                context["blocking"] = compliance.blocking(placement)
                context["warnings"] = compliance.warnings(placement)
            context["cancel_form"] = CancelForm()
        if context["tab"] == "nominations":
            query = self.request.GET.get("student_q", "")[:100]
            context.update(placement_nominations(user, placement, query))
        return context


class PlacementCreateView(ServiceCreateView):
    form_class = PlacementForm
    template_name = "internships/placement_form.html"

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        return services.placement_create(actor=self.request.user, host=data.pop("host"), **data)

    def success_message(self, record) -> str:
        return _("Draft placement saved. Check it and publish it when it is ready.")


class PlacementUpdateView(ServiceUpdateView):
    """Edit a draft. The compliance rules it breaks show next to their fields."""

    model = Placement
    form_class = PlacementEditForm
    template_name = "internships/placement_form.html"
    context_object_name = "placement"
    success_message = gettext_lazy("Placement saved.")

    def can_write(self, user, obj) -> bool:
        return "edit" in services.placement_actions(user, obj)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What blocks the saved draft: a form that failed validation has put its unchecked
        # values on self.object (a start date in year 9999 broke the six-month rule).
        saved = Placement.objects.get(pk=self.object.pk)
        context["compliance"] = compliance.by_field(compliance.check(saved))
        return context

    def save(self, form):
        services.placement_update(
            actor=self.request.user, placement=self.object, **form.cleaned_data
        )


class PlacementPublishView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Published: the colleges it is open to can see it now.")

    def post(self, request, *args, **kwargs):
        placement = self.get_object()
        try:
            services.placement_publish(actor=request.user, placement=placement)
        except services.InvalidTransition as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(
                request, _("Not published: fix what the rules below point out, then publish.")
            )
            for message in error.messages:
                messages.error(request, message)
            if "edit" in services.placement_actions(request.user, placement):
                return redirect(reverse("placement-edit", args=[placement.pk]))
        else:
            messages.success(request, self.success_message)
        return redirect(placement)


class PlacementCloseView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Placement closed.")

    def perform(self, placement):
        services.placement_close(actor=self.request.user, placement=placement)


class PlacementCancelView(TransitionView):
    model = Placement
    success_message = gettext_lazy("Placement cancelled.")

    def perform(self, placement):
        form = CancelForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.placement_cancel(
            actor=self.request.user, placement=placement, reason=form.cleaned_data["reason"]
        )


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


class StudentCreateView(ServiceCreateView):
    form_class = StudentForm
    template_name = "internships/student_form.html"

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
            raise PermissionDenied
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


# --- nominations (their own module) ------------------------------------------------

from .nominations import (  # noqa: E402, F401
    NominationAcceptView,
    NominationCompleteView,
    NominationDetailView,
    NominationEvaluateView,
    NominationGatesView,
    NominationListView,
    NominationMoveView,
    NominationStartView,
    PlacementNominateView,
    placement_nominations,
    practice_base_interns,
    student_nominations,
)

# --- teacher secondments (their own module) ----------------------------------------
from .secondments import (  # noqa: E402, F401
    SecondmentCreateView,
    SecondmentDetailView,
    SecondmentListView,
    SecondmentUpdateView,
    TeacherDaysView,
)
