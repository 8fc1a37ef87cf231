from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from portal.forms import StyledForm, StyledFormMixin, StyledModelForm

from .models import PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH, Organization, Role, User


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's sign-in form with both fields' lengths enforced, so that an over-long
    value is a form error before anything authenticates (Django only sizes the widget
    of the username, and an over-long one made django-axes fail to log the attempt)."""

    username = UsernameField(
        max_length=USERNAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


PROFILE_FORM_FIELDS = [
    "region",
    "city",
    "industry_section",
    "industry",
    "specialties",
    "size_band",
    "description",
    "address",
    "website",
    "public_email",
    "public_phone",
]


class OrganizationForm(StyledModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["kind", "name", "credit_code", *PROFILE_FORM_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "specialties": forms.Textarea(attrs={"rows": 4}),
        }


class OrganizationEditForm(OrganizationForm):
    """What an organization's admins keep: its registration and its public profile."""

    class Meta(OrganizationForm.Meta):
        fields = ["name", "credit_code", *PROFILE_FORM_FIELDS]


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


TOKEN_LIFETIMES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
    (0, _("No expiry")),
]


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Student records sync”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=TOKEN_LIFETIMES, coerce=int, initial=90
    )


class ProfileForm(StyledModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]
