from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from partnerships.models import Agreement, AgreementKind
from portal import access
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from ..models import Placement, PracticeBase, Student
from ..services import PLACEMENT_FIELDS, PRACTICE_BASE_FIELDS, STUDENT_FIELDS, student_colleges

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def acting_organizations(user, kinds=None):
    """Organizations the user may act for (as admin or staff), of the given kinds."""
    organizations = Organization.objects.filter(
        pk__in=access.organization_ids(user, access.WRITE_ROLES), is_active=True
    )
    return organizations.filter(kind__in=kinds) if kinds else organizations


def colleges():
    return Organization.objects.filter(kind=OrganizationKind.COLLEGE, is_active=True)


class PracticeBaseEditForm(StyledModelForm):
    colleges = forms.ModelMultipleChoiceField(
        label=_("Colleges served"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = PracticeBase
        fields = [*PRACTICE_BASE_FIELDS[:6], "colleges", *PRACTICE_BASE_FIELDS[6:]]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleges"].queryset = colleges()
        self.fields["agreement"].queryset = Agreement.objects.visible_to(user).filter(
            kind=AgreementKind.PRACTICE_BASE
        )
        if self.instance.pk:
            self.fields["colleges"].initial = [
                link.organization_id for link in self.instance.colleges.all()
            ]


class PracticeBaseForm(PracticeBaseEditForm):
    host = forms.ModelChoiceField(label=_("Host"), queryset=Organization.objects.none())

    class Meta(PracticeBaseEditForm.Meta):
        fields = ["host", *PracticeBaseEditForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["host"].queryset = Organization.objects.filter(
            kind__in=[OrganizationKind.ENTERPRISE, OrganizationKind.COLLEGE], is_active=True
        )
        own = acting_organizations(user)
        if own.count() == 1:
            self.fields["host"].initial = own.first()


class PlacementEditForm(StyledModelForm):
    class Meta:
        model = Placement
        fields = [*PLACEMENT_FIELDS[:-1], "open_to_colleges", PLACEMENT_FIELDS[-1]]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "open_to_colleges": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_base"].queryset = PracticeBase.objects.visible_to(user)
        self.fields["open_to_colleges"].queryset = colleges()
        self.fields["open_to_colleges"].help_text = _(
            "Only when it is open to chosen colleges. All partner colleges are those sharing "
            "a signed or active agreement with the host."
        )


class PlacementForm(PlacementEditForm):
    host = forms.ModelChoiceField(label=_("Host enterprise"), queryset=Organization.objects.none())

    class Meta(PlacementEditForm.Meta):
        fields = ["host", *PlacementEditForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        own = acting_organizations(user, [OrganizationKind.ENTERPRISE])
        self.fields["host"].queryset = own
        if own.count() == 1:
            self.fields["host"].initial = own.first()


class CancelForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def kept_colleges(user):
    """The colleges whose students the user keeps (admins and staff)."""
    return Organization.objects.filter(pk__in=student_colleges(user), is_active=True)


class StudentEditForm(StyledModelForm):
    class Meta:
        model = Student
        fields = list(STUDENT_FIELDS)
        widgets = {"date_of_birth": DATE}


class StudentForm(StudentEditForm):
    college = forms.ModelChoiceField(label=_("College"), queryset=Organization.objects.none())

    class Meta(StudentEditForm.Meta):
        fields = ["college", *STUDENT_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = kept_colleges(user)
        self.fields["college"].queryset = own
        if own.count() == 1:
            self.fields["college"].initial = own.first()


class StudentImportForm(StyledForm):
    college = forms.ModelChoiceField(label=_("College"), queryset=Organization.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "UTF-8, with a header row naming the columns: {columns}. "
                "student_number, name, specialty and enrolment_year are required; a column "
                "left out keeps each student's value."
            ),
            columns=", ".join(STUDENT_FIELDS),
        ),
    )
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing"),
        required=False,
        help_text=_("If any row has an error, import none of them."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = kept_colleges(user)
        self.fields["college"].queryset = own
        if own.count() == 1:
            self.fields["college"].initial = own.first()
