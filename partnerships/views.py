from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, IntegerField, Prefetch, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django.views.generic.detail import SingleObjectMixin

from portal import access
from portal.forms import form_errors, known_fields
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    VisibleRecordMixin,
)

from . import services
from .filters import (
    AgreementFilterSet,
    ClauseFilterSet,
    ObligationFilterSet,
    PartnershipFilterSet,
)
from .forms import (
    AgreementForm,
    AgreementTermsForm,
    ClauseDisputeForm,
    ClauseForm,
    ClauseFulfilForm,
    ClauseStatusForm,
    PartnershipEditForm,
    PartnershipForm,
    PartnershipMemberForm,
    PartyForm,
    PartyRoleForm,
    RenewForm,
    SignForm,
    TerminateForm,
    acting_organizations,
    lead_organizations,
)
from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementParty,
    AgreementStatus,
    Clause,
    ClauseKind,
    ClauseStatus,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
)
from .tables import AgreementTable, ClauseTable, ObligationTable, PartnershipTable

# --- partnerships ------------------------------------------------------------------


class PartnershipListView(FilteredListView):
    model = Partnership
    queryset = Partnership.objects.select_related("lead").annotate(
        member_count=Count("members", distinct=True),
        agreement_count=Count("agreements", distinct=True),
    )
    filterset_class = PartnershipFilterSet
    template_name = "partnerships/partnership_list.html"
    context_object_name = "partnerships"
    table_class = PartnershipTable
    default_ordering = ("name",)
    csv_filename = "partnerships.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = lead_organizations(self.request.user).exists()
        return context


class PartnershipDetailView(RecordDetailView):
    model = Partnership
    queryset = Partnership.objects.select_related("lead")
    template_name = "partnerships/partnership_detail.html"
    context_object_name = "partnership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        user = self.request.user
        context["can_change"] = services.can_change_partnership(user, partnership)
        if context["tab"] == "overview":
            members = list(partnership.members.select_related("organization"))
            open_by_org = defaultdict(list)
            responsibilities = (
                Clause.objects.visible_to(user)
                .filter(
                    agreement__partnership=partnership,
                    kind=ClauseKind.RESPONSIBILITY,
                    status=ClauseStatus.OPEN,
                    agreement__status__in=BINDING_STATUSES,  # drafts owe nothing yet
                )
                .select_related("agreement", "party")
                .order_by("due_date")
            )
            for clause in responsibilities:
                open_by_org[clause.party.organization_id].append(clause)
            for member in members:
                member.open_responsibilities = open_by_org.get(member.organization_id, [])
            context["members"] = members
            context["agreements"] = (
                Agreement.objects.visible_to(user).filter(partnership=partnership).with_parties()
            )
            context.update(self.funding(partnership, user))
            context["member_form"] = PartnershipMemberForm()
            context["next_statuses"] = [
                (value, label)
                for value, label in PartnershipStatus.choices
                if value in services.PARTNERSHIP_TRANSITIONS[partnership.status]
            ]
            context["today"] = timezone.localdate()
        return context

    @staticmethod
    def funding(partnership, user) -> dict:
        """The partnership's fund applications the reader may open, and, of those
        submitted by another member (an application is its applicant's and
        government's to read), how many there are and by whom: a member is told they
        exist rather than that there are none. Drafts are their applicant's own."""
        # Funding reaches partnerships through FundApplication.partnership; the
        # relation is absent if the funding app is not installed.
        applications = getattr(partnership, "fund_applications", None)
        if applications is None:
            return {"funding": [], "funding_elsewhere": []}
        visible = list(
            applications.visible_to(user)
            .select_related("program", "applicant")
            .order_by("-created_at")
        )
        shown = [application.pk for application in visible]
        elsewhere = (
            applications.exclude(pk__in=shown)
            .filter(submitted_at__isnull=False)
            .values("applicant__name")
            .annotate(count=Count("pk"))
            .order_by("applicant__name")
        )
        return {
            "funding": visible,
            "funding_elsewhere": [
                {"applicant": row["applicant__name"], "count": row["count"]} for row in elsewhere
            ],
        }


