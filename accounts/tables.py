"""The columns of the organization list (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _

from portal.tables import Column, NumberColumn, Table, TemplateColumn


class OrganizationTable(Table):
    id = Column(accessor="pk", in_table=False)
    name = TemplateColumn(
        _("Name"),
        template="accounts/cells/organization_name.html",  # a link, and "inactive"
        order_by="name",
    )
    kind = Column(_("Kind"), order_by="kind")
    credit_code = TemplateColumn(_("Credit code"), template="includes/cells/code.html")
    region = Column(_("Region"), order_by="region")
    industry = Column(in_table=False)
    address = Column(in_table=False)
    website = Column(in_table=False)
    active = Column(accessor="is_active", in_table=False)
    members = NumberColumn(_("Members"), accessor="member_count")
    updated_at = Column(order_by="updated_at", sort_key="updated", in_table=False)
