from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from portal import access, navigation

        def government(user) -> bool:
            return access.is_government(user) or user.is_superuser

        section = _("Funding")
        entries = [
            (_("Fund programs"), "fund-program-list", lambda user: True),
            (_("Applications"), "fund-application-list", lambda user: True),
            (_("Awaiting my review"), "fund-review-queue", government),
            (_("Conflicts of interest"), "fund-conflicts", government),
        ]
        for order, (label, url_name, visible) in enumerate(entries):
            navigation.register(
                navigation.NavEntry(
                    section=section,
                    label=label,
                    url_name=url_name,
                    order=200 + order,
                    visible=visible,
                )
            )
