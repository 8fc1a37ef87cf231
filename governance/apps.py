from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Articles and boards")

    def ready(self) -> None:
        from portal import navigation

        navigation.register(
            navigation.NavEntry(
                section=_("Governance"),
                label=_("Articles of association"),
                url_name="articles-list",
                order=400,
            )
        )
        navigation.register(
            navigation.NavEntry(
                section=_("Governance"),
                label=_("Boards"),
                url_name="board-list",
                order=401,
            )
        )
        navigation.register(
            navigation.NavEntry(
                section=_("Governance"),
                label=_("Meetings"),
                url_name="meeting-list",
                order=402,
            )
        )
        navigation.register(
            navigation.NavEntry(
                section=_("Governance"),
                label=_("Resolutions"),
                url_name="resolution-list",
                order=403,
            )
        )
