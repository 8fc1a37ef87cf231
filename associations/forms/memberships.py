"""The forms of the membership pages: membership types, admitting a member and changing
a membership, renewing it, and recording dues."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal.forms import StyledForm, StyledModelForm

from ..models import AssociationMembership, DuesPayment, MembershipType
from ..services.memberships import (
    MAX_RENEWAL_YEARS,
    keeping_associations,
    member_organizations,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_FOUND = _("No such record, or not one you can see.")


class TypeChoiceField(forms.ModelChoiceField):
    """A type named with its association when the user keeps several."""

    def __init__(self, *args, several: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.several = several

    def label_from_instance(self, membership_type) -> str:
        if self.several:
            return f"{membership_type.association.name} · {membership_type.name}"
        return membership_type.name


class MembershipTypeEditForm(StyledModelForm):
    class Meta:
        model = MembershipType
        fields = ["name", "annual_dues", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "annual_dues": _("In yuan, per year."),
            "is_active": _("Types no longer offered take no new members."),
        }


class MembershipTypeForm(MembershipTypeEditForm):
    """A new type, for one of the associations the user keeps. The association is a
    plain field, not the model's: the service checks the name is free in it and says
    so next to the name."""

    association = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Association"),
        error_messages={"invalid_choice": NOT_FOUND},
    )
    field_order = ["association"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kept = list(keeping_associations(user))
        self.fields["association"].queryset = keeping_associations(user)
        if len(kept) == 1:
            self.fields["association"].initial = kept[0]


class MembershipEditForm(StyledModelForm):
    """The type (among the association's offered ones, or the one it has), dates and
    notes of a membership."""

    membership_type = TypeChoiceField(queryset=MembershipType.objects.none(), label=_("Type"))

    class Meta:
        model = AssociationMembership
        fields = ["membership_type", "start_date", "end_date", "notes"]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.membership_type_id if self.instance.pk else None
        self.fields["membership_type"].queryset = MembershipType.objects.filter(
            Q(association_id=self.instance.association_id, is_active=True) | Q(pk=current)
        ).select_related("association")
        self.fields["membership_type"].error_messages["invalid_choice"] = NOT_FOUND


class MembershipForm(MembershipEditForm):
    """Admit a member to one of the associations the user keeps."""

    class Meta(MembershipEditForm.Meta):
        fields = ["association", "member", *MembershipEditForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kept = list(keeping_associations(user))
        self.fields["association"].queryset = keeping_associations(user)
        self.fields["member"].queryset = member_organizations()
        self.fields["member"].label = _("Member (college or enterprise)")
        types = self.fields["membership_type"]
        types.queryset = (
            MembershipType.objects.filter(association__in=kept, is_active=True)
            .select_related("association")
            .order_by("association__name", "name")
        )
        types.several = len(kept) > 1
        for name in ("association", "member"):
            self.fields[name].error_messages["invalid_choice"] = NOT_FOUND
        if len(kept) == 1:
            self.fields["association"].initial = kept[0]
        today = timezone.localdate()
        self.fields["start_date"].initial = today
        self.fields["end_date"].initial = today.replace(month=12, day=31)

    def clean(self):
        cleaned = super().clean()
        association, membership_type = cleaned.get("association"), cleaned.get("membership_type")
        if association and membership_type and membership_type.association_id != association.pk:
            self.add_error("membership_type", _("This type is not one of the association's."))
        return cleaned


class RenewForm(StyledForm):
    years = forms.IntegerField(
        label=_("Years"),
        min_value=1,
        max_value=MAX_RENEWAL_YEARS,
        initial=1,
        help_text=_("The membership is extended by this many years from its current end."),
    )


class DuesPaymentForm(StyledModelForm):
    class Meta:
        model = DuesPayment
        fields = ["amount", "paid_on", "reference"]
        widgets = {"paid_on": DATE}
        labels = {"amount": _("Amount (yuan)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
