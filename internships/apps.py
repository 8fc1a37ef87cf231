from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Practice bases and internships")

    def ready(self) -> None:
        from portal import navigation

        section = _("Internships")
        for order, (label, url_name) in enumerate(
            [(_("Placements"), "placement-list"), (_("Practice bases"), "practice-base-list")]
        ):
            navigation.register(
                navigation.NavEntry(
                    section=section, label=label, url_name=url_name, order=300 + order
                )
            )
        navigation.register(
            navigation.NavEntry(
                section=section,
                label=_("Nominations"),
                url_name="nomination-list",
                order=305,
                visible=belongs_to_a_college_or_enterprise,
            )
        )
        navigation.register(
            navigation.NavEntry(
                section=section,
                label=_("Students"),
                url_name="student-list",
                order=310,
                visible=belongs_to_a_college,
            )
        )
        navigation.register(
            navigation.NavEntry(
                section=section,
                label=_("Teacher secondments"),
                url_name="secondment-list",
                order=320,
                visible=belongs_to_a_college,
            )
        )


def belongs_to_a_college(user) -> bool:
    """Students are a college's records: the entry is for colleges' members."""
    from portal import access
    from portal.roles import OrganizationKind

    return bool(access.organization_ids(user, kinds={OrganizationKind.COLLEGE}))


def belongs_to_a_college_or_enterprise(user) -> bool:
    """Nominations are between colleges and enterprises: the entry is for their members."""
    from portal import access
    from portal.roles import OrganizationKind

    kinds = {OrganizationKind.COLLEGE, OrganizationKind.ENTERPRISE}
    return any(grant.kind in kinds for grant in access.grants(user).values())
