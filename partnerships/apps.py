from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships and agreements")

    def ready(self) -> None:
        from portal import navigation

        section = _("Cooperation")
        for order, (label, url_name) in enumerate(
            [
                (_("Agreements"), "agreement-list"),
                (_("Our obligations"), "obligation-list"),
                (_("Rights and responsibilities"), "clause-list"),
                (_("Partnerships"), "partnership-list"),
            ]
        ):
            navigation.register(
                navigation.NavEntry(
                    section=section, label=label, url_name=url_name, order=100 + order
                )
            )
