"""Forms of the review pages: scoring beside the application, the decision, and the
assignment of reviewers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_portal_date
from portal.forms import StyledForm
from portal.limits import NOTE_TEXT

from ..models import Recommendation, Review
from ..services.assignments import MAX_SPREAD_REVIEWERS
from ..services.reviews import percent_text, weight_shares

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _radios(field: forms.Field) -> None:
    """Radio buttons with Bootstrap's classes, none chosen until the reader chooses."""
    field.widget.attrs["class"] = "form-check-input"


class ReviewForm(StyledForm):
    """A score per criterion, each with its scale in words, then a recommendation that
    the reviewer must choose (none is preselected) and a comment. Given ``review``, it
    starts from that review's values, to correct them."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_("What the decider should know: strengths, doubts, conditions."),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, data=None, *args, criteria, review: Review | None = None, **kwargs):
        if review is not None and data is None:
            kwargs["initial"] = {
                "recommendation": review.recommendation,
                "comment": review.comment,
                **{f"score_{row.criterion_id}": row.score for row in review.scores.all()},
            }
        super().__init__(data, *args, **kwargs)
        self.criteria = list(criteria)
        shares = weight_shares(self.criteria)
        scores = {}
        for criterion in self.criteria:
            scores[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("0 to %(max)d, weight %(share)s%%")
                % {"max": criterion.max_score, "share": percent_text(shares[criterion.pk])},
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        self.fields = {**scores, **self.fields}
        _radios(self.fields["recommendation"])
        self.rows = [
            (criterion, self[f"score_{criterion.pk}"], shares[criterion.pk])
            for criterion in self.criteria
        ]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecideForm(StyledForm):
    """Approve with an amount or reject with reasons: the decider chooses which."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and award")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Amount to award (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("When approving."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        help_text=_("The applicant reads them. Required when rejecting."),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self.fields["decision"])

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and data.get("amount") is None:
            self.add_error("amount", _("Give the amount to award."))
        if data.get("decision") == "reject" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for the decision."))
        return data


class OfficerChoiceField(forms.TypedChoiceField):
    """An officer out of a list loaded once for the whole page (each application's form
    shares it, so the page runs no query per row)."""

    def __init__(self, *, officers, **kwargs):
        self.officers = {officer.pk: officer for officer in officers}
        choices = [("", "—")] + [(pk, _name(officer)) for pk, officer in self.officers.items()]
        super().__init__(choices=choices, coerce=lambda pk: self.officers[int(pk)], **kwargs)


def _name(officer) -> str:
    return officer.get_full_name() or officer.username


class AssignmentForm(StyledForm):
    reviewer = forms.Field(label=_("Reviewer"))
    due_date = forms.DateField(
        label=_("Review due by"), widget=DATE, validators=[validate_portal_date]
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"] = OfficerChoiceField(officers=officers, label=_("Reviewer"))
        self.fields["reviewer"].widget.attrs["class"] = "form-select form-select-sm"


class SpreadForm(StyledForm):
    reviewers = forms.TypedMultipleChoiceField(
        label=_("Reviewers to spread the work over"), widget=forms.CheckboxSelectMultiple
    )
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=MAX_SPREAD_REVIEWERS
    )
    due_date = forms.DateField(
        label=_("Reviews due by"), widget=DATE, validators=[validate_portal_date]
    )

    def __init__(self, *args, officers, loads: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {officer.pk: officer for officer in officers}
        field = self.fields["reviewers"]
        field.choices = [
            (
                pk,
                _("%(name)s (%(count)d assigned here)")
                % {"name": _name(officer), "count": loads.get(pk, 0)},
            )
            for pk, officer in self.officers.items()
        ]
        field.coerce = lambda value: self.officers[int(value)]
