"""The columns of the needs-and-offers list (page and CSV)."""

from django.utils.translation import gettext_lazy as _

from portal.tables import Column, DateColumn, NumberColumn, StatusColumn, Table


class CooperationNeedTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title", subtitle=("specialties",))
    direction = Column(_("Need or offer"), order_by="direction")
    kind = Column(_("Kind"), order_by="kind")
    owner = Column(_("Organization"), accessor="owner.name", order_by="owner__name")
    region = Column(_("Region"), order_by="region")
    specialties = Column(_("Specialties"), in_table=False)
    headcount = NumberColumn(_("Headcount"), order_by="headcount")
    amount = NumberColumn(_("Amount (CNY)"), in_table=False)
    valid_until = DateColumn(_("Valid until"), order_by="valid_until")
    status = StatusColumn(_("Status"), order_by="status")
    opened_at = DateColumn(_("Opened"), order_by="opened_at")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)
