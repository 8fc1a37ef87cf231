from django.utils.translation import gettext_lazy as _

from portal import search

from .models import FundApplication, FundProgram

search.register(
    label=_("Fund programs"),
    queryset=lambda user: FundProgram.objects.visible_to(user),
    fields=("reference", "title", "description"),
    describe=lambda program: f"{program.get_status_display()} · {program.closes_on:%Y-%m-%d}",
)
search.register(
    label=_("Fund applications"),
    queryset=lambda user: FundApplication.objects.visible_to(user).select_related("applicant"),
    fields=("reference", "title", "summary"),
    describe=lambda application: (
        f"{application.get_status_display()} · {application.applicant.name}"
    ),
)
