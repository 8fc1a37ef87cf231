"""The forms of the certification pages: the application (its self-declaration, and its
investment rows as a formset: one line per year and kind, blank lines ignored, a ticked
"remove" drops a line), and each step's input. They only read input;
``associations.services.certifications`` decides."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from ..models import (
    MAX_INVESTMENT_ROWS,
    CertificationApplication,
    DeclaredInvestment,
    Entrustment,
)
from ..services.certifications import drafting_enterprises

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Blank lines offered below the rows already declared (save to get more).
BLANK_ROWS = 3


class CertificationForm(StyledModelForm):
    """The self-declaration of a draft."""

    class Meta:
        model = CertificationApplication
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 8})}


class NewCertificationForm(CertificationForm):
    """A new draft, of one of the enterprises the user acts for."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Organization.objects.none())

    field_order = ["enterprise", "statement"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = Organization.objects.filter(
            kind=OrganizationKind.ENTERPRISE, is_active=True
        ).order_by("name")
        if not user.is_superuser:
            enterprises = enterprises.filter(pk__in=drafting_enterprises(user))
        self.fields["enterprise"].queryset = enterprises
        if not self.is_bound and len(choices := list(enterprises[:2])) == 1:
            self.initial.setdefault("enterprise", choices[0].pk)

    def can_create(self) -> bool:
        return self.fields["enterprise"].queryset.exists()


class InvestmentRowForm(StyledModelForm):
    class Meta:
        model = DeclaredInvestment
        fields = ["year", "kind", "amount", "qualifying", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False  # a blank line is no row, not an error
        self.fields["year"].widget.attrs.update(min=1990, max=2200)


class BaseInvestmentFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The lines kept: the rows declared before unless ticked for removal, and the
        blank lines filled in."""
        kept = []
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append({name: form.cleaned_data[name] for name in InvestmentRowForm.Meta.fields})
        return kept


InvestmentFormSet = forms.formset_factory(
    InvestmentRowForm,
    formset=BaseInvestmentFormSet,
    extra=BLANK_ROWS,
    can_delete=True,
    max_num=MAX_INVESTMENT_ROWS,
    absolute_max=MAX_INVESTMENT_ROWS,
    validate_max=True,
)


def investment_formset(
    data=None, *, rows: Iterable[DeclaredInvestment] = ()
) -> BaseInvestmentFormSet:
    initial = [
        {
            "year": row.year,
            "kind": row.kind,
            "amount": row.amount,
            "qualifying": row.qualifying,
            "description": row.description,
        }
        for row in rows
    ]
    return InvestmentFormSet(data, initial=initial, prefix="investments")


class StartReviewForm(StyledForm):
    entrustment = forms.ModelChoiceField(
        label=_("Reviewed under the entrustment"),
        queryset=Entrustment.objects.none(),
        help_text=_(
            "An accepted certification review of your department whose scope takes in "
            "this enterprise and certification applications: the association reads the "
            "application through it, every read logged."
        ),
    )

    def __init__(self, *args, entrustments: Iterable[Entrustment] = (), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [entrustment.pk for entrustment in entrustments]
        self.fields["entrustment"].queryset = Entrustment.objects.filter(pk__in=ids).select_related(
            "association"
        )
        self.fields["entrustment"].label_from_instance = lambda entrustment: (
            f"{entrustment.title} · {entrustment.association.name}"
        )


class CertifyForm(StyledForm):
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DATE,
        validators=[validate_portal_date],
        help_text=_("Today if left empty."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        validators=[validate_portal_date],
        help_text=_("Three years on if left empty; never longer."),
    )


class ReasonsForm(StyledForm):
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The enterprise reads them."),
    )
