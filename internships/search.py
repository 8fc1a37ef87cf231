from django.utils.translation import gettext_lazy as _

from portal import search

from .models import Placement, PracticeBase

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
