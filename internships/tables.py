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
