from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Industry associations")

    def ready(self) -> None:
        from portal import access, navigation

        from . import scope

        access.register_scope_source(scope.scoped_organizations)
        access.register_scope_logger(scope.log_reads)
        # Each part's list page: (label, url name, order); see NAVIGATION below.
        for label, url_name, order in NAVIGATION:
            navigation.register(
                navigation.NavEntry(
                    section=_("Associations"), label=label, url_name=url_name, order=order
                )
            )


# The association pages in the navigation, added as each part's list page exists.
NAVIGATION: list = [
    (_("Memberships"), "association-membership-list", 500),
    (_("Entrustments"), "entrustment-list", 510),
    (_("Talent-demand reports"), "talent-demand-report-list", 520),
    (_("Assessments"), "assessment-list", 530),
    (_("Enterprise certification"), "certification-list", 540),
]
