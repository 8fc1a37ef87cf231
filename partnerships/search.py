from django.utils.translation import gettext_lazy as _

from portal import search

from .models import Agreement, Partnership

search.register(
    label=_("Agreements"),
    queryset=lambda user: Agreement.objects.visible_to(user),
    fields=("reference", "title", "summary"),
    describe=lambda agreement: (
        f"{agreement.get_status_display()} · {agreement.expiry_date:%Y-%m-%d}"
    ),
)
search.register(
    label=_("Partnerships"),
    queryset=lambda user: Partnership.objects.visible_to(user).select_related("lead"),
    fields=("name", "description"),
    describe=lambda partnership: f"{partnership.get_kind_display()} · {partnership.lead.name}",
)
