from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from partnerships.models import Partnership
from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from ..models import (
    BudgetLine,
    ConflictOfInterest,
    FundApplication,
    FundProgram,
    ReviewCriterion,
)
from ..pickers import program_applicants, program_departments
from ..services import APPLICATION_FIELDS, PROGRAM_FIELDS
from .questions import AnswerFieldsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
APPLICANT_KIND_CHOICES = [
    (OrganizationKind.COLLEGE, OrganizationKind.COLLEGE.label),
    (OrganizationKind.ENTERPRISE, OrganizationKind.ENTERPRISE.label),
    (OrganizationKind.ASSOCIATION, OrganizationKind.ASSOCIATION.label),
]


class FundProgramForm(StyledModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=APPLICANT_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FundProgram
        fields = ["department", *PROGRAM_FIELDS]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = program_departments(user)
        if self.instance.pk:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments
            if departments.count() == 1:
                self.fields["department"].initial = departments.first()


class CriterionForm(StyledModelForm):
    class Meta:
        model = ReviewCriterion
        fields = ["name", "weight", "max_score", "description", "guidance"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }


class FundApplicationForm(AnswerFieldsMixin, StyledModelForm):
    """The application's fields, then one field per question of the program
    (``question_<id>``)."""

    class Meta:
        model = FundApplication
        fields = ["applicant", *APPLICATION_FIELDS]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, program: FundProgram | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_answer_fields(program or self.instance.program)
        self.fields["partnership"].queryset = Partnership.objects.linkable_by(user)
        if self.instance.pk:
            del self.fields["applicant"]
            return
        applicants = program_applicants(user, program)
        self.fields["applicant"].queryset = applicants
        if applicants.count() == 1:
            self.fields["applicant"].initial = applicants.first()


class BudgetLineForm(StyledModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]


class DecisionForm(StyledForm):
    amount = forms.DecimalField(
        label=_("Amount to award (yuan)"), max_digits=14, decimal_places=2, required=False
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class TrancheForm(StyledForm):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE, validators=[validate_portal_date])
    milestone = forms.CharField(
        label=_("Evidence it waits for"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for an advance."),
    )


class ReportScheduleForm(StyledForm):
    due_date = forms.DateField(label=_("Due date"), widget=DATE, validators=[validate_portal_date])
    period_start = forms.DateField(
        label=_("Period from"), widget=DATE, validators=[validate_portal_date]
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=DATE, validators=[validate_portal_date]
    )


# The progress report's form (every indicator, every budget line): forms/awards.py.


class CommentForm(StyledForm):
    comment = forms.CharField(
        label=_("Comments"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ConflictForm(StyledModelForm):
    class Meta:
        model = ConflictOfInterest
        fields = ["organization", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True)
