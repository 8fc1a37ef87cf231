"""The forms of the governance pages. They only read input; ``governance.services``
decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind, User
from partnerships.models import Partnership
from portal import access
from portal.dates import validate_portal_date
from portal.forms import StyledForm, StyledModelForm, style_fields
from portal.limits import NOTE_TEXT
from portal.roles import Role

from .models import (
    ARTICLE_TEXT,
    MAX_ARTICLES,
    Article,
    Articles,
    ArticleVersion,
    AttendanceStatus,
    Board,
    BoardMember,
    Constituency,
    Meeting,
    MeetingStatus,
    Resolution,
    VersionStatus,
    VoteChoice,
)
from .services.rules import BOARD_FIELDS, MEETING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArticlesForm(StyledModelForm):
    """New articles of association: for one of the user's colleges, or for a partnership
    whose lead organization they administer."""

    organization = forms.ModelChoiceField(
        label=_("College"), queryset=Organization.objects.none(), required=False
    )
    partnership = forms.ModelChoiceField(
        label=_("Or a partnership (industry college, alliance)"),
        queryset=Partnership.objects.none(),
        required=False,
    )

    class Meta:
        model = Articles
        fields = ["title", "organization", "partnership"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        admin_of = access.organization_ids(user, {Role.ADMIN})
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=admin_of, kind=OrganizationKind.COLLEGE, is_active=True
        )
        self.fields["partnership"].queryset = Partnership.objects.filter(lead_id__in=admin_of)

    def can_create(self) -> bool:
        """Whether the user administers any body that could have articles."""
        return (
            self.fields["organization"].queryset.exists()
            or self.fields["partnership"].queryset.exists()
        )


class VersionForm(StyledModelForm):
    class Meta:
        model = ArticleVersion
        fields = ["summary", "in_force_from"]
        widgets = {"in_force_from": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class ArticleForm(StyledForm):
    number = forms.IntegerField(label=_("Article number"), min_value=1, max_value=MAX_ARTICLES)
    chapter = forms.CharField(
        label=_("Chapter"), max_length=Article._meta.get_field("chapter").max_length, required=False
    )
    heading = forms.CharField(
        label=_("Heading"), max_length=Article._meta.get_field("heading").max_length, required=False
    )
    text = forms.CharField(
        label=_("Text"), max_length=ARTICLE_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


# --- boards -----------------------------------------------------------------------------

MAX_SEATS = 200


class BoardSeatsMixin:
    """One minimum/maximum pair per constituency (``seats_<constituency>_min`` and
    ``_max``): a blank maximum means the board has no seats for that constituency."""

    def add_seat_fields(self, current: dict[str, tuple[int, int]]) -> None:
        number = {"class": "form-control form-control-sm"}
        for constituency, label in Constituency.choices:
            minimum, maximum = current.get(constituency, (None, None))
            self.fields[f"seats_{constituency}_min"] = forms.IntegerField(
                label=_("%(constituency)s: at least") % {"constituency": label},
                min_value=0,
                max_value=MAX_SEATS,
                required=False,
                initial=minimum,
                widget=forms.NumberInput(attrs=number),
            )
            self.fields[f"seats_{constituency}_max"] = forms.IntegerField(
                label=_("%(constituency)s: at most") % {"constituency": label},
                min_value=1,
                max_value=MAX_SEATS,
                required=False,
                initial=maximum,
                widget=forms.NumberInput(attrs=number),
            )

    def main_fields(self) -> list:
        """The board's own fields, before its seats."""
        return [field for field in self.visible_fields() if not field.name.startswith("seats_")]

    def seat_field_pairs(self) -> list[tuple[str, object, object]]:
        """(constituency label, minimum field, maximum field) for the template."""
        return [
            (label, self[f"seats_{value}_min"], self[f"seats_{value}_max"])
            for value, label in Constituency.choices
        ]

    def clean_seats(self, cleaned: dict) -> None:
        seats = {}
        for constituency in Constituency.values:
            minimum = cleaned.get(f"seats_{constituency}_min")
            maximum = cleaned.get(f"seats_{constituency}_max")
            if maximum is None:
                if minimum:
                    self.add_error(
                        f"seats_{constituency}_max", _("Give a maximum, or leave both blank.")
                    )
                continue
            minimum = minimum or 0
            if minimum > maximum:
                self.add_error(
                    f"seats_{constituency}_min", _("The minimum is more than the maximum.")
                )
                continue
            seats[constituency] = (minimum, maximum)
        if not seats and not self.errors:
            raise forms.ValidationError(
                _("Give the board its seats: a maximum for at least one constituency.")
            )
        self.seats = seats