class PartnershipCreateView(ServiceCreateView):
    form_class = PartnershipForm
    template_name = "partnerships/partnership_form.html"

    def dispatch(self, request, *args, **kwargs):
        # Not an empty "lead" picker ending in "This field is required": say why.
        if request.user.is_authenticated and not lead_organizations(request.user).exists():
            raise PermissionDenied(
                _(
                    "A partnership is led by a college or an enterprise: only their admins "
                    "and staff set one up. Your organization can still take part as a "
                    "member; the lead adds it from the partnership's page."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        data = form.cleaned_data
        return services.partnership_create(
            actor=self.request.user,
            lead=data["lead"],
            lead_role=data["lead_role"],
            name=data["name"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            description=data["description"],
            members=[(org, "") for org in data["members"] if org != data["lead"]],
        )

    def success_message(self, record) -> str:
        return _("Partnership created.")


class PartnershipChangeMixin(RecordChangeMixin):
    model = Partnership

    def can_write(self, user, obj) -> bool:
        return services.can_change_partnership(user, obj)


class PartnershipUpdateView(PartnershipChangeMixin, ServiceUpdateView):
    form_class = PartnershipEditForm
    template_name = "partnerships/partnership_form.html"
    context_object_name = "partnership"

    def save(self, form):
        services.partnership_update(
            actor=self.request.user, partnership=self.object, **form.cleaned_data
        )


class PartnershipMemberAddView(PartnershipChangeMixin, TransitionView):
    def perform(self, partnership):
        form = PartnershipMemberForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an organization."))
        services.partnership_add_member(
            actor=self.request.user, partnership=partnership, **form.cleaned_data
        )
        messages.success(self.request, _("Member added."))


class PartnershipMemberRemoveView(TransitionView):
    model = PartnershipMember

    def perform(self, member):
        services.partnership_remove_member(actor=self.request.user, member=member)
        messages.success(self.request, _("Member removed."))

    def get_success_url(self, member):
        return member.partnership.get_absolute_url()


class PartnershipMemberRoleView(TransitionView):
    model = PartnershipMember

    def perform(self, member):
        services.partnership_member_set_role(
            actor=self.request.user, member=member, role=self.request.POST.get("role", "")
        )
        messages.success(self.request, _("Role saved."))

    def get_success_url(self, member):
        return member.partnership.get_absolute_url()


class PartnershipStatusView(TransitionView):
    model = Partnership
    success_message = ""

    def perform(self, partnership):
        services.partnership_change_status(
            actor=self.request.user,
            partnership=partnership,
            status=self.request.POST.get("status", ""),
        )
        messages.success(self.request, _("Status changed."))


# --- agreements --------------------------------------------------------------------


class AgreementListView(FilteredListView):
    model = Agreement
    queryset = Agreement.objects.with_parties()
    filterset_class = AgreementFilterSet
    template_name = "partnerships/agreement_list.html"
    context_object_name = "agreements"
    table_class = AgreementTable
    default_ordering = ("-created_at",)
    csv_filename = "agreements.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = acting_organizations(self.request.user).exists()
        return context


class AgreementDetailView(RecordDetailView):
    model = Agreement
    queryset = Agreement.objects.with_parties().select_related("renewed_from", "terminated_by")
    template_name = "partnerships/agreement_detail.html"
    context_object_name = "agreement"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        user = self.request.user
        parties = list(agreement.parties.all())
        actions = services.agreement_actions(user, agreement)
        can_edit = "edit" in actions
        context.update(
            parties=parties,
            actions=actions,
            can_edit=can_edit,
            signable=services.signable_parties(user, agreement) if "sign" in actions else [],
            renewals=list(agreement.renewals.all()),
            today=timezone.localdate(),
        )
        if context["tab"] == "overview":
            today = context["today"]
            clauses = list(
                agreement.clauses.select_related(
                    "party", "status_changed_by", "evidence_by", "evidence_attachment"
                )
            )
            for clause in clauses:
                clause.actions = services.clause_actions(user, clause, today)
            context["matrix"] = [
                {
                    "kind": kind,
                    "label": label,
                    "cells": [
                        [c for c in clauses if c.party_id == p.pk and c.kind == kind]
                        for p in parties
                    ],
                }
                for kind, label in ClauseKind.choices
            ]
            context["clause_count"] = len(clauses)
            context["signed_count"] = sum(1 for p in parties if p.has_signed)
            if "send" in actions:
                context["send_missing"] = services.send_requirements(
                    agreement, parties=parties, clause_count=len(clauses)
                )
            if can_edit:
                context["clause_form"] = ClauseForm(agreement=agreement, prefix="clause")
                context["party_form"] = PartyForm(prefix="party")
            context["sign_form"] = SignForm(parties=context["signable"], user=user)
            context["renew_form"] = RenewForm()
            context["fulfil_form"] = ClauseFulfilForm()
        return context


class AgreementPrintView(VisibleRecordMixin, DetailView):
    """The agreement as a document: title, reference, parties with their credit codes,
    preamble, legal basis, every party's clauses, the signatures and the terms hash;
    printed, or saved as a PDF, from the browser."""

    model = Agreement
    queryset = Agreement.objects.with_parties()
    template_name = "partnerships/agreement_print.html"
    context_object_name = "agreement"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        access.note_reads(self.request.user, [agreement])
        parties = list(agreement.parties.all())
        clauses = list(agreement.clauses.order_by("party_id", "-kind", "due_date", "pk"))
        number = 0
        sections = []
        for party in parties:
            groups = []
            for kind, label in (
                (ClauseKind.RESPONSIBILITY, _("Responsibilities")),
                (ClauseKind.RIGHT, _("Rights")),
            ):
                rows = [c for c in clauses if c.party_id == party.pk and c.kind == kind]
                for clause in rows:
                    number += 1
                    clause.number = number
                if rows:
                    groups.append({"label": label, "clauses": rows})
            sections.append({"party": party, "groups": groups})
        terms = agreement.terms_hash()
        for party in parties:
            party.signed_these_terms = party.has_signed and party.signed_terms_hash == terms
        context.update(parties=parties, document_sections=sections, terms_hash=terms)
        return context


class AgreementCreateView(ServiceCreateView):
    form_class = AgreementForm
    template_name = "partnerships/agreement_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acting_organizations(request.user).exists():
            raise PermissionDenied(
                _(
                    "Only an organization's admins and staff draft its agreements; your "
                    "role lets you read them. An admin of your organization can change "
                    "your role."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        partnership = self.request.GET.get("partnership")
        if partnership and partnership.isdigit():
            initial["partnership"] = int(partnership)
        return initial

    def create(self, form):
        data = form.cleaned_data
        return services.agreement_create(
            actor=self.request.user,
            parties=form.parties(),
            **{key: data[key] for key in services.AGREEMENT_TERM_FIELDS},
        )

    def success_message(self, record) -> str:
        return _(
            "Draft %(reference)s created. Now add each party's rights and responsibilities."
        ) % {"reference": record.reference}


class AgreementEditMixin(RecordChangeMixin):
    model = Agreement

    def can_write(self, user, obj) -> bool:
        return services.can_edit_terms(user, obj)


class AgreementTermsUpdateView(AgreementEditMixin, ServiceUpdateView):
    form_class = AgreementTermsForm
    template_name = "partnerships/agreement_form.html"
    context_object_name = "agreement"
    success_message = gettext_lazy("Terms saved.")

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def save(self, form):
        services.agreement_update_terms(
            actor=self.request.user, agreement=self.object, **form.cleaned_data
        )


class PartyAddView(AgreementEditMixin, TransitionView):
    def perform(self, agreement):
        form = PartyForm(self.request.POST, prefix="party")
        if not form.is_valid():
            raise ValidationError(_("Choose an organization to add."))
        services.party_add(actor=self.request.user, agreement=agreement, **form.cleaned_data)
        messages.success(self.request, _("Party added."))


class PartyRoleView(TransitionView):
    """Give a party its role in the agreement (while the terms may change)."""

    model = AgreementParty

    def perform(self, party):
        form = PartyRoleForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.party_set_role(
            actor=self.request.user, party=party, role=form.cleaned_data["role"]
        )
        messages.success(
            self.request,
            _("Role of %(name)s saved.") % {"name": party.organization.name},
        )

    def get_success_url(self, party):
        return party.agreement.get_absolute_url()


class PartyRemoveView(TransitionView):
    model = AgreementParty

    def perform(self, party):
        services.party_remove(actor=self.request.user, party=party)
        messages.success(self.request, _("Party removed."))

    def get_success_url(self, party):
        return party.agreement.get_absolute_url()


class ClauseCreateView(AgreementEditMixin, View):
    def post(self, request, pk):
        agreement = self.get_object()
        form = ClauseForm(request.POST, agreement=agreement, prefix="clause")
        if form.is_valid():
            try:
                services.clause_create(actor=request.user, agreement=agreement, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(agreement)
        if form.errors:
            return render(
                request,
                "partnerships/clause_form.html",
                {"form": form, "agreement": agreement},
                status=400,
            )
        messages.success(request, _("Clause added."))
        return redirect(f"{agreement.get_absolute_url()}#matrix")


class ClauseUpdateView(RecordChangeMixin, View):
    model = Clause

    def can_write(self, user, obj) -> bool:
        return services.can_edit_terms(user, obj.agreement)

    def get(self, request, pk):
        clause = self.get_object()
        form = ClauseForm(instance=clause, agreement=clause.agreement)
        return render(
            request,
            "partnerships/clause_form.html",
            {"form": form, "agreement": clause.agreement, "clause": clause},
        )

    def post(self, request, pk):
        clause = self.get_object()
        form = ClauseForm(request.POST, agreement=clause.agreement)
        if form.is_valid():
            try:
                services.clause_update(actor=request.user, clause=clause, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(clause.agreement)
        if form.errors:
            return render(
                request,
                "partnerships/clause_form.html",
                {"form": form, "agreement": clause.agreement, "clause": clause},
                status=400,
            )
        messages.success(request, _("Clause saved."))
        return redirect(clause.get_absolute_url())


class ClauseDeleteView(TransitionView):
    model = Clause

    def perform(self, clause):
        services.clause_delete(actor=self.request.user, clause=clause)
        messages.success(self.request, _("Clause removed."))

    def get_success_url(self, clause):
        return clause.agreement.get_absolute_url()


class AgreementSendView(TransitionView):
    model = Agreement

    def perform(self, agreement):
        services.agreement_send(actor=self.request.user, agreement=agreement)
        messages.success(self.request, _("Sent to the parties for signature."))


class AgreementSignView(TransitionView):
    model = Agreement

    def perform(self, agreement):
        post = self.request.POST
        organization = None
        if post.get("organization"):
            # The field comes from the browser: anything but one of the parties (text,
            # an id too large for the database, another organization) is a message.
            form = SignForm(post, parties=agreement.parties.all())
            form.is_valid()
            if "organization" in form.errors:
                raise ValidationError(_("Choose one of the agreement's parties to sign for."))
            organization = form.cleaned_data["organization"]
        # Who may sign for the party is asked first; the service then checks the name,
        # title and place (a missing place, an over-long title: a message).
        agreement = services.agreement_sign(
            actor=self.request.user,
            agreement=agreement,
            organization=organization,
            signatory_name=post.get("signatory_name"),
            signatory_title=post.get("signatory_title", ""),
            place=post.get("place", ""),
        )
        if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
            messages.success(self.request, _("Signed. Every party has now signed."))
        else:
            messages.success(self.request, _("Signed. Waiting for the other parties."))


class AgreementTerminateView(RecordChangeMixin, View):
    """Terminating is a step of its own: a page that asks for the reason and for a
    confirmation (a checkbox, so it works without scripts) before it ends the
    agreement for every party."""

    model = Agreement
    template_name = "partnerships/agreement_terminate.html"

    def can_write(self, user, obj) -> bool:
        return services.can_terminate(user, obj)

    def open_or_message(self, agreement) -> bool:
        if "terminate" in services.agreement_actions(self.request.user, agreement):
            return True
        messages.error(
            self.request,
            _("%(reference)s cannot be terminated: it is %(status)s.")
            % {"reference": agreement.reference, "status": agreement.get_status_display()},
        )
        return False

    def render(self, agreement, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"agreement": agreement, "form": form},
            status=status,
        )

    def get(self, request, pk):
        agreement = self.get_object()
        if not self.open_or_message(agreement):
            return redirect(agreement)
        return self.render(agreement, TerminateForm())

    def post(self, request, pk):
        agreement = self.get_object()
        form = TerminateForm(request.POST)
        if form.is_valid():
            try:
                services.agreement_terminate(
                    actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"]
                )
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(agreement)
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            else:
                messages.success(request, _("The agreement is terminated."))
                return redirect(agreement)
        return self.render(agreement, form, status=400)


class AgreementRenewView(TransitionView):
    model = Agreement

    def perform(self, agreement):
        form = RenewForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Check the dates."))
        renewal = services.agreement_renew(
            actor=self.request.user, agreement=agreement, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("Renewal %(reference)s drafted: review it and send it to the parties.")
            % {"reference": renewal.reference},
        )
        return renewal


class ClauseTransitionView(TransitionView):
    model = Clause
    success_message = gettext_lazy("Clause updated.")

    def note(self) -> str:
        form = ClauseStatusForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        return form.cleaned_data["note"]

    def get_success_url(self, clause):
        return clause.get_absolute_url()


class ClauseBreachView(ClauseTransitionView):
    def perform(self, clause):
        services.clause_breach(actor=self.request.user, clause=clause, note=self.note())


class ClauseWaiveView(ClauseTransitionView):
    def perform(self, clause):
        services.clause_waive(actor=self.request.user, clause=clause, note=self.note())


class ClauseConfirmView(ClauseTransitionView):
    success_message = gettext_lazy("Fulfilment confirmed.")

    def perform(self, clause):
        services.clause_confirm(actor=self.request.user, clause=clause)


class ClauseStepView(VisibleRecordMixin, SingleObjectMixin, View):
    """A clause step that asks for something first (evidence, a reason): its own page
    (GET), and its form posted from there or from the agreement page. A clause the
    reader cannot see is a 404; one whose step belongs to the other side, a 403."""

    model = Clause
    queryset = Clause.objects.select_related(
        "agreement", "party__organization", "evidence_by", "evidence_attachment"
    )
    template_name = "partnerships/clause_step.html"
    step = ""
    form_class = ClauseFulfilForm
    title = ""
    intro = ""
    button = ""
    success_message = ""

    def perform(self, clause, data):  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    def clause(self) -> Clause:
        clause = self.get_object()
        if not services.may_take_clause_step(self.request.user, clause, self.step):
            raise PermissionDenied
        return clause

    def render(self, clause, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "clause": clause,
                "agreement": clause.agreement,
                "form": form,
                "step": self.step,
                "title": self.title,
                "intro": self.intro,
                "button": self.button,
            },
            status=status,
        )

    def get(self, request, pk):
        clause = self.clause()
        if self.step not in services.clause_actions(request.user, clause):
            messages.error(
                request,
                _("That step is not open for this clause now: it is %(status)s.")
                % {"status": clause.get_status_display()},
            )
            return redirect(clause.get_absolute_url())
        return self.render(clause, self.form_class())

    def post(self, request, pk):
        clause = self.clause()
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.perform(clause, form.cleaned_data)
            except services.InvalidTransition as error:
                messages.error(request, error.message)
                return redirect(clause.get_absolute_url())
            except ValidationError as error:
                form.add_error(None, known_fields(form, error))
            else:
                messages.success(request, self.success_message)
                return redirect(clause.get_absolute_url())
        return self.render(clause, form, status=400)


class ClauseFulfilView(ClauseStepView):
    step = "fulfil"
    form_class = ClauseFulfilForm
    title = gettext_lazy("Mark fulfilled")
    intro = gettext_lazy(
        "Say what was done, with a file if you have one. The parties it is owed to "
        "then confirm it, or dispute it with a reason."
    )
    button = gettext_lazy("Record as fulfilled")
    success_message = gettext_lazy("Recorded as fulfilled: the other parties are asked to confirm.")

    def perform(self, clause, data):
        services.clause_fulfil(
            actor=self.request.user,
            clause=clause,
            evidence=data["evidence"],
            upload=data.get("attachment"),
        )


class ClauseDisputeView(ClauseStepView):
    step = "dispute"
    form_class = ClauseDisputeForm
    title = gettext_lazy("Dispute the fulfilment")
    intro = gettext_lazy(
        "Say why the evidence does not show the clause done. It is open again, and both "
        "sides are told."
    )
    button = gettext_lazy("Dispute")
    success_message = gettext_lazy("Disputed: the clause is open again.")

    def perform(self, clause, data):
        services.clause_dispute(actor=self.request.user, clause=clause, reason=data["reason"])


# --- clauses across agreements -----------------------------------------------------


class ClauseListView(FilteredListView):
    model = Clause
    queryset = Clause.objects.select_related("agreement", "party__organization")
    filterset_class = ClauseFilterSet
    template_name = "partnerships/clause_list.html"
    context_object_name = "clauses"
    table_class = ClauseTable
    default_ordering = ("due_date", "pk")
    csv_filename = "clauses.csv"


class ObligationListView(FilteredListView):
    """Our obligations: the responsibilities the reader's organizations owe under
    agreements that bind them (signed or active), overdue first, then by due date."""

    model = Clause
    queryset = Clause.objects.select_related(
        "agreement", "party__organization", "status_changed_by"
    ).prefetch_related(
        Prefetch(
            "agreement__parties", queryset=AgreementParty.objects.select_related("organization")
        )
    )
    filterset_class = ObligationFilterSet
    template_name = "partnerships/obligation_list.html"
    context_object_name = "clauses"
    table_class = ObligationTable
    csv_filename = "obligations.csv"

    def restrict(self, queryset):
        user = self.request.user
        return queryset.visible_to(user).obligations(access.organization_ids(user))

    def get_queryset(self):
        queryset = super().get_queryset()
        chosen = self.request.GET.get("ordering", "").lstrip("-")
        if chosen in self.table_class.ordering_fields():
            return queryset
        today = timezone.localdate()
        return queryset.annotate(
            overdue_first=Case(
                When(status=ClauseStatus.OPEN, due_date__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("overdue_first", F("due_date").asc(nulls_last=True), "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        for clause in context["object_list"]:
            clause.actions = services.clause_actions(user, clause, today)
        context["today"] = today
        return context
