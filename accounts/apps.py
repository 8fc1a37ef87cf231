from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from portal import access, navigation

        from . import signals  # noqa: F401
        from .api import schema  # noqa: F401
        from .models import membership_grants

        access.register_membership_source(membership_grants)

        navigation.register(
            navigation.NavEntry(
                section=_("Directory"),
                label=_("Organizations"),
                url_name="organization-list",
                order=900,
            )
        )
