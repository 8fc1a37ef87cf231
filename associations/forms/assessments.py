"""The forms of the assessment pages: choosing whom to assess, the assessment itself
(its subject, the rubric as rows, the evidence picked from the organization's records)
and the assessed organization's response. They only read input;
``associations.services.assessments`` decides."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.attachments import validate_upload
from portal.forms import StyledForm, StyledModelForm
from portal.limits import LONG_TEXT, NOTE_TEXT

from ..models import MAX_CRITERIA, MAX_EVIDENCE, Assessment, AssessmentCriterion
from ..services import assessments as service

# Blank rows a page adds below the rubric (more come with "Add a criterion").
BLANK_CRITERIA = 3


class AssessmentStartForm(StyledForm):
    """Whom the assessment is by and of: the first step of drafting one."""

    assessor = forms.ModelChoiceField(label=_("Assessed by"), queryset=Organization.objects.none())
    organization = forms.ModelChoiceField(
        label=_("Organization assessed"), queryset=Organization.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        assessors = service.assessing_organizations(user)
        self.fields["assessor"].queryset = Organization.objects.filter(
            pk__in=[assessor.pk for assessor in assessors]
        ).order_by("name")
        if len(assessors) == 1:
            self.fields["assessor"].initial = assessors[0].pk
        self.fields["organization"].queryset = service.assessable_organizations(user)
        self.fields["organization"].help_text = _(
            "An association assesses the colleges and enterprises in the scope of its open "
            "entrustments; a department, any of them."
        )

    def clean(self):
        cleaned = super().clean()
        assessor, organization = cleaned.get("assessor"), cleaned.get("organization")
        if (
            assessor is not None
            and organization is not None
            and assessor.kind == OrganizationKind.ASSOCIATION
            and not service.open_entrustments(assessor, organization).exists()
        ):
            self.add_error(
                "organization",
                _("%(association)s has no open entrustment whose scope includes %(organization)s.")
                % {"association": assessor.name, "organization": organization.name},
            )
        return cleaned


class CriterionForm(StyledForm):
    """One row of the rubric. A row left wholly blank is no criterion (so clearing a
    row removes it)."""

    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=100,
        required=False,
    )
    max_score = forms.IntegerField(
        label=_("Highest score"), min_value=1, max_value=100, initial=10, required=False
    )
    score = forms.DecimalField(
        label=_("Score"), max_digits=5, decimal_places=2, min_value=0, required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=NOTE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["data-criterion"] = name
            field.widget.attrs["class"] += " form-control-sm"
        for name in ("weight", "max_score", "score"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) not in (None, "") for name in ("name", "weight", "score", "comment")
        )

    def clean(self):
        cleaned = super().clean()
        if self.is_blank() and not self.errors:
            return cleaned
        if not (cleaned.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", _("Name the criterion."))
        if cleaned.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", _("Give its weight."))
        if cleaned.get("max_score") is None and "max_score" not in self.errors:
            cleaned["max_score"] = 10
        score, highest = cleaned.get("score"), cleaned.get("max_score")
        if score is not None and highest is not None and score > highest:
            self.add_error("score", _("At most the highest score, %(max)d.") % {"max": highest})
        return cleaned


CriterionFormSet = formset_factory(
    CriterionForm,
    extra=0,
    max_num=MAX_CRITERIA,
    absolute_max=MAX_CRITERIA,
    validate_max=True,
)


def record_key(kind: str, record_id: int) -> str:
    return f"{kind}:{record_id}"


class AssessmentForm(StyledModelForm):
    """An assessment's title, summary, subject and evidence, with its rubric as a
    formset (``self.criteria``). Creating one also carries whom it is by and of (from
    the first step) and, for an association, the entrustment it is made under."""

    subject = forms.ChoiceField(label=_("Subject"), required=False)
    evidence = forms.MultipleChoiceField(
        label=_("Evidence"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy(
            _(
                "Records of the organization you can see that the assessment rests on; the "
                "page names each as you see it now. At most {max}."
            ),
            max=MAX_EVIDENCE,
        ),
    )

    class Meta:
        model = Assessment
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    field_order = ["assessor", "organization", "entrustment", "title", "subject", "summary"]

    def __init__(
        self,
        *args,
        user,
        organization: Organization,
        assessor: Organization | None = None,
        subjects: dict[str, list] | None = None,
        evidence_records: dict[str, list] | None = None,
        criteria: Iterable[AssessmentCriterion] = (),
        cited: Iterable = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.creating = assessor is not None
        if self.creating:
            self._add_parties(assessor, organization)
        self._subjects = self._subject_choices(subjects or {})
        self._cited = {record_key(row.record_kind, row.record_id): row for row in cited}
        self._evidence = self._evidence_choices(evidence_records or {})
        rows = [
            {
                "name": row.name,
                "weight": row.weight,
                "max_score": row.max_score,
                "score": row.score,
                "comment": row.comment,
            }
            for row in criteria
        ]
        blank = max(0, min(BLANK_CRITERIA, MAX_CRITERIA - len(rows)))
        self.criteria = CriterionFormSet(
            self.data if self.is_bound else None,
            prefix="criteria",
            initial=rows + [{"max_score": 10}] * blank,
        )

    # -- choices ---------------------------------------------------------------------

    def _add_parties(self, assessor: Organization, organization: Organization) -> None:
        self.assessor = assessor
        hidden = forms.HiddenInput
        self.fields["assessor"] = forms.ModelChoiceField(
            queryset=Organization.objects.filter(pk=assessor.pk), initial=assessor.pk, widget=hidden
        )
        self.fields["organization"] = forms.ModelChoiceField(
            queryset=Organization.objects.filter(pk=organization.pk),
            initial=organization.pk,
            widget=hidden,
        )
        if assessor.kind == OrganizationKind.ASSOCIATION:
            entrustments = service.open_entrustments(assessor, organization)
            field = forms.ModelChoiceField(
                label=_("Under the entrustment"),
                queryset=entrustments,
                help_text=_("The open entrustment of your association whose scope includes it."),
            )
            found = list(entrustments[:2])
            if len(found) == 1:
                field.initial = found[0].pk
            self.fields["entrustment"] = field
            field.widget.attrs["class"] = "form-select"
        self.order_fields(self.field_order)

    def _subject_choices(self, subjects: dict[str, list]) -> dict[str, tuple[str, object]]:
        choices: list = [("", str(service.SubjectKind.ORGANIZATION.label))]
        known: dict[str, tuple[str, object]] = {}
        current = self.instance.pk and service.subject_record(self.instance)
        if current:
            kind = service.subject_kind(self.instance)
            subjects = {**subjects, kind: [current, *subjects.get(kind, [])]}
        for kind, records in subjects.items():
            group = []
            for record in records:
                key = record_key(kind, record.pk)
                if key not in known:
                    known[key] = (kind, record)
                    group.append((key, str(record)))
            if group:
                choices.append((str(service.SubjectKind(kind).label), group))
        self.fields["subject"].choices = choices
        if current and not self.is_bound:
            self.initial["subject"] = record_key(service.subject_kind(self.instance), current.pk)
        return known

    def _evidence_choices(self, records: dict[str, list]) -> set[str]:
        choices: list = []
        known: set[str] = set()
        for kind in service.EvidenceKind.values:
            group = []
            for record in records.get(kind, []):
                key = record_key(kind, record.pk)
                if key not in known:
                    known.add(key)
                    group.append((key, str(record)))
            # Cited records no longer offered (beyond the newest shown, say) stay choosable.
            for key, row in self._cited.items():
                if row.record_kind == kind and key not in known:
                    known.add(key)
                    group.append((key, row.record_name))
            if group:
                choices.append((str(service.EvidenceKind(kind).label), group))
        self.fields["evidence"].choices = choices
        if not self.is_bound:
            self.initial["evidence"] = list(self._cited)
        return known

    # -- validation ------------------------------------------------------------------

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.criteria.is_valid() and valid

    def clean_evidence(self):
        chosen = self.cleaned_data["evidence"]
        if len(chosen) > MAX_EVIDENCE:
            raise ValidationError(_("At most %(max)d records of evidence.") % {"max": MAX_EVIDENCE})
        return chosen

    def subject_fields(self) -> dict[str, object]:
        """The service's subject arguments: the one chosen, the others None."""
        chosen = self._subjects.get(self.cleaned_data.get("subject") or "")
        return {
            str(kind): (chosen[1] if chosen and chosen[0] == kind else None)
            for kind in service.SUBJECT_FIELDS
        }

    def evidence_rows(self) -> list[dict]:
        rows = []
        for key in self.cleaned_data.get("evidence", []):
            kind, _colon, record_id = key.rpartition(":")
            kept = self._cited.get(key)
            rows.append(
                {"record_kind": kind, "record_id": record_id, "note": kept.note if kept else ""}
            )
        return rows

    def criteria_rows(self) -> list[dict]:
        """The rubric's rows in their order, leaving out the blank ones."""
        return [
            {name: form.cleaned_data.get(name) for name in CriterionForm.base_fields}
            for form in self.criteria.forms
            if not form.is_blank()
        ]


class AssessmentResponseForm(StyledForm):
    """The assessed organization's answer, with a file if it likes (more go on the
    response's page)."""

    text = forms.CharField(
        label=_("Your response"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One response per assessment: the assessor and government read it."),
    )
    file = forms.FileField(
        label=_("A file (optional)"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PNG or JPG. Attach more on the response's page."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write the response."))
        return text

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload
