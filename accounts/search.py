from django.utils.translation import gettext_lazy as _

from portal import search

from .models import Organization, User

search.register(
    label=_("Organizations"),
    # The directory: every active organization, not only the user's own.
    queryset=lambda user: Organization.objects.in_directory(user),
    fields=("name", "credit_code", "region", "city", "industry"),
    describe=lambda org: " · ".join(
        filter(None, (str(org.get_kind_display()), org.region, org.city))
    ),
)
search.register(
    label=_("People"),
    queryset=lambda user: User.objects.visible_to(user).filter(is_active=True),
    fields=("username", "first_name", "last_name", "email"),
    describe=lambda person: person.email,
)
