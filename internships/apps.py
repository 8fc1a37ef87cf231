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
                label=_("Students"),
                url_name="student-list",
                order=310,
                visible=belongs_to_a_college,
            )
        )


def belongs_to_a_college(user) -> bool:
    """Students are a college's records: the entry is for colleges' members."""
    from portal import access
    from portal.roles import OrganizationKind

    return any(grant.kind == OrganizationKind.COLLEGE for grant in access.grants(user).values())
