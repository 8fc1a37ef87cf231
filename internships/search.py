from django.utils.translation import gettext_lazy as _

from portal import access, search

from .models import Placement, PracticeBase, Secondment, Student

search.register(
    label=_("Placements"),
    queryset=lambda user: Placement.objects.visible_to(user).select_related("host"),
    fields=("title", "specialties", "city"),
    describe=lambda placement: (
        f"{placement.host.name} · {placement.city} · {placement.get_status_display()}"
    ),
)
search.register(
    label=_("Practice bases"),
    queryset=lambda user: PracticeBase.objects.visible_to(user).select_related("host"),
    fields=("name", "specialties", "address"),
    describe=lambda base: f"{base.host.name} · {base.get_status_display()}",
)

# Only the user's own colleges' students: government oversight reads them through the
# list, not through the global search box.
search.register(
    label=_("Students"),
    queryset=lambda user: Student.objects.filter(
        college_id__in=list(access.organization_ids(user))
    ).select_related("college"),
    fields=("name", "student_number"),
    describe=lambda student: (
        f"{student.student_number} · {student.specialty} · {student.get_status_display()}"
    ),
)

# Like students: only the user's own colleges' secondments, by the teacher's name or
# staff number; the host enterprise and oversight find them through the list.
search.register(
    label=_("Teacher secondments"),
    queryset=lambda user: Secondment.objects.filter(
        college_id__in=list(access.organization_ids(user))
    ).select_related("host"),
    fields=("teacher_name", "teacher_number"),
    describe=lambda secondment: (
        f"{secondment.teacher_number} · {secondment.host.name} · {secondment.start_date:%Y-%m-%d}"
    ),
)
