"""The governance API's representations: articles and their versions, boards with their
seats, board members, meetings with attendance and quorum, resolutions and votes."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organization, OrganizationKind, User
from governance import services
from governance.models import (
    ARTICLE_TEXT,
    MAX_ARTICLES,
    Article,
    Articles,
    ArticleVersion,
    AttendanceStatus,
    Board,
    BoardMember,
    BoardSeat,
    Constituency,
    Meeting,
    Resolution,
    Vote,
    VoteChoice,
)
from partnerships.models import Partnership
from portal.api import (
    ActionsMixin,
    MomentField,
    RecordField,
    VisibleRecordField,
    WholeRowMixin,
)
from portal.dates import validate_portal_date
from portal.limits import NOTE_TEXT

# --- articles -------------------------------------------------------------------------


class ArticlesSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:articles-detail")
    organization = RecordField(
        queryset=Organization.objects.filter(kind=OrganizationKind.COLLEGE, is_active=True),
        required=False,
        allow_null=True,
        help_text="The college whose articles these are; or give `partnership`.",
    )
    partnership = VisibleRecordField(
        queryset=Partnership.objects.all(),
        required=False,
        allow_null=True,
        help_text="The partnership (an industry college, an alliance) whose articles these "
        "are; its lead's admins manage them.",
    )
    body_name = serializers.CharField(read_only=True)
    in_force_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the version in force, if any."
    )

    class Meta:
        model = Articles
        fields = [
            "id",
            "url",
            "title",
            "organization",
            "partnership",
            "body_name",
            "in_force_version",
            "created_at",
            "updated_at",
        ]


class ArticlesDetailSerializer(ArticlesSerializer):
    can_manage = serializers.SerializerMethodField(
        help_text="Whether you manage these articles (draft versions, propose them)."
    )

    class Meta(ArticlesSerializer.Meta):
        fields = [*ArticlesSerializer.Meta.fields, "can_manage"]

    def get_can_manage(self, document) -> bool:
        request = self.context.get("request")
        return services.can_manage_body(getattr(request, "user", None), document)


class ArticleSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(min_value=1, max_value=MAX_ARTICLES)
    text = serializers.CharField(max_length=ARTICLE_TEXT)
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = ["number", "chapter", "heading", "text", "citation"]


class VersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-version-detail")
    document = VisibleRecordField(
        queryset=Articles.objects.all(),
        help_text="The articles of association; the new draft starts from the version in force.",
    )
    document_title = serializers.CharField(source="document.title", read_only=True)
    adopted_by = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The resolution that adopted it."
    )

    class Meta:
        model = ArticleVersion
        fields = [
            "id",
            "url",
            "document",
            "document_title",
            "number",
            "status",
            "summary",
            "in_force_from",
            "proposed_at",
            "adopted_at",
            "adopted_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "status", "in_force_from", "proposed_at", "adopted_at"]


class VersionUpdateSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        read_only_fields = ["document", "number", "status", "proposed_at", "adopted_at"]


class VersionDetailSerializer(ActionsMixin, VersionSerializer):
    articles = ArticleSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "articles", "actions"]

    def decide_actions(self, user, version) -> set[str]:
        return services.version_actions(user, version)


class ArticleDeleteSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=MAX_ARTICLES)


class SegmentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["same", "added", "removed"])
    text = serializers.CharField()


class ArticleChangeSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    change = serializers.ChoiceField(choices=["same", "added", "removed", "changed"])
    left = ArticleSerializer(read_only=True, allow_null=True, help_text="In the older version.")
    right = ArticleSerializer(read_only=True, allow_null=True, help_text="In the newer version.")
    segments = SegmentSerializer(many=True, help_text="The text with additions and deletions.")


class DiffSerializer(serializers.Serializer):
    older = serializers.IntegerField(help_text="The older version's id.")
    newer = serializers.IntegerField(help_text="The newer version's id.")
    changes = ArticleChangeSerializer(many=True)


# --- boards ---------------------------------------------------------------------------


class BoardSeatSerializer(WholeRowMixin, serializers.ModelSerializer):
    minimum = serializers.IntegerField(min_value=0, max_value=200)
    maximum = serializers.IntegerField(min_value=1, max_value=200)

    class Meta:
        model = BoardSeat
        fields = ["constituency", "minimum", "maximum"]


class BoardSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:board-detail")
    organization = RecordField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The organization whose board this is; or give `partnership`.",
    )
    partnership = VisibleRecordField(
        queryset=Partnership.objects.all(), required=False, allow_null=True
    )
    body_name = serializers.CharField(read_only=True)
    seats = BoardSeatSerializer(
        many=True,
        max_length=len(Constituency.values),
        help_text="The seats by constituency, each with a minimum and a maximum.",
    )

    class Meta:
        model = Board
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "powers",
            "term_years",
            "quorum_percent",
            "description",
            "organization",
            "partnership",
            "body_name",
            "seats",
            "created_at",
            "updated_at",
        ]

    def validate_seats(self, rows):
        seen = set()
        for row in rows:
            if row["constituency"] in seen:
                raise serializers.ValidationError(
                    f"“{row['constituency']}” is given twice: one row per constituency."
                )
            seen.add(row["constituency"])
        return rows


class BoardUpdateSerializer(BoardSerializer):
    seats = BoardSeatSerializer(many=True, max_length=len(Constituency.values), required=False)

    class Meta(BoardSerializer.Meta):
        read_only_fields = ["organization", "partnership"]


class SeatFilledSerializer(serializers.Serializer):
    constituency = serializers.CharField()
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()
    filled = serializers.IntegerField(help_text="Members seated today.")


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class BoardDetailSerializer(ActionsMixin, BoardSerializer):
    seats_filled = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="Where the board is out of line with its rules (for college councils, "
        "the 2014 rules)."
    )

    class Meta(BoardSerializer.Meta):
        fields = [*BoardSerializer.Meta.fields, "seats_filled", "warnings", "actions"]

    def decide_actions(self, user, board) -> set[str]:
        return services.board_actions(user, board)

    @staticmethod
    def _seat_row(row: dict) -> dict:
        return {
            "constituency": row["constituency"],
            "minimum": row["minimum"],
            "maximum": row["maximum"],
            "filled": row["filled"],
        }

    def get_seats_filled(self, board) -> SeatFilledSerializer(many=True):
        return [self._seat_row(row) for row in services.seats_filled(board)]

    def get_warnings(self, board) -> WarningSerializer(many=True):
        return [
            {"code": warning.code, "message": str(warning.message)}
            for warning in services.board_warnings(board)
        ]


class BoardMemberSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:board-member-detail")
    board = VisibleRecordField(queryset=Board.objects.all())
    board_name = serializers.CharField(source="board.name", read_only=True)
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("No active portal user has this username."),
            "invalid": _("Give a username."),
        },
        help_text="The portal user's username (they then vote in the portal); empty for "
        "an outside member, named in `name`.",
    )
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Blank for a portal user."
    )
    represents = RecordField(
        queryset=Organization.objects.filter(is_active=True), required=False, allow_null=True
    )
    represents_name = serializers.CharField(source="represents.name", read_only=True, default="")
    term_end = serializers.DateField(
        required=False,
        validators=[validate_portal_date],
        help_text="Blank: a full term of the board.",
    )
    seated = serializers.SerializerMethodField(help_text="Seated today.")

    class Meta:
        model = BoardMember
        fields = [
            "id",
            "url",
            "board",
            "board_name",
            "user",
            "name",
            "represents",
            "represents_name",
            "constituency",
            "position",
            "term_start",
            "term_end",
            "left_on",
            "seated",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["left_on"]
        # One seat per portal user is the service's to check (under the board's lock).
        validators: list = []

    def get_seated(self, member) -> bool:
        today = timezone.localdate()
        return member.left_on is None and member.term_start <= today <= member.term_end

    def validate(self, attrs):
        attrs = super().validate(attrs)
        creating = self.instance is None
        user = attrs.get("user") if "user" in attrs or creating else self.instance.user
        name = attrs.get("name") if "name" in attrs or creating else self.instance.name
        if user is None and not (name or "").strip():
            raise serializers.ValidationError(
                {"name": "Give a name, or the username of a portal user."}
            )
        return attrs


class BoardMemberUpdateSerializer(BoardMemberSerializer):
    class Meta(BoardMemberSerializer.Meta):
        read_only_fields = ["board", "left_on"]


class LeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField(
        required=False, validators=[validate_portal_date], help_text="Today if not given."
    )


# --- meetings -------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")
    board = VisibleRecordField(queryset=Board.objects.all())
    board_name = serializers.CharField(source="board.name", read_only=True)
    starts_at = MomentField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "board",
            "board_name",
            "title",
            "kind",
            "starts_at",
            "place",
            "link",
            "agenda",
            "status",
            "minutes_approved_at",
            "cancel_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "minutes_approved_at", "cancel_reason"]


class MeetingUpdateSerializer(MeetingSerializer):
    starts_at = MomentField(required=False)

    class Meta(MeetingSerializer.Meta):
        read_only_fields = ["board", "status", "minutes_approved_at", "cancel_reason"]


class AttendanceSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        min_value=1, help_text="The board member's id: seated on the meeting's day."
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    proxy_holder = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="For a proxy: the id of the present member who holds it.",
    )


class AttendanceRecordSerializer(serializers.Serializer):
    rows = AttendanceSerializer(many=True, max_length=settings.API_MAX_LIST_ITEMS)


class AttendanceReadSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.name")
    status = serializers.CharField()
    proxy_holder = serializers.IntegerField(source="proxy_holder_id", allow_null=True)


class QuorumSerializer(serializers.Serializer):
    seated = serializers.IntegerField()
    present = serializers.IntegerField()
    by_proxy = serializers.IntegerField()
    attending = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="More than this share must attend.")
    met = serializers.BooleanField()


class MeetingDetailSerializer(ActionsMixin, MeetingSerializer):
    minutes = serializers.CharField(read_only=True)
    attendance = AttendanceReadSerializer(many=True, read_only=True)
    quorum = serializers.SerializerMethodField(help_text="Live, from the attendance.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "attendance", "quorum", "actions"]

    def decide_actions(self, user, meeting) -> set[str]:
        return services.meeting_actions(user, meeting)

    def get_quorum(self, meeting) -> QuorumSerializer:
        figures = services.quorum(meeting)
        return {
            "seated": figures.seated,
            "present": figures.present,
            "by_proxy": figures.by_proxy,
            "attending": figures.attending,
            "percent": figures.percent,
            "met": figures.met,
        }


class MinutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        extra_kwargs = {"minutes": {"required": True, "allow_blank": False}}


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)


# --- resolutions and votes ------------------------------------------------------------


class ResolutionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resolution-detail")
    board = VisibleRecordField(queryset=Board.objects.all())
    board_name = serializers.CharField(source="board.name", read_only=True)
    meeting = VisibleRecordField(
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text="A meeting of the board; empty for a written resolution.",
    )
    article_version = VisibleRecordField(
        queryset=ArticleVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only for an amendment of the articles: the proposed version it adopts.",
    )
    voting_closes_at = MomentField(
        required=False, allow_null=True, help_text="Required for a written resolution."
    )

    class Meta:
        model = Resolution
        fields = [
            "id",
            "url",
            "board",
            "board_name",
            "meeting",
            "title",
            "text",
            "kind",
            "article_version",
            "threshold",
            "status",
            "voting_closes_at",
            "opened_at",
            "closed_at",
            "seated",
            "attending",
            "votes_for",
            "votes_against",
            "abstentions",
            "quorum_met",
            "advisory",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "threshold",
            "status",
            "opened_at",
            "closed_at",
            "seated",
            "attending",
            "votes_for",
            "votes_against",
            "abstentions",
            "quorum_met",
            "advisory",
        ]


class ResolutionUpdateSerializer(ResolutionSerializer):
    class Meta(ResolutionSerializer.Meta):
        read_only_fields = ["board", *ResolutionSerializer.Meta.read_only_fields]


class TallySerializer(serializers.Serializer):
    seated = serializers.IntegerField()
    attending = serializers.IntegerField(allow_null=True, help_text="At a meeting only.")
    quorum_met = serializers.BooleanField(allow_null=True, help_text="At a meeting only.")
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    abstentions = serializers.IntegerField()


class ResolutionDetailSerializer(ActionsMixin, ResolutionSerializer):
    tally = serializers.SerializerMethodField(
        help_text="While voting is open, the figures as they stand; after closing, see "
        "the recorded figures."
    )

    class Meta(ResolutionSerializer.Meta):
        fields = [*ResolutionSerializer.Meta.fields, "tally", "actions"]

    def decide_actions(self, user, resolution) -> set[str]:
        return services.resolution_actions(user, resolution)

    def get_tally(self, resolution) -> TallySerializer(allow_null=True):
        if resolution.status != "voting":
            return None
        figures = services.tally(resolution)
        return vars(figures)


class OpenVotingSerializer(serializers.Serializer):
    voting_closes_at = MomentField(required=False, help_text="Required for a written resolution.")


class VoteSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:vote-detail")
    resolution = VisibleRecordField(queryset=Resolution.objects.all())
    member = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The seat the vote was cast for."
    )
    member_name = serializers.CharField(source="member.name", read_only=True)
    constituency = serializers.CharField(source="member.constituency", read_only=True)
    cast_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "url",
            "resolution",
            "member",
            "member_name",
            "constituency",
            "choice",
            "by_proxy",
            "cast_by",
            "cast_at",
        ]
        read_only_fields = ["by_proxy", "cast_at"]


class VoteCastSerializer(serializers.Serializer):
    resolution = VisibleRecordField(queryset=Resolution.objects.all())
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    member = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Only to vote for a member whose proxy you hold at the meeting: their "
        "board member id. Your own seat otherwise.",
    )
