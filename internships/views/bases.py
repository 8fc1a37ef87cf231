"""The practice base pages: list, page, registering, editing, status steps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrganizationKind
from portal import access
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from .. import services
from ..filters import PracticeBaseFilterSet
from ..forms import (
    PracticeBaseEditForm,
    PracticeBaseForm,
    acting_organizations,
)
from ..models import Placement, PracticeBase
from ..tables import PracticeBaseTable
from .nominations import practice_base_interns

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
        context["can_create"] = base_registrars(self.request.user).exists()
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


def base_registrars(user):
    """The colleges and enterprises the user acts for: a base is registered by its host
    or by a college it serves."""
    return acting_organizations(user, [OrganizationKind.ENTERPRISE, OrganizationKind.COLLEGE])


class PracticeBaseCreateView(ServiceCreateView):
    form_class = PracticeBaseForm
    template_name = "internships/practice_base_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not base_registrars(request.user).exists():
            raise PermissionDenied(
                _(
                    "A practice base is registered by the enterprise or college that hosts "
                    "it, or by a college it serves: only their admins and staff register "
                    "one."
                )
            )
        return super().dispatch(request, *args, **kwargs)

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
