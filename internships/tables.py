"""The columns of the practice base, placement and student lists (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.tables import Column, DateColumn, MoneyColumn, NumberColumn, StatusColumn, Table


class PracticeBaseTable(Table):
    id = Column(accessor="pk", in_table=False)
    name = Column(_("Name"), link=True, order_by="name", subtitle=("address",))
    address = Column(in_table=False)
    host = Column(_("Host"), accessor="host.name", order_by="host__name")
    specialties = Column(_("Specialties"), classes="small")
    stations = NumberColumn(_("Stations"), order_by="stations")
    status = StatusColumn(_("Status"), order_by="status")
    placements = NumberColumn(_("Placements"), accessor="placement_count")


class PlacementTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title", subtitle=("internship_type",))
    internship_type = Column(in_table=False)
    host = Column(_("Host"), accessor="host.name", order_by="host__name")
    city = Column(_("City"), order_by="city")
    specialties = Column(in_table=False)
    slots = NumberColumn(_("Slots"), order_by="slots")
    filled_slots = NumberColumn(in_table=False)
    monthly_pay = MoneyColumn(_("Monthly pay"), order_by="monthly_pay", sort_key="pay")
    start_date = DateColumn(_("Starts"), order_by="start_date", sort_key="start")
    end_date = DateColumn(_("Ends"), order_by="end_date", sort_key="end")
    status = StatusColumn(_("Status"), order_by="status")
    updated_at = Column(in_table=False)


class StudentTable(Table):
    """No personal details: the list (and its CSV) is the same for everyone who sees it."""

    id = Column(accessor="pk", in_table=False)
    student_number = Column(_("Student number"), link=True, order_by="student_number")
    name = Column(pgettext_lazy("person", "Name"), order_by="name")
    college = Column(_("College"), accessor="college.name", order_by="college__name")
    specialty = Column(_("Specialty"), order_by="specialty")
    class_name = Column(_("Class"), order_by="class_name")
    enrolment_year = NumberColumn(_("Enrolment year"), order_by="enrolment_year", sort_key="year")
    status = StatusColumn(_("Status"), order_by="status")
    updated_at = Column(in_table=False)


class YesNoColumn(Column):
    """Yes or No on the page, in the reader's language; the CSV keeps True / False."""

    def text(self, value) -> str:
        return str(_("Yes") if value else _("No"))


class SecondmentTable(Table):
    id = Column(accessor="pk", in_table=False)
    teacher_name = Column(
        _("Teacher"), link=True, order_by="teacher_name", subtitle=("teacher_number",)
    )
    teacher_number = Column(_("Staff number"), in_table=False)
    specialty_teacher = YesNoColumn(_("Specialty teacher"), order_by="specialty_teacher")
    college = Column(_("College"), accessor="college.name", order_by="college__name")
    host = Column(_("Host enterprise"), accessor="host.name", order_by="host__name")
    start_date = DateColumn(_("Starts"), order_by="start_date", sort_key="start")
    end_date = DateColumn(_("Ends"), order_by="end_date", sort_key="end")
    days = NumberColumn(_("Days"), order_by="days")
    activities = Column(in_table=False)
    updated_at = Column(in_table=False)


class NominationTable(Table):
    """A host sees the students nominated to it by name, number, college and status only:
    no personal details, on the page or in the CSV."""

    id = Column(accessor="pk", in_table=False)
    student_name = Column(
        pgettext_lazy("person", "Name"),
        accessor="student.name",
        link=True,
        order_by="student__name",
        sort_key="name",
    )
    student_number = Column(
        _("Student number"),
        accessor="student.student_number",
        order_by="student__student_number",
        sort_key="number",
    )
    college = Column(_("College"), accessor="college.name", order_by="college__name")
    placement = Column(
        _("Placement"),
        accessor="placement.title",
        order_by="placement__title",
        subtitle=("placement.internship_type",),
    )
    host = Column(_("Host"), accessor="placement.host.name", order_by="placement__host__name")
    start_date = DateColumn(
        _("Starts"),
        accessor="placement.start_date",
        order_by="placement__start_date",
        sort_key="start",
    )
    status = StatusColumn(_("Status"), order_by="status")
    updated_at = DateColumn(_("Updated"), order_by="updated_at", sort_key="updated")
