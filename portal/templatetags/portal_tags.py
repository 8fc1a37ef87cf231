from django import template

register = template.Library()

# Bootstrap colours for the statuses every app uses; anything else is grey.
STATUS_COLORS = {
    "draft": "secondary",
    "proposed": "info",
    "negotiating": "warning",
    "submitted": "info",
    "signed": "primary",
    "active": "success",
    "open": "primary",
    "fulfilled": "success",
    "approved": "success",
    "suspended": "warning",
    "breached": "danger",
    "rejected": "danger",
    "terminated": "danger",
    "expired": "dark",
    "ended": "dark",
    "waived": "secondary",
    "claimed": "warning",  # a clause's fulfilment awaiting confirmation
    "withdrawn": "secondary",
    "under_review": "warning",
    "info_requested": "warning",  # fund applications: waiting on the applicant
    "closed": "secondary",
    "finalized": "dark",
    "planned": "info",
    "released": "success",
    "cancelled": "secondary",
    "due": "warning",
    "accepted": "success",
    "returned": "warning",
    # meetings and resolutions
    "scheduled": "info",
    "held": "success",
    "voting": "warning",
    "passed": "success",
    "failed": "danger",
    # article versions ("proposed" as for agreements)
    "adopted": "primary",
    "in_force": "success",
    "superseded": "secondary",
    # nominations
    "nominated": "info",
    "shortlisted": "info",
    "offered": "warning",
    "started": "primary",
    "completed": "success",
    "declined": "secondary",
    # associations: entrustments, memberships, reports
    "delivered": "primary",
    "pending": "info",
    "grace": "warning",
    "lapsed": "dark",
    "published": "success",
    # certifications ("submitted", "under_review", "expired" as above)
    "certified": "success",
    "refused": "danger",
    "revoked": "danger",
}


@register.inclusion_tag("includes/status_badge.html")
def status_badge(record, field: str = "status"):
    """A coloured badge with the record's status in the reader's language."""
    value = getattr(record, field)
    label = getattr(record, f"get_{field}_display")()
    return {"value": value, "label": label, "color": STATUS_COLORS.get(value, "secondary")}
