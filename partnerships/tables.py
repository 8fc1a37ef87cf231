"""The columns of the partnership, agreement and clause lists (see ``portal.tables``)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.tables import Column, DateColumn, NumberColumn, StatusColumn, Table, TemplateColumn


class ClauseStatusColumn(StatusColumn):
    """A clause's status, or "not yet binding" while its agreement does not bind yet
    (its status means nothing then). The CSV writes the status itself."""

    def render(self, record) -> SafeString:
        return render_to_string("partnerships/cells/clause_status.html", {"clause": record})


class PartnershipTable(Table):
    id = Column(accessor="pk", in_table=False)
    name = Column(_("Name"), link=True, order_by="name")
    kind = Column(_("Kind"), order_by="kind")
    status = StatusColumn(_("Status"), order_by="status")
    lead = Column(_("Lead"), accessor="lead.name")
    members = NumberColumn(_("Members"), accessor="member_count")
    agreements = NumberColumn(_("Agreements"), accessor="agreement_count")
    start_date = DateColumn(_("Since"), order_by="start_date", sort_key="start")
    end_date = DateColumn(in_table=False)

    table_order = ("name", "kind", "lead", "status", "start_date", "members", "agreements")


class AgreementTable(Table):
    reference = Column(_("Reference"), link=True, order_by="reference", classes="text-nowrap")
    title = Column(_("Title"), subtitle=("kind", "partnership.name"), order_by="title")
    kind = Column(in_table=False)
    status = StatusColumn(_("Status"), order_by="status")
    parties = TemplateColumn(
        _("Parties"),
        accessor="party_names",
        template="partnerships/cells/agreement_parties.html",
        classes="small",
    )
    partnership = Column(in_table=False)
    effective_date = DateColumn(_("Effective"), order_by="effective_date", sort_key="effective")
    expiry_date = DateColumn(_("Expires"), order_by="expiry_date", sort_key="expiry")
    updated_at = Column(in_table=False)

    table_order = ("reference", "title", "parties", "status", "effective_date", "expiry_date")


class ClauseTable(Table):
    agreement = Column(
        _("Agreement"),
        accessor="agreement.reference",
        link=True,  # to the clause on its agreement's page
        order_by="agreement__reference",
        classes="text-nowrap",
    )
    party = Column(_("Party"), accessor="party.organization.name")
    kind = Column(in_table=False)
    category = Column(in_table=False)
    text = TemplateColumn(_("Clause"), template="partnerships/cells/clause_text.html")
    due_date = TemplateColumn(
        _("Due"),
        template="partnerships/cells/clause_due.html",  # overdue responsibilities in red
        order_by="due_date",
        sort_key="due",
        classes="text-nowrap",
    )
    status = ClauseStatusColumn(_("Status"), order_by="status")
    evidence_or_reason = Column(in_table=False)


class ObligationTable(Table):
    """Our obligations: what we owe, to whom, by when, and what to do next."""

    due_date = TemplateColumn(
        _("Due"),
        template="partnerships/cells/clause_due.html",
        order_by="due_date",
        sort_key="due",
        classes="text-nowrap",
    )
    text = TemplateColumn(_("Responsibility"), template="partnerships/cells/clause_text.html")
    agreement = TemplateColumn(
        _("Agreement"),
        accessor="agreement.reference",
        template="partnerships/cells/obligation_agreement.html",
        order_by="agreement__reference",
    )
    owed_by = Column(_("Owed by"), accessor="party.organization.name")
    owed_to = TemplateColumn(
        _("Owed to"),
        accessor="owed_to_text",
        template="partnerships/cells/obligation_owed_to.html",
        classes="small",
    )
    status = ClauseStatusColumn(_("Status"), order_by="status")
    next_step = TemplateColumn(
        _("Next step"),
        accessor="next_step",
        template="partnerships/cells/obligation_next_step.html",
        in_csv=False,
    )
    evidence = Column(accessor="evidence", in_table=False)
