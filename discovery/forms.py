"""The forms of the needs-and-offers pages: they read input; ``discovery.services``
decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal.forms import StyledForm, StyledModelForm
from portal.limits import NOTE_TEXT
from portal.roles import OrganizationKind

from .models import CooperationNeed
from .services.needs import NEED_FIELDS, posting_organizations


class CooperationNeedEditForm(StyledModelForm):
    audience = forms.MultipleChoiceField(
        label=_("Only for"),
        choices=OrganizationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for everyone signed in."),
    )

    class Meta:
        model = CooperationNeed
        fields = list(NEED_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["audience"] = self.instance.audience
        self.fields["audience"].widget.attrs["class"] = ""


class CooperationNeedForm(CooperationNeedEditForm):
    """A new draft: of one of the organizations the user posts for."""

    owner = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    field_order = ["owner", *NEED_FIELDS, "audience"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Organization.objects.filter(is_active=True).order_by("name")
        if not user.is_superuser:
            owners = owners.filter(pk__in=posting_organizations(user))
        self.fields["owner"].queryset = owners
        if not self.is_bound and len(owners) == 1:
            self.initial.setdefault("owner", owners[0].pk)

    def can_create(self) -> bool:
        return self.fields["owner"].queryset.exists()


class InterestForm(StyledForm):
    """The first message of an answer, for one of the organizations the user may
    answer for."""

    organization = forms.ModelChoiceField(
        label=_("Answer for"), queryset=Organization.objects.none()
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you are, what you can offer or need, and whom to contact."),
    )

    def __init__(self, *args, organizations: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=organizations
        ).order_by("name")
        if len(organizations) == 1:
            self.initial.setdefault("organization", next(iter(organizations)))


class ReplyForm(StyledForm):
    message = forms.CharField(
        label=_("Reply"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