class BoardForm(BoardSeatsMixin, StyledModelForm):
    """A new board: of one of the user's colleges, or of a partnership whose lead
    organization they administer; its terms and its seats by constituency."""

    organization = forms.ModelChoiceField(
        label=_("College"), queryset=Organization.objects.none(), required=False
    )
    partnership = forms.ModelChoiceField(
        label=_("Or a partnership (industry college, alliance)"),
        queryset=Partnership.objects.none(),
        required=False,
    )

    class Meta:
        model = Board
        fields = list(BOARD_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    field_order = ["organization", "partnership", *BOARD_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        admin_of = access.organization_ids(user, {Role.ADMIN})
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=admin_of, kind=OrganizationKind.COLLEGE, is_active=True
        )
        self.fields["partnership"].queryset = Partnership.objects.filter(lead_id__in=admin_of)
        self.add_seat_fields({})

    def can_create(self) -> bool:
        """Whether the user administers any body that could have a board."""
        return (
            self.fields["organization"].queryset.exists()
            or self.fields["partnership"].queryset.exists()
        )

    def clean(self):
        cleaned = super().clean()
        one_body = (cleaned.get("organization") is None) != (cleaned.get("partnership") is None)
        if not one_body and not {"organization", "partnership"} & set(self.errors):
            self.add_error(None, _("Choose a college or a partnership, not both."))
        self.clean_seats(cleaned)
        return cleaned


class BoardEditForm(BoardSeatsMixin, StyledModelForm):
    """A board's terms and seats; the body stays."""

    class Meta:
        model = Board
        fields = list(BOARD_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {
            row.constituency: (row.minimum, row.maximum) for row in self.instance.seats.all()
        }
        self.add_seat_fields(current)

    def clean(self):
        cleaned = super().clean()
        self.clean_seats(cleaned)
        return cleaned


class BoardMemberForm(StyledModelForm):
    """A seat: a portal user (by username) or an outside member by name, whom they
    represent, their constituency, position and term (a full term unless an end is
    given)."""

    username = forms.CharField(
        label=_("Portal user (username)"),
        max_length=150,
        required=False,
        help_text=_("Leave blank for a member from outside the portal; then give a name."),
    )
    term_start = forms.DateField(
        label=_("Term starts"), widget=DATE, validators=[validate_portal_date]
    )
    term_end = forms.DateField(
        label=_("Term ends"),
        widget=DATE,
        required=False,
        validators=[validate_portal_date],
        help_text=_("Blank: a full term of the board."),
    )

    class Meta:
        model = BoardMember
        fields = ["name", "represents", "constituency", "position", "term_start", "term_end"]

    field_order = ["username", *Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Blank for a portal user: their name is used.")
        self.fields["represents"].queryset = Organization.objects.filter(is_active=True)
        if self.instance.pk and self.instance.user_id:
            self.fields["username"].initial = self.instance.user.username

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active portal user has this username."))
        return user

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give a name, or the username of a portal user."))
        return cleaned

    def member_fields(self) -> dict:
        """The fields as the member services take them."""
        data = {key: self.cleaned_data[key] for key in self.Meta.fields}
        data["user"] = self.cleaned_data.get("username")
        if data["term_end"] is None:
            del data["term_end"]
        if not data["name"] and data["user"] is not None:
            user = data["user"]
            data["name"] = user.get_full_name() or user.username
        return data


class BoardMemberLeaveForm(StyledForm):
    left_on = forms.DateField(label=_("Left on"), widget=DATE, validators=[validate_portal_date])


# --- meetings and resolutions --------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(StyledModelForm):
    link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {"starts_at": DATETIME, "agenda": forms.Textarea(attrs={"rows": 6})}


class MinutesForm(StyledModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 16})}


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(StyledForm):
    """One row per member seated on the meeting's day: present, by proxy (naming the
    member who holds it) or absent. A row left empty is not recorded; the service checks
    the proxies."""

    def __init__(self, *args, members: list[BoardMember], recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        statuses = [("", _("Not recorded")), *AttendanceStatus.choices]
        holders = [("", "—"), *((str(member.pk), member.name) for member in members)]
        for member in members:
            record = recorded.get(member.pk)
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": member.name},
                choices=statuses,
                required=False,
                initial=record.status if record else "",
            )
            self.fields[f"holder_{member.pk}"] = forms.ChoiceField(
                label=_("Proxy held by (for %(name)s)") % {"name": member.name},
                choices=holders,
                required=False,
                initial=str(record.proxy_holder_id or "") if record else "",
            )
        style_fields(self, size="sm")

    def member_rows(self):
        for member in self.members:
            yield member, self[f"status_{member.pk}"], self[f"holder_{member.pk}"]

    def rows(self) -> list[dict]:
        """The rows for ``meeting_record_attendance``: the members whose attendance is
        given."""
        by_pk = {member.pk: member for member in self.members}
        rows = []
        for member in self.members:
            status = self.cleaned_data.get(f"status_{member.pk}")
            if not status:
                continue
            holder = self.cleaned_data.get(f"holder_{member.pk}")
            rows.append(
                {
                    "member": member,
                    "status": status,
                    "proxy_holder": by_pk.get(int(holder)) if holder else None,
                }
            )
        return rows


class ResolutionForm(StyledModelForm):
    """A draft resolution of a board: on one of its meetings (not a cancelled one) or
    written; an amendment of the articles names a proposed version of the body's own
    articles."""

    class Meta:
        model = Resolution
        fields = ["title", "text", "kind", "meeting", "article_version", "voting_closes_at"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "voting_closes_at": DATETIME}

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(board_id=board.pk).exclude(
            status=MeetingStatus.CANCELLED
        )
        self.fields["meeting"].empty_label = _("None: a written resolution")
        self.fields["article_version"].queryset = ArticleVersion.objects.filter(
            status=VersionStatus.PROPOSED,
            document__organization_id=board.organization_id,
            document__partnership_id=board.partnership_id,
        ).select_related("document")
        self.fields["article_version"].help_text = _(
            "Only for an amendment of the articles: a proposed version of the body's articles."
        )


class OpenVotingForm(StyledForm):
    voting_closes_at = forms.DateTimeField(
        label=_("Voting closes at"),
        required=False,
        widget=DATETIME,
        help_text=_("Required for a written resolution."),
    )


class VoteForm(StyledForm):
    """A vote for a seat: the user's own (no member given) or one whose proxy they hold.
    Whether they may is the service's to decide."""

    member = forms.ModelChoiceField(
        label=_("Member"), queryset=BoardMember.objects.none(), required=False
    )
    choice = forms.ChoiceField(label=_("Vote"), choices=VoteChoice.choices)

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = BoardMember.objects.filter(board_id=board.pk)
