"""Officers' pages: scoring beside the application, the decision, the review queue,
assigned reviewers and declared conflicts of interest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal import access
from portal.forms import known_fields
from portal.models import Attachment
from portal.views import VisibleRecordMixin, safe_next

from .. import services
from ..forms import ConflictForm
from ..forms.reviews import AssignmentForm, DecideForm, ReviewForm, SpreadForm
from ..models import (
    ApplicationAnswer,
    ApplicationStatus,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from ..services.rules import ASSIGNABLE, REVIEWING

# --- scoring beside the application -------------------------------------------------


def reviewed_by_assignee():
    """For ``Exists``: whether an assignment's reviewer has reviewed its application."""
    return Review.objects.filter(application=OuterRef("application"), reviewer=OuterRef("reviewer"))


def visible_reviews(user, application: FundApplication):
    """The application's reviews the user reads (blind while reviews are open), each
    with its scores and reviewer, in one query per relation."""
    scores = ReviewScore.objects.select_related("criterion")
    return (
        services.reviews_visible_to(user, Review.objects.filter(application=application))
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("created_at", "pk")
    )


class ReviewPageView(VisibleRecordMixin, View):
    """The application on the left (summary, answers, budget, files) and the scoring form
    on the right; stacked on a phone. GET shows it, POST saves a new review or corrects
    one's own until the decision."""

    model = FundApplication
    queryset = FundApplication.objects.select_related("program__department", "applicant")
    template_name = "funding/review_page.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        user = request.user
        self.review = (
            Review.objects.filter(application=self.application, reviewer=user)
            .prefetch_related("scores")
            .first()
        )
        if self.review is not None:
            if not services.can_edit_review(user, self.review, self.application):
                messages.info(
                    request,
                    _("%(reference)s is %(status)s: your review stands as you left it.")
                    % {
                        "reference": self.application.reference,
                        "status": self.application.get_status_display(),
                    },
                )
                return redirect(self.application.get_absolute_url() + "?tab=reviews")
        elif not services.can_review(user, self.application):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> ReviewForm:
        return ReviewForm(
            data, criteria=self.application.program.criteria.all(), review=self.review
        )

    def get(self, request, pk):
        return self.page(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(self.application)
        if form.errors:
            return self.page(form, status=400)
        messages.success(
            request,
            _(
                "Review saved. The other reviews are open to you now; you may change "
                "yours until the decision."
            ),
        )
        return redirect(self.application.get_absolute_url() + "?tab=reviews")

    def save(self, form: ReviewForm) -> None:
        data = form.cleaned_data
        if self.review is None:
            services.review_submit(
                actor=self.request.user,
                application=self.application,
                scores=form.scores(),
                recommendation=data["recommendation"],
                comment=data["comment"],
            )
        else:
            services.review_update(
                actor=self.request.user,
                review=self.review,
                scores=form.scores(),
                recommendation=data["recommendation"],
                comment=data["comment"],
            )

    def page(self, form: ReviewForm, status: int = 200) -> HttpResponse:
        application = self.application
        user = self.request.user
        others = []
        if self.review is not None:  # blind until one's own review is in
            others = [r for r in visible_reviews(user, application) if r.reviewer_id != user.pk]
        assignment = ReviewAssignment.objects.filter(application=application, reviewer=user).first()
        access.note_reads(user, [application])
        context = {
            "application": application,
            "form": form,
            "review": self.review,
            "others": others,
            "assignment": assignment,
            "lines": list(application.budget_lines.all()),
            "answers": list(
                ApplicationAnswer.objects.filter(application=application).select_related(
                    "question", "attachment"
                )
            ),
            "attachments": list(Attachment.objects.for_record(application)),
            # Four eyes: an admin who could decide is told what scoring costs them.
            "bars_deciding": self.review is None
            and services.can_decide_application(user, application),
            "today": timezone.localdate(),
        }
        return render(self.request, self.template_name, context, status=status)


# --- the decision -------------------------------------------------------------------


class DecisionPageView(VisibleRecordMixin, View):
    """The reviews side by side (per criterion: each reviewer's score, the mean and the
    spread), the recommendations counted, the application's place in its program, the
    budget remaining, and for an admin who may decide, the decision form."""

    model = FundApplication
    queryset = FundApplication.objects.select_related("program__department", "applicant")
    template_name = "funding/decision.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        user = request.user
        if not access.sees_everything(user) or not services.scores_visible(user, self.application):
            raise PermissionDenied  # applicants never see reviews; reviewers not blind
        self.deciding = self.application.status == ApplicationStatus.UNDER_REVIEW and (
            services.can_decide_application(user, self.application)
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        program = self.application.program
        initial = {
            "amount": min(self.application.requested_amount, program.max_award, program.remaining)
        }
        return self.page(DecideForm(initial=initial) if self.deciding else None)

    def post(self, request, pk):
        if not self.deciding:
            raise PermissionDenied
        form = DecideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    services.application_approve(
                        actor=request.user,
                        application=self.application,
                        amount=data["amount"],
                        reasons=data["reasons"],
                    )
                    messages.success(
                        request, _("Approved; the award is committed against the budget.")
                    )
                else:
                    services.application_reject(
                        actor=request.user, application=self.application, reasons=data["reasons"]
                    )
                    messages.success(request, _("Rejected."))
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(self.application)
        if form.errors:
            return self.page(form, status=400)
        return redirect(self.application)

    def page(self, form: DecideForm | None, status: int = 200) -> HttpResponse:
        user = self.request.user
        reviews = list(visible_reviews(user, self.application))
        access.note_reads(user, [self.application])
        context = {
            "application": self.application,
            "summary": services.review_summary(self.application, reviews),
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)


# --- the review queue ---------------------------------------------------------------


class ReviewQueueView(LoginRequiredMixin, View):
    """My assigned reviews first (due dates, overdue ones marked), then the other
    applications under review that I may review."""

    template_name = "funding/review_queue.html"

    def get(self, request):
        user = request.user
        own_review = Review.objects.filter(application=OuterRef("application"), reviewer=user)
        assigned = list(
            ReviewAssignment.objects.filter(reviewer=user, application__status__in=REVIEWING)
            .filter(~Exists(own_review))
            .select_related("application__program", "application__applicant")
            .annotate(review_count=Count("application__reviews"))
            .order_by("due_date", "pk")
        )
        others = (
            services.applications_to_review(user)
            .exclude(pk__in=ReviewAssignment.objects.filter(reviewer=user).values("application_id"))
            .select_related("program", "applicant")
            .annotate(review_count=Count("reviews"))
            .order_by("submitted_at", "pk")
        )
        return render(
            request,
            self.template_name,
            {
                "assigned": assigned,
                "applications": list(others),
                "today": timezone.localdate(),
            },
        )


# --- assigned reviewers -------------------------------------------------------------


class ProgramAssignmentsView(VisibleRecordMixin, View):
    """A program's applications open to review with their reviewers: assign one per
    application, take one back, or spread the work evenly (the department's admins)."""

    model = FundProgram
    template_name = "funding/assignments.html"

    def program(self, pk) -> FundProgram:
        program = get_object_or_404(self.get_queryset().select_related("department"), pk=pk)
        if not services.can_decide(self.request.user, program):
            raise PermissionDenied
        return program

    def get(self, request, pk):
        return assignments_page(request, self.program(pk))


def assignment_loads(program: FundProgram) -> dict[int, int]:
    """How many of the program's applications each officer is assigned to."""
    return dict(
        ReviewAssignment.objects.filter(application__program=program)
        .order_by()
        .values_list("reviewer_id")
        .annotate(count=Count("pk"))
    )


def assignments_page(
    request,
    program: FundProgram,
    *,
    bound: AssignmentForm | None = None,
    bound_for: int | None = None,
    spread: SpreadForm | None = None,
) -> HttpResponse:
    """The assignments page, with the form that failed (``bound`` for the application
    ``bound_for``, or ``spread``) showing its errors."""
    officers = list(services.department_officers(program))
    assignments = ReviewAssignment.objects.select_related("reviewer").annotate(
        reviewed=Exists(reviewed_by_assignee())
    )
    applications = list(
        FundApplication.objects.filter(program=program, status__in=ASSIGNABLE)
        .select_related("applicant")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .annotate(review_count=Count("reviews"))
        .order_by("submitted_at", "pk")
    )
    for application in applications:
        application.assign_form = (
            bound
            if bound is not None and application.pk == bound_for
            else AssignmentForm(prefix=f"assign-{application.pk}", officers=officers)
        )
    context = {
        "program": program,
        "applications": applications,
        "spread_form": spread or SpreadForm(officers=officers, loads=assignment_loads(program)),
        "today": timezone.localdate(),
    }
    failed = bound is not None or spread is not None
    return render(request, "funding/assignments.html", context, status=400 if failed else 200)


class AssignmentCreateView(VisibleRecordMixin, View):
    model = FundApplication

    def post(self, request, pk):
        application = get_object_or_404(
            self.get_queryset().select_related("program__department", "applicant"), pk=pk
        )
        program = application.program
        if not services.can_decide(request.user, program):
            raise PermissionDenied
        officers = list(services.department_officers(program))
        form = AssignmentForm(request.POST, prefix=f"assign-{pk}", officers=officers)
        if form.is_valid():
            try:
                assignment = services.assignment_create(
                    actor=request.user, application=application, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect("fund-program-assignments", program.pk)
        if form.errors:
            return assignments_page(request, program, bound=form, bound_for=pk)
        messages.success(
            request,
            _("%(name)s is to review %(reference)s by %(date)s.")
            % {
                "name": assignment.reviewer.get_full_name() or assignment.reviewer.username,
                "reference": application.reference,
                "date": assignment.due_date.isoformat(),
            },
        )
        fallback = reverse("fund-program-assignments", args=[program.pk]) + f"#application-{pk}"
        return redirect(safe_next(request, fallback))


class AssignmentRemoveView(VisibleRecordMixin, View):
    model = ReviewAssignment

    def post(self, request, pk):
        assignment = get_object_or_404(
            self.get_queryset().select_related("application__program"), pk=pk
        )
        application = assignment.application
        try:
            services.assignment_remove(actor=request.user, assignment=assignment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except services.InvalidTransition as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Assignment removed."))
        fallback = (
            reverse("fund-program-assignments", args=[application.program_id])
            + f"#application-{application.pk}"
        )
        return redirect(safe_next(request, fallback))


class AssignmentSpreadView(ProgramAssignmentsView):
    def get(self, request, pk):
        return redirect("fund-program-assignments", pk)

    def post(self, request, pk):
        program = self.program(pk)
        officers = list(services.department_officers(program))
        form = SpreadForm(request.POST, officers=officers, loads=assignment_loads(program))
        if form.is_valid():
            try:
                result = services.assignments_spread(
                    actor=request.user, program=program, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
        if form.errors:
            return assignments_page(request, program, spread=form)
        messages.success(
            request,
            _("%(count)d assignments made.") % {"count": len(result.created)},
        )
        if result.short:
            messages.warning(
                request,
                _(
                    "Still short of reviewers (ties to the applicant, or too few "
                    "reviewers): %(references)s."
                )
                % {"references": ", ".join(a.reference for a in result.short)},
            )
        return redirect("fund-program-assignments", pk)


# --- conflicts of interest ----------------------------------------------------------


class ConflictListView(LoginRequiredMixin, View):
    template_name = "funding/conflicts.html"

    def get(self, request, form=None):
        if not access.is_government(request.user):
            raise PermissionDenied
        conflicts = ConflictOfInterest.objects.filter(officer=request.user).select_related(
            "organization"
        )
        return render(
            request,
            self.template_name,
            {"conflicts": conflicts, "form": form or ConflictForm()},
            status=400 if form else 200,
        )

    def post(self, request):
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_declare(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.get(request, form=form)
        messages.success(
            request, _("Declared. You will not review or decide this organization's applications.")
        )
        return redirect("fund-conflicts")


class ConflictWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        conflict = get_object_or_404(ConflictOfInterest, pk=pk, officer=request.user)
        services.conflict_withdraw(actor=request.user, conflict=conflict)
        messages.success(request, _("Declaration withdrawn."))
        return redirect("fund-conflicts")


# The review form used to be posted to the application page's Reviews tab; it is the
# review page now, under the same URL name.
ReviewCreateView = ReviewPageView
