"""The needs-and-offers pages: the list (filters, sorting, CSV), a need's page (its
details, the threads the reader may see with their reply forms, the answer form, "Turn
into a draft agreement"), posting and editing, opening and closing. Every write goes
through ``discovery.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Agreement
from portal.forms import form_errors, known_fields
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)
from portal.workflow import InvalidTransition

from ..filters import CooperationNeedFilterSet
from ..forms import CooperationNeedEditForm, CooperationNeedForm, InterestForm, ReplyForm
from ..models import CooperationNeed, Interest, InterestMessage
from ..services import interests as interest_service
from ..services import needs as service
from ..tables import CooperationNeedTable


class CooperationNeedListView(FilteredListView):
    model = CooperationNeed
    queryset = CooperationNeed.objects.select_related("owner")
    filterset_class = CooperationNeedFilterSet
    template_name = "discovery/need_list.html"
    context_object_name = "needs"
    table_class = CooperationNeedTable
    default_ordering = ("-opened_at", "-pk")
    csv_filename = "cooperation-needs.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(service.posting_organizations(self.request.user))
        return context


def threads(user, need: CooperationNeed) -> list[Interest]:
    """The interests in the need the user may see, each with its messages and what the
    user may do with it. Four queries however many threads and messages."""
    interests = list(
        Interest.objects.visible_to(user)
        .filter(need_id=need.pk)
        .select_related("organization", "agreement")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=InterestMessage.objects.select_related("author", "organization"),
            )
        )
        .order_by("created_at", "pk")
    )
    linked = [interest.agreement_id for interest in interests if interest.agreement_id]
    seen = (
        set(Agreement.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
        if linked
        else set()
    )
    for interest in interests:
        interest.need = need  # read by the rules below, without a query each
        interest.actions = interest_service.interest_actions(user, interest)
        interest.seen_agreement = interest.agreement if interest.agreement_id in seen else None
    return interests


class CooperationNeedDetailView(RecordDetailView):
    model = CooperationNeed
    queryset = CooperationNeed.objects.select_related("owner", "created_by")
    template_name = "discovery/need_detail.html"
    context_object_name = "need"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        if self.request.GET.get("tab") == "history" and not service.reads_need_history(
            self.request.user, self.object
        ):
            raise Http404
        context = super().get_context_data(**kwargs)
        need, user = self.object, self.request.user
        context["can_read_history"] = service.reads_need_history(user, need)
        context["actions"] = service.need_actions(user, need)
        if context["tab"] == "overview":
            interests = threads(user, need)
            context["interests"] = interests
            context["agreements_count"] = sum(1 for i in interests if i.agreement_id)
            answered = {interest.organization_id for interest in interests}
            can_answer = service.answering_organizations(user, need) - answered
            if can_answer and "answer_form" not in context:
                context["answer_form"] = InterestForm(organizations=can_answer)
            if not can_answer:
                context.pop("answer_form", None)
            context["reply_form"] = ReplyForm()
        return context


class CooperationNeedAnswerView(CooperationNeedDetailView):
    """Answer a need or offer: the first message of a new thread. The form's errors come
    back on the need's page, next to its fields."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = need = self.get_object()
        answered = set(
            Interest.objects.filter(need_id=need.pk).values_list("organization_id", flat=True)
        )
        organizations = service.answering_organizations(request.user, need) - answered
        form = InterestForm(request.POST, organizations=organizations)
        if form.is_valid():
            try:
                interest = interest_service.interest_create(
                    actor=request.user,
                    need=need,
                    organization=form.cleaned_data["organization"],
                    message=form.cleaned_data["message"],
                )
            except InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(need)
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            else:
                messages.success(request, _("Sent: the owner's admins and staff are told."))
                return redirect(interest.get_absolute_url())
        context = self.get_context_data(object=need, answer_form=form)
        return self.render_to_response(context, status=400)


