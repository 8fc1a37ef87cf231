"""The columns of the governance lists (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _

from portal.tables import Column, Table


class ArticlesTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    body = Column(_("Body"), accessor="body_name")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)
