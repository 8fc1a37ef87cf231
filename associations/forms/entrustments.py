"""The forms of the entrustment pages. They only read input; the services decide."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from ..models import SCOPE_KINDS, Entrustment
from ..services.entrustments import MAX_DELIVERABLES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_deliverables(text: str) -> list[dict]:
    """``2027-03-31 Interim report``, one per line: a date, then the title."""
    rows, errors = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_DELIVERABLES:
        raise forms.ValidationError(
            _("At most %(count)d deliverables.") % {"count": MAX_DELIVERABLES}
        )
    for number, line in enumerate(lines, start=1):
        day, _space, title = line.partition(" ")
        try:
            due = date.fromisoformat(day)
            validate_portal_date(due)
        except (ValueError, forms.ValidationError):
            errors.append(
                _("Line %(n)d: start with the due date as 2027-03-31, then the title.")
                % {"n": number}
            )
            continue
        title = title.strip()
        if not title or len(title) > 200:
            errors.append(_("Line %(n)d: give a title of up to 200 characters.") % {"n": number})
            continue
        rows.append({"due_date": due, "title": title})
    if errors:
        raise forms.ValidationError(errors)
    return rows


class EntrustmentForm(StyledModelForm):
    """Work a department entrusts to an association: terms, scope, deliverables."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Organization.objects.none())
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Organization.objects.filter(
            kind=OrganizationKind.ASSOCIATION, is_active=True
        ).order_by("name"),
    )
    scope_organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations in scope"),
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE], is_active=True
        ).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The colleges and enterprises whose records the association may read."),
    )
    scope_kinds = forms.MultipleChoiceField(
        label=_("Kinds of record in scope"),
        choices=list(SCOPE_KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deliverables = forms.CharField(
        label=_("Deliverables"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("One per line: the due date, then the title (2027-03-31 Interim report)."),
    )

    class Meta:
        model = Entrustment
        fields = [
            "department",
            "association",
            "title",
            "kind",
            "description",
            "amount",
            "start_date",
            "end_date",
            "scope_organizations",
            "scope_kinds",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, departments: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Organization.objects.filter(
            pk__in=[department.pk for department in departments]
        )
        if len(departments) == 1:
            self.fields["department"].initial = departments[0].pk
        if self.instance.pk:
            for name in ("department", "association"):
                self.fields[name].disabled = True
            self.fields["deliverables"].initial = "\n".join(
                f"{row.due_date.isoformat()} {row.title}"
                for row in self.instance.deliverables.all()
            )

    def clean_deliverables(self) -> list[dict]:
        return parse_deliverables(self.cleaned_data["deliverables"])


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentsForm(StyledForm):
    comments = forms.CharField(
        label=_("What is to change"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
