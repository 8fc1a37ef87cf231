from django.utils.translation import gettext_lazy as _

from portal import search

from .models import Organization, User

search.register(
    label=_("Organizations"),
    queryset=lambda user: Organization.objects.visible_to(user),
    fields=("name", "credit_code", "region", "industry"),
    describe=lambda org: f"{org.get_kind_display()} · {org.region}",
)
search.register(
    label=_("People"),
    queryset=lambda user: User.objects.visible_to(user).filter(is_active=True),
    fields=("username", "first_name", "last_name", "email"),
    describe=lambda person: person.email,
)
