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
    # The list annotates ``visible_score``: blank where the reader still reviews blind.
    weighted_score = NumberColumn(
        _("Score"), accessor="visible_score", order_by="visible_score", sort_key="score"
    )
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


class PaymentTable(Table):
    """The payments list and the finance CSV: one row per payment that released a tranche."""

    paid_on = DateColumn(_("Paid on"), order_by="paid_on", sort_key="paid")
    reference = Column(
        _("Application"),
        accessor="tranche.award.application.reference",
        link=True,
        subtitle=("tranche.award.program.title",),
        classes="text-nowrap",
    )
    program = Column(accessor="tranche.award.program.reference", in_table=False)
    payee = Column(_("Payee"), accessor="tranche.award.application.applicant.name")
    amount = MoneyColumn(_("Amount (yuan)"), order_by="amount")
    voucher_number = Column(
        _("Voucher or transaction"), order_by="voucher_number", sort_key="voucher"
    )
    payee_account = Column(_("Payee's account"))
    milestone = Column(accessor="tranche.milestone", in_table=False)
    recorded_by = Column(accessor="recorded_by", in_table=False)
