"""The forms of an award's money and results: releasing a tranche with its payment,
cancelling one with a reason, revising the budget to a reduced award, a program's
indicators, and a progress report with every indicator's value and the spend per
budget line. They only read input; ``funding.services`` decides."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm
from portal.limits import LONG_TEXT, NOTE_TEXT

from ..models import BudgetLine, PerformanceIndicator
from ..services.payments import CANCEL_REASON_LENGTH, PAYMENT_REFERENCE_LENGTH
from ..services.revisions import MAX_REVISION_LINES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Blank lines offered below the budget's lines on the revision form.
BLANK_REVISION_ROWS = 3


def _money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        # Added after the form styled its fields, so styled here.
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "class": "form-control"}),
        **kwargs,
    )


class TrancheReleaseForm(StyledForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, validators=[validate_portal_date])
    voucher_number = forms.CharField(
        label=_("Voucher or transaction number"), max_length=PAYMENT_REFERENCE_LENGTH
    )
    payee_account = forms.CharField(
        label=_("Payee's account"),
        max_length=PAYMENT_REFERENCE_LENGTH,
        help_text=_("The bank account the money was paid to."),
    )
    confirm = forms.BooleanField(label=_("I confirm this payment was made as recorded here."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class TrancheCancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=CANCEL_REASON_LENGTH,
        help_text=_("The awardee reads it."),
    )
    confirm = forms.BooleanField(
        label=_("Cancel this tranche: its amount may be planned again, nothing is paid.")
    )


LINE_FIELDS = ("category", "description", "amount")


class RevisionLineForm(StyledModelForm):
    class Meta:
        model = BudgetLine
        fields = LINE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False  # a blank line is no line, not an error


class BaseRevisionFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The lines kept: the lines shown unless ticked for removal, and the blank
        lines filled in."""
        kept = []
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append({name: form.cleaned_data.get(name) for name in LINE_FIELDS})
        return kept


RevisionFormSet = forms.formset_factory(
    RevisionLineForm,
    formset=BaseRevisionFormSet,
    extra=BLANK_REVISION_ROWS,
    can_delete=True,
    max_num=MAX_REVISION_LINES,
    absolute_max=MAX_REVISION_LINES,
    validate_max=True,
)


def revision_formset(data=None, *, lines: Iterable = ()) -> BaseRevisionFormSet:
    """The revision's rows, starting from ``lines`` (budget lines or revision lines)."""
    initial = [
        {
            "category": line["category"] if isinstance(line, dict) else line.category,
            "description": line["description"] if isinstance(line, dict) else line.description,
            "amount": line["amount"] if isinstance(line, dict) else line.amount,
        }
        for line in lines
    ]
    return RevisionFormSet(data, initial=initial, prefix="lines")


class BudgetRevisionForm(StyledForm):
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=NOTE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevisionCommentForm(StyledForm):
    comment = forms.CharField(
        label=_("Comments"),
        max_length=NOTE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you return the revision: say what should change."),
    )


class IndicatorForm(StyledModelForm):
    class Meta:
        model = PerformanceIndicator
        fields = ["name", "unit", "target"]


class ReportForm(StyledForm):
    """What was done, the value to date of each of the program's indicators, and the
    spend to date on each of the application's budget lines (every one required)."""

    narrative = forms.CharField(
        label=_("What was done"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, indicators: Iterable = (), lines: Iterable = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.lines = list(lines)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = _money_field(
                f"{indicator.name} ({indicator.unit})",
                help_text=_("Value to date; the target is %(target)s.")
                % {"target": indicator.target},
            )
        for line in self.lines:
            self.fields[f"spend_{line.pk}"] = _money_field(
                _("Spent on “%(line)s” (yuan)") % {"line": line.description},
                help_text=_("To date; the line's budget is %(amount)s.") % {"amount": line.amount},
            )

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def spend_fields(self):
        return [self[f"spend_{line.pk}"] for line in self.lines]

    def indicator_values(self) -> list[tuple[int, Decimal]]:
        return [(i.pk, self.cleaned_data[f"indicator_{i.pk}"]) for i in self.indicators]

    def spend(self) -> list[tuple[int, Decimal]]:
        return [(line.pk, self.cleaned_data[f"spend_{line.pk}"]) for line in self.lines]
