from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = _("Finding partners")

    def ready(self) -> None:
        from portal import navigation

        for label, url_name, order in NAVIGATION:
            navigation.register(
                navigation.NavEntry(
                    section=_("Find partners"), label=label, url_name=url_name, order=order
                )
            )


# The pages in the navigation: (label, url name, order).
NAVIGATION: list = [
    (_("Needs and offers"), "cooperation-need-list", 600),
]
