from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal import access
from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from .models import Agreement, AgreementParty, Clause, Partnership
from .services import AGREEMENT_TERM_FIELDS, CLAUSE_TERM_FIELDS, PARTNERSHIP_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def acting_organizations(user):
    """Organizations the user may act for (as admin or staff)."""
    return Organization.objects.filter(
        pk__in=access.organization_ids(user, access.WRITE_ROLES), is_active=True
    )


def lead_organizations(user):
    """The colleges and enterprises the user acts for: those that may lead a partnership."""
    return acting_organizations(user).filter(
        kind__in=[OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE]
    )


class PartnershipForm(StyledModelForm):
    lead = forms.ModelChoiceField(
        label=_("Lead organization"), queryset=Organization.objects.none()
    )
    lead_role = forms.CharField(label=_("Lead's role"), max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Member organizations"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_(
            "The other colleges, enterprises and bodies taking part. "
            "Add each one's role on the partnership page."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Partnership
        fields = [
            "name",
            "kind",
            "lead",
            "lead_role",
            "start_date",
            "end_date",
            "description",
            "members",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_organizations(user)
        self.fields["members"].queryset = Organization.objects.filter(is_active=True)


class PartnershipEditForm(StyledModelForm):
    class Meta:
        model = Partnership
        fields = list(PARTNERSHIP_FIELDS)
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class PartnershipMemberForm(StyledForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)


class AgreementTermsForm(StyledModelForm):
    """The terms of an agreement (not its parties or clauses)."""

    class Meta:
        model = Agreement
        fields = list(AGREEMENT_TERM_FIELDS)
        widgets = {
            "effective_date": DATE,
            "expiry_date": DATE,
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.linkable_by(user)


class AgreementForm(AgreementTermsForm):
    """Drafting an agreement: its terms, and who the parties are."""

    own_party = forms.ModelChoiceField(
        label=_("Your organization (a party)"), queryset=Organization.objects.none()
    )
    own_role = forms.CharField(
        label=_("Your organization's role"), max_length=100, required=False, initial=_("Party A")
    )
    other_parties = forms.ModelMultipleChoiceField(
        label=_("Other parties"),
        queryset=Organization.objects.none(),
        help_text=_(
            "One or more: an enterprise, a college, a government department or an association. "
            "Hold Ctrl (⌘ on a Mac) to choose several."
        ),
        widget=forms.SelectMultiple(attrs={"size": 7}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["own_party"].queryset = acting_organizations(user)
        self.fields["other_parties"].queryset = Organization.objects.filter(is_active=True)
        if self.fields["own_party"].queryset.count() == 1:
            self.fields["own_party"].initial = self.fields["own_party"].queryset.first()

    def clean(self):
        cleaned = super().clean()
        own, others = cleaned.get("own_party"), cleaned.get("other_parties")
        if own and others is not None and own in others:
            self.add_error("other_parties", _("Your own organization is already a party."))
        return cleaned

    def parties(self) -> list[tuple[Organization, str]]:
        return [(self.cleaned_data["own_party"], self.cleaned_data["own_role"])] + [
            (organization, "") for organization in self.cleaned_data["other_parties"]
        ]


class PartyForm(StyledForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(is_active=True)
    )
    role = forms.CharField(label=_("Role in the agreement"), max_length=100, required=False)


class ClauseForm(StyledModelForm):
    class Meta:
        model = Clause
        fields = list(CLAUSE_TERM_FIELDS)
        widgets = {"due_date": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = AgreementParty.objects.filter(
            agreement=agreement
        ).select_related("organization")


class ClauseStatusForm(StyledForm):
    """The reason for a breach or a waiver."""

    note = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClauseFulfilForm(StyledForm):
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What was done, and how the other parties can check it "
            "(a register, a report, a receipt number)."
        ),
    )
    attachment = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PNG or JPG. It is attached to the clause."),
    )


class ClauseDisputeForm(StyledForm):
    reason = forms.CharField(
        label=_("Why you dispute it"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The owing party reads this; the clause is open again."),
    )


class PartyRoleForm(StyledForm):
    role = forms.CharField(label=_("Role in the agreement"), max_length=100)


class TerminateForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for terminating"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every party reads it, and it stays on the agreement."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this ends the agreement for every party, and cannot be undone."),
    )


class RenewForm(StyledForm):
    effective_date = forms.DateField(
        label=_("New effective date"),
        widget=DATE,
        validators=[validate_portal_date],
        required=False,
    )
    expiry_date = forms.DateField(
        label=_("New expiry date"), widget=DATE, validators=[validate_portal_date], required=False
    )


class SignForm(StyledForm):
    """A signature: for which party, by whom (name and title) and where."""

    organization = forms.ModelChoiceField(label=_("Sign for"), queryset=Organization.objects.none())
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=200)
    signatory_title = forms.CharField(
        label=_("Signatory's title"),
        max_length=200,
        required=False,
        help_text=_("e.g. “President”, “Legal representative”, “Director”."),
    )
    place = forms.CharField(
        label=_("Place of signing"), max_length=200, help_text=_("The city, for example.")
    )

    def __init__(self, *args, parties, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        parties = list(parties)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[p.organization_id for p in parties]
        )
        if user is not None and not self.is_bound:
            # Prefilled from the profile (there is no job title on it to offer) and from
            # the organization's region.
            self.initial.setdefault("signatory_name", user.get_full_name() or user.username)
            first = parties[0].organization if parties else None
            if first is not None:
                self.initial.setdefault("organization", first.pk)
                self.initial.setdefault("place", first.region or first.city)
