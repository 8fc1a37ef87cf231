"""The forms of the governance pages. They only read input; ``governance.services``
decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from partnerships.models import Partnership
from portal import access
from portal.forms import StyledForm, StyledModelForm
from portal.roles import Role

from .models import ARTICLE_TEXT, MAX_ARTICLES, Article, Articles, ArticleVersion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArticlesForm(StyledModelForm):
    """New articles of association: for one of the user's colleges, or for a partnership
    whose lead organization they administer."""

    organization = forms.ModelChoiceField(
        label=_("College"), queryset=Organization.objects.none(), required=False
    )
    partnership = forms.ModelChoiceField(
        label=_("Or a partnership (industry college, alliance)"),
        queryset=Partnership.objects.none(),
        required=False,
    )

    class Meta:
        model = Articles
        fields = ["title", "organization", "partnership"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        admin_of = access.organization_ids(user, {Role.ADMIN})
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=admin_of, kind=OrganizationKind.COLLEGE, is_active=True
        )
        self.fields["partnership"].queryset = Partnership.objects.filter(lead_id__in=admin_of)

    def can_create(self) -> bool:
        """Whether the user administers any body that could have articles."""
        return (
            self.fields["organization"].queryset.exists()
            or self.fields["partnership"].queryset.exists()
        )


class VersionForm(StyledModelForm):
    class Meta:
        model = ArticleVersion
        fields = ["summary", "in_force_from"]
        widgets = {"in_force_from": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class ArticleForm(StyledForm):
    number = forms.IntegerField(label=_("Article number"), min_value=1, max_value=MAX_ARTICLES)
    chapter = forms.CharField(
        label=_("Chapter"), max_length=Article._meta.get_field("chapter").max_length, required=False
    )
    heading = forms.CharField(
        label=_("Heading"), max_length=Article._meta.get_field("heading").max_length, required=False
    )
    text = forms.CharField(
        label=_("Text"), max_length=ARTICLE_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
