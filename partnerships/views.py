from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
)

from . import services
from .filters import AgreementFilterSet, ClauseFilterSet, PartnershipFilterSet
from .forms import (
    AgreementForm,
    AgreementTermsForm,
    ClauseForm,
    ClauseStatusForm,
    PartnershipEditForm,
    PartnershipForm,
    PartnershipMemberForm,
    PartyForm,
    RenewForm,
    SignForm,
    TerminateForm,
    acting_organizations,
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
from .tables import AgreementTable, ClauseTable, PartnershipTable

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
        context["can_create"] = acting_organizations(self.request.user).exists()
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
            # Funding reaches partnerships through FundApplication.partnership; the
            # relation is absent if the funding app is not installed.
            funding = getattr(partnership, "fund_applications", None)
            context["funding"] = (
                funding.visible_to(user).select_related("program", "applicant")
                if funding is not None
                else []
            )
            context["member_form"] = PartnershipMemberForm()
            context["next_statuses"] = [
                (value, label)
                for value, label in PartnershipStatus.choices
                if value in services.PARTNERSHIP_TRANSITIONS[partnership.status]
            ]
            context["today"] = timezone.localdate()
        return context


class PartnershipCreateView(ServiceCreateView):
    form_class = PartnershipForm
    template_name = "partnerships/partnership_form.html"

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
            clauses = list(agreement.clauses.select_related("party", "status_changed_by"))
            for clause in clauses:
                clause.actions = services.clause_actions(user, clause)
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
            if can_edit:
                context["clause_form"] = ClauseForm(agreement=agreement, prefix="clause")
                context["party_form"] = PartyForm(prefix="party")
            context["sign_form"] = SignForm(parties=context["signable"])
            context["terminate_form"] = TerminateForm()
            context["renew_form"] = RenewForm()
            context["status_form"] = ClauseStatusForm()
        return context


class AgreementCreateView(ServiceCreateView):
    form_class = AgreementForm
    template_name = "partnerships/agreement_form.html"

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
        organization = None
        if self.request.POST.get("organization"):
            # The field comes from the browser: anything but one of the parties (text,
            # an id too large for the database, another organization) is a message.
            form = SignForm(self.request.POST, parties=agreement.parties.all())
            if not form.is_valid():
                raise ValidationError(_("Choose one of the agreement's parties to sign for."))
            organization = form.cleaned_data["organization"]
        agreement = services.agreement_sign(
            actor=self.request.user, agreement=agreement, organization=organization
        )
        if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
            messages.success(self.request, _("Signed. Every party has now signed."))
        else:
            messages.success(self.request, _("Signed. Waiting for the other parties."))


class AgreementTerminateView(TransitionView):
    model = Agreement

    def perform(self, agreement):
        services.agreement_terminate(
            actor=self.request.user, agreement=agreement, reason=self.request.POST.get("reason", "")
        )
        messages.success(self.request, _("The agreement is terminated."))


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


class ClauseFulfilView(ClauseTransitionView):
    def perform(self, clause):
        services.clause_fulfil(actor=self.request.user, clause=clause, note=self.note())


class ClauseBreachView(ClauseTransitionView):
    def perform(self, clause):
        services.clause_breach(actor=self.request.user, clause=clause, note=self.note())


class ClauseWaiveView(ClauseTransitionView):
    def perform(self, clause):
        services.clause_waive(actor=self.request.user, clause=clause, note=self.note())


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
