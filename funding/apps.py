from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from portal import access, navigation
        from portal.roles import OrganizationKind, Role

        def government(user) -> bool:
            return access.is_government(user) or user.is_superuser

        def releases_money(user) -> bool:
            return user.is_superuser or bool(
                access.organization_ids(user, {Role.ADMIN}, {OrganizationKind.GOVERNMENT})
            )

        section = _("Funding")
        entries = [
            (_("Fund programs"), "fund-program-list", lambda user: True),
            (_("Applications"), "fund-application-list", lambda user: True),
            (_("Awaiting my review"), "fund-review-queue", government),
            (_("Conflicts of interest"), "fund-conflicts", government),
            (_("Ready to release"), "fund-tranches-ready", releases_money),
            (_("Payments"), "fund-payment-list", lambda user: True),
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
