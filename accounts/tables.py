"""The columns of the organization directory (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.tables import Column, NumberColumn, Table, TemplateColumn


class OrganizationTable(Table):
    # The CSV keeps its older columns first, in their order; the profile's follow.
    id = Column(accessor="pk", in_table=False)
    name = TemplateColumn(
        _("Name"),
        template="accounts/cells/organization_name.html",  # a link, and "inactive"
        order_by="name",
    )
    kind = Column(_("Kind"), order_by=("kind", "name"))
    credit_code = TemplateColumn(_("Credit code"), template="includes/cells/code.html")
    region = Column(_("Region"), order_by=("region", "city", "name"), subtitle=("city",))
    industry = Column(in_table=False)
    address = Column(in_table=False)
    website = Column(in_table=False)
    active = Column(accessor="is_active", in_table=False)
    # Only for the organizations whose members the reader sees (None: "—").
    members = NumberColumn(_("Members"), accessor="member_count")
    updated_at = Column(order_by="updated_at", sort_key="updated", in_table=False)
    city = Column(in_table=False)
    industry_section = Column(
        _("Industry section"), order_by=("industry_section", "name"), sort_key="section"
    )
    specialties = Column(in_table=False)
    size_band = Column(pgettext_lazy("organization", "Size"))
    description = Column(in_table=False)
    public_email = Column(in_table=False)
    public_phone = Column(in_table=False)

    table_order = (
        "name",
        "kind",
        "credit_code",
        "region",
        "industry_section",
        "size_band",
        "members",
    )
