"""The columns of the association lists (see ``portal.tables``), one section per part."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.tables import Column, DateColumn, MoneyColumn, NumberColumn, StatusColumn, Table

# --- entrustments ---------------------------------------------------------------------


class EntrustmentTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    department = Column(_("Department"), accessor="department.name")
    association = Column(_("Association"), accessor="association.name")
    kind = Column(_("Kind"), order_by="kind")
    status = StatusColumn(_("Status"), order_by="status")
    start_date = DateColumn(_("Start"), order_by="start_date")
    end_date = DateColumn(_("End"), order_by="end_date")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)


# --- memberships ----------------------------------------------------------------------


class MembershipTable(Table):
    id = Column(accessor="pk", in_table=False)
    number = Column(_("Number"), link=True, order_by="number")
    member = Column(_("Member"), accessor="member.name", order_by="member__name")
    association = Column(
        _("Association"), accessor="association.name", order_by="association__name"
    )
    membership_type = Column(
        _("Type"),
        accessor="membership_type.name",
        order_by="membership_type__name",
        sort_key="type",
    )
    start_date = DateColumn(_("Start"), order_by="start_date", sort_key="start")
    end_date = DateColumn(_("End"), order_by="end_date", sort_key="end")
    status = StatusColumn(_("Status"))
    grace_ends = DateColumn(in_table=False)
    updated_at = Column(in_table=False)


class OfferedColumn(Column):
    """Yes or No on the page, in the reader's language; the CSV keeps True / False."""

    def text(self, value) -> str:
        return str(_("Yes") if value else _("No"))


class MembershipTypeTable(Table):
    id = Column(accessor="pk", in_table=False)
    name = Column(_("Name"), link=True, order_by="name")
    association = Column(
        _("Association"), accessor="association.name", order_by="association__name"
    )
    annual_dues = MoneyColumn(_("Annual dues (yuan)"), order_by="annual_dues", sort_key="dues")
    is_active = OfferedColumn(_("Offered"), order_by="is_active", sort_key="offered")
    memberships = NumberColumn(
        _("Memberships"), accessor="membership_count", order_by="membership_count"
    )
    updated_at = Column(in_table=False)


# --- talent-demand reports ------------------------------------------------------------


class DemandReportTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    association = Column(
        _("Association"), accessor="association.name", order_by="association__name"
    )
    industry = Column(_("Industry"), order_by="industry")
    region = Column(_("Region"), order_by="region")
    first_year = Column(_("From year"), in_table=False)
    last_year = Column(_("To year"), in_table=False)
    years = Column(
        _("Years"), accessor="years_label", order_by=("first_year", "last_year"), in_csv=False
    )
    total_people = NumberColumn(_("People needed"), order_by="total_people", sort_key="people")
    status = StatusColumn(_("Status"), order_by="status")
    published_at = DateColumn(_("Published"), order_by="published_at", sort_key="published")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)


# --- assessments ----------------------------------------------------------------------


class SubjectKindColumn(Column):
    """What the assessment is of, in the reader's language (page and CSV alike)."""

    def value(self, record):
        from .services.assessments import SubjectKind

        value = super().value(record)
        return str(SubjectKind(value).label) if value in SubjectKind.values else value


class AssessmentTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    assessor = Column(_("Assessor"), accessor="assessor.name", order_by="assessor__name")
    organization = Column(
        _("Organization assessed"), accessor="organization.name", order_by="organization__name"
    )
    subject = SubjectKindColumn(_("Subject"), accessor="subject_kind", order_by="subject_kind")
    status = StatusColumn(_("Status"), order_by="status")
    score = NumberColumn(_("Score"), order_by="score")
    published_at = DateColumn(_("Published"), order_by="published_at", sort_key="published")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)


# --- certifications -------------------------------------------------------------------


class YuanColumn(MoneyColumn):
    """Yuan to the fen, whatever the database's sum kept of the decimal places."""

    def text(self, value) -> str:
        return super().text(Decimal(value).quantize(Decimal("0.01")))


class CertificationTable(Table):
    id = Column(accessor="pk", in_table=False)
    number = Column(_("Number"), link=True, order_by="number")
    enterprise = Column(_("Enterprise"), accessor="enterprise.name", order_by="enterprise__name")
    status = StatusColumn(_("Status"), order_by="status")
    qualifying_investment = YuanColumn(
        _("Qualifying investment (yuan)"), order_by="qualifying_investment", sort_key="investment"
    )
    reviewer = Column(_("Reviewed by"), accessor="reviewer.association.name")
    submitted_at = DateColumn(_("Submitted"), order_by="submitted_at", sort_key="submitted")
    valid_from = DateColumn(_("Valid from"), order_by="valid_from", in_table=False)
    valid_until = DateColumn(_("Valid until"), order_by="valid_until", sort_key="until")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)
