"""What the global search finds among needs and offers: the open ones the user sees, by
title or specialty."""

from django.utils.translation import gettext_lazy as _

from portal import search

from .models import CooperationNeed

search.register(
    label=_("Needs and offers"),
    queryset=lambda user: (
        CooperationNeed.objects.visible_to(user)
        .open()
        .select_related("owner")
        .order_by("-opened_at", "-pk")
    ),
    fields=("title", "specialties"),
    describe=lambda need: (
        f"{need.get_direction_display()} · {need.get_kind_display()} · {need.owner.name}"
    ),
)