class CooperationNeedCreateView(ServiceCreateView):
    form_class = CooperationNeedForm
    template_name = "discovery/need_form.html"

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not CooperationNeedForm(user=request.user).can_create()
        ):
            raise PermissionDenied(_("Only an organization's admins and staff post its needs."))
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = {key: form.cleaned_data[key] for key in service.NEED_FIELDS}
        try:
            return service.need_create(
                actor=self.request.user,
                owner=form.cleaned_data["owner"],
                audience=form.cleaned_data["audience"],
                **data,
            )
        except ValidationError as error:
            raise known_fields(form, error) from error

    def success_message(self, record) -> str:
        return _("Draft saved: only your organization sees it until you open it.")


class CooperationNeedUpdateView(ServiceUpdateView):
    model = CooperationNeed
    queryset = CooperationNeed.objects.select_related("owner")
    form_class = CooperationNeedEditForm
    template_name = "discovery/need_form.html"
    context_object_name = "need"

    def get(self, request, *args, **kwargs):
        if self.object.status not in service.EDITABLE_NEED_STATUSES:
            messages.error(request, _("A closed or expired need or offer no longer changes."))
            return redirect(self.object)
        return super().get(request, *args, **kwargs)

    def save(self, form):
        data = {key: form.cleaned_data[key] for key in service.NEED_FIELDS}
        try:
            service.need_update(
                actor=self.request.user,
                need=self.object,
                audience=form.cleaned_data["audience"],
                **data,
            )
        except ValidationError as error:
            raise known_fields(form, error) from error


class CooperationNeedOpenView(TransitionView):
    model = CooperationNeed
    success_message = gettext_lazy("Open: its audience sees it and may answer it now.")

    def perform(self, need):
        service.need_open(actor=self.request.user, need=need)


class CooperationNeedCloseView(TransitionView):
    model = CooperationNeed
    success_message = gettext_lazy("Closed: it takes no more answers; the threads stay.")

    def perform(self, need):
        service.need_close(actor=self.request.user, need=need)


class InterestReplyView(TransitionView):
    model = Interest

    def perform(self, interest):
        form = ReplyForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        interest_service.interest_reply(
            actor=self.request.user, interest=interest, message=form.cleaned_data["message"]
        )


class InterestDraftAgreementView(TransitionView):
    model = Interest
    success_message = gettext_lazy(
        "Draft agreement created with both organizations as parties: check its terms and "
        "send it for signature."
    )

    def perform(self, interest):
        return interest_service.interest_draft_agreement(actor=self.request.user, interest=interest)


urlpatterns = [
    path("cooperation-needs/", CooperationNeedListView.as_view(), name="cooperation-need-list"),
    path(
        "cooperation-needs/new/",
        CooperationNeedCreateView.as_view(),
        name="cooperation-need-create",
    ),
    path(
        "cooperation-needs/<int:pk>/",
        CooperationNeedDetailView.as_view(),
        name="cooperation-need-detail",
    ),
    path(
        "cooperation-needs/<int:pk>/edit/",
        CooperationNeedUpdateView.as_view(),
        name="cooperation-need-edit",
    ),
    path(
        "cooperation-needs/<int:pk>/open/",
        CooperationNeedOpenView.as_view(),
        name="cooperation-need-open",
    ),
    path(
        "cooperation-needs/<int:pk>/close/",
        CooperationNeedCloseView.as_view(),
        name="cooperation-need-close",
    ),
    path(
        "cooperation-needs/<int:pk>/answer/",
        CooperationNeedAnswerView.as_view(),
        name="cooperation-need-answer",
    ),
    path(
        "cooperation-interests/<int:pk>/reply/",
        InterestReplyView.as_view(),
        name="cooperation-interest-reply",
    ),
    path(
        "cooperation-interests/<int:pk>/draft-agreement/",
        InterestDraftAgreementView.as_view(),
        name="cooperation-interest-draft-agreement",
    ),
]
