"""The forms of the nomination pages: nominating students, a step's reason, the accepted
student's consent, the gates before starting and an evaluation. They only read input;
``internships.services`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT

from ..models import BASE_RATING_CRITERIA, EVALUATION_CRITERIA, Evaluation, Nomination, Student
from . import DATE

FILE_TYPES = _("PDF, DOCX, XLSX, PNG or JPG.")


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, student: Student) -> str:
        parts = [f"{student.name} ({student.student_number})", student.specialty]
        if student.class_name:
            parts.append(student.class_name)
        parts.append(str(student.enrolment_year))
        return " · ".join(parts)


class NominateForm(StyledForm):
    students = StudentChoiceField(
        label=_("Students"),
        queryset=Student.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one student.")},
    )
    note = forms.CharField(
        label=_("Note to the host"),
        max_length=NOTE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students


class ReasonForm(StyledForm):
    """Why a nomination is rejected, withdrawn or declined (the service says when one is
    required)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(StyledForm):
    consent = forms.FileField(
        label=_("The student's signed consent"),
        help_text=FILE_TYPES,
        error_messages={"required": _("Attach the student's signed consent.")},
    )


class GatesForm(StyledModelForm):
    """What must be in place before the internship starts. Both documents are uploads
    that become attachments of the nomination; every field may be left for later."""

    tripartite_scan = forms.FileField(
        label=_("Scan of the signed tripartite agreement"), required=False, help_text=FILE_TYPES
    )
    guardian_consent = forms.FileField(
        label=_("Guardian's signed consent"), required=False, help_text=FILE_TYPES
    )

    class Meta:
        model = Nomination
        fields = [
            "tripartite_signed_on",
            "insurer",
            "policy_number",
            "policy_start",
            "policy_end",
            "policy_paid_by",
            "tracking_teacher_name",
            "tracking_teacher_phone",
            "guide_name",
        ]
        widgets = {"tripartite_signed_on": DATE, "policy_start": DATE, "policy_end": DATE}

    field_order = [
        "tripartite_signed_on",
        "tripartite_scan",
        "guardian_consent",
        "insurer",
        "policy_number",
        "policy_start",
        "policy_end",
        "policy_paid_by",
        "tracking_teacher_name",
        "tracking_teacher_phone",
        "guide_name",
    ]

    def __init__(self, *args, needs_guardian_consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_guardian_consent:
            del self.fields["guardian_consent"]
        guide = self.instance.placement.guide_name
        if guide:
            self.fields["guide_name"].widget.attrs["placeholder"] = guide
            self.fields["guide_name"].help_text = _(
                "Leave empty for the placement's guide, shown in grey."
            )

    def gate_values(self) -> dict:
        """The recorded fields, as ``nomination_record_gates`` takes them (the documents
        are added by the view once stored)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


SCORE_CHOICES = [("", "—"), *((score, str(score)) for score in range(1, 6))]


class EvaluationForm(StyledModelForm):
    """Scores of 1 (poor) to 5 (excellent); the base ratings only where the teacher rates
    the practice base the internship was at."""

    class Meta:
        model = Evaluation
        fields = ["evaluator_name", *EVALUATION_CRITERIA, "comments", *BASE_RATING_CRITERIA]
        widgets = {
            **{
                name: forms.Select(choices=SCORE_CHOICES)
                for name in (*EVALUATION_CRITERIA, *BASE_RATING_CRITERIA)
            },
            "comments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, rates_base: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name in BASE_RATING_CRITERIA:
            if rates_base:
                self.fields[name].required = True
            else:
                del self.fields[name]
