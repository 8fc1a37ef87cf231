"""Teacher secondment pages: the list (with CSV export), a secondment's page (overview,
attachments for the evidence, history), recording and editing one (the college's
admins), and each teacher's days in enterprises over the last five years."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from portal.views import FilteredListView, RecordDetailView, ServiceCreateView, ServiceUpdateView

from .. import services
from ..filters import SecondmentFilterSet
from ..forms.secondments import SecondmentEditForm, SecondmentForm
from ..models import SECONDMENT_DAYS_REQUIRED, SECONDMENT_WINDOW_YEARS, Secondment
from ..tables import SecondmentTable


class SecondmentListView(FilteredListView):
    model = Secondment
    queryset = Secondment.objects.select_related("college", "host")
    filterset_class = SecondmentFilterSet
    template_name = "internships/secondment_list.html"
    context_object_name = "secondments"
    table_class = SecondmentTable
    default_ordering = ("-start_date", "-pk")
    csv_filename = "teacher-secondments.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = bool(services.secondment_colleges(user))
        context["sees_teacher_days"] = bool(services.teacher_days_colleges(user))
        return context


class SecondmentDetailView(RecordDetailView):
    model = Secondment
    queryset = Secondment.objects.select_related("college", "host")
    template_name = "internships/secondment_detail.html"
    context_object_name = "secondment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        secondment, user = self.object, self.request.user
        context["actions"] = services.secondment_actions(user, secondment)
        own_college = secondment.college_id in services.teacher_days_colleges(user)
        if context["tab"] == "overview" and own_college:
            # The teacher's total over five years tells of their other secondments: only
            # for their own college, not for the host or oversight.
            totals = services.teacher_days(
                [secondment.college_id],
                timezone.localdate(),
                teacher_number=secondment.teacher_number,
            )
            context["teacher_days"] = totals[0] if totals else None
        return context


class SecondmentCreateView(ServiceCreateView):
    """Record a secondment: only for the admins of a college."""

    form_class = SecondmentForm
    template_name = "internships/secondment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.secondment_colleges(request.user):
            raise PermissionDenied(_("Only a college's admins record its teachers' secondments."))
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = dict(form.cleaned_data)
        return services.secondment_create(
            actor=self.request.user, college=data.pop("college"), host=data.pop("host"), **data
        )

    def success_message(self, record) -> str:
        return _("Secondment recorded. Attach the evidence on its Attachments tab.")


class SecondmentUpdateView(ServiceUpdateView):
    model = Secondment
    form_class = SecondmentEditForm
    template_name = "internships/secondment_form.html"
    context_object_name = "secondment"
    success_message = gettext_lazy("Secondment saved.")

    def can_write(self, user, obj) -> bool:
        return "edit" in services.secondment_actions(user, obj)

    def save(self, form):
        data = dict(form.cleaned_data)
        services.secondment_update(
            actor=self.request.user, secondment=self.object, host=data.pop("host"), **data
        )


class TeacherDaysView(LoginRequiredMixin, TemplateView):
    """Each teacher of the user's colleges with their days in enterprises over the last
    five years, specialty teachers under 180 days flagged. A fixed number of queries,
    however many teachers (one for the counts)."""

    template_name = "internships/secondment_teacher_days.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        college_ids = services.teacher_days_colleges(self.request.user)
        if not college_ids:
            raise PermissionDenied(_("Only a college's members see its teachers' days."))
        short_only = self.request.GET.get("short") == "1"
        teachers = services.teacher_days(college_ids, timezone.localdate(), short_only=short_only)
        since, until = services.secondment_window(timezone.localdate())
        context.update(
            teachers=teachers,
            short_only=short_only,
            since=since,
            until=until,
            required=SECONDMENT_DAYS_REQUIRED,
            window_years=SECONDMENT_WINDOW_YEARS,
            several_colleges=len(college_ids) > 1,
        )
        return context
