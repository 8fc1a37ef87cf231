"""The columns of the fund program and fund application lists (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _

from portal.tables import (
    Column,
    DateColumn,
    MoneyColumn,
    NumberColumn,
    StatusColumn,
    Table,
    TemplateColumn,
)


class FundProgramTable(Table):
    reference = Column(in_table=False)
    title = Column(
        _("Program"), link=True, subtitle=("reference", "funding_source"), order_by="title"
    )
    department = Column(_("Department"), accessor="department.name")
    funding_source = Column(in_table=False)
    status = StatusColumn(_("Status"))
    window = TemplateColumn(
        _("Window"),
        template="funding/cells/program_window.html",
        order_by="closes_on",
        sort_key="closes",
        in_csv=False,
        classes="text-nowrap small",
    )
    total_budget = MoneyColumn(_("Budget (yuan)"), order_by="total_budget", sort_key="budget")
    committed = Column(in_table=False)
    released = Column(in_table=False)
    max_award = Column(in_table=False)
    opens_on = Column(order_by="opens_on", sort_key="opens", in_table=False)
    closes_on = Column(in_table=False)
    remaining = MoneyColumn(_("Remaining"), in_csv=False)
    applications = NumberColumn(_("Applications"), accessor="application_count")


class FundApplicationTable(Table):
    reference = Column(_("Reference"), link=True, order_by="reference", classes="text-nowrap")
    title = Column(_("Title"), subtitle=("program.title",))
    program = Column(accessor="program.title", in_table=False)
    applicant = Column(_("Applicant"), accessor="applicant.name")
    status = StatusColumn(_("Status"), order_by="status")
    requested_amount = MoneyColumn(_("Requested"), order_by="requested_amount", sort_key="amount")
    weighted_score = NumberColumn(_("Score"), order_by="weighted_score", sort_key="score")
    awarded = Column(accessor="award.amount", in_table=False)
    decided_at = Column(in_table=False)
    decision_reasons = Column(in_table=False)
    submitted_at = DateColumn(_("Submitted"), order_by="submitted_at", sort_key="submitted")

    table_order = (
        "reference",
        "title",
        "applicant",
        "requested_amount",
        "weighted_score",
        "status",
        "submitted_at",
    )
