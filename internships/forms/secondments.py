"""The forms of the teacher secondment pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from portal.forms import StyledModelForm

from ..models import Secondment
from ..services import SECONDMENT_FIELDS, secondment_colleges

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def enterprises():
    return Organization.objects.filter(kind=OrganizationKind.ENTERPRISE, is_active=True)


def recording_colleges(user):
    """The colleges whose teachers' secondments the user records (its admins)."""
    return Organization.objects.filter(pk__in=secondment_colleges(user), is_active=True)


class SecondmentEditForm(StyledModelForm):
    class Meta:
        model = Secondment
        fields = [*SECONDMENT_FIELDS[:3], "host", *SECONDMENT_FIELDS[3:]]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "activities": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = enterprises()
        self.fields["host"].error_messages["invalid_choice"] = _(
            "No such record, or not one you can see."
        )


class SecondmentForm(SecondmentEditForm):
    class Meta(SecondmentEditForm.Meta):
        fields = ["college", *SecondmentEditForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = recording_colleges(user)
        self.fields["college"].queryset = own
        if own.count() == 1:
            self.fields["college"].initial = own.first()
