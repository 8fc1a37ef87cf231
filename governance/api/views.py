"""Governance in the API: ``articles/``, ``article-versions/`` (with their articles,
``propose/``, ``reopen/``, ``withdraw/`` and ``diff/``), ``boards/``, ``board-members/``,
``meetings/``, ``resolutions/`` (``open-voting/``, ``close-voting/``, ``withdraw/``) and
``votes/``. Every write goes through ``governance.services``, as the pages' do."""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from governance import services
from governance.filters import (
    ArticlesFilterSet,
    BoardFilterSet,
    BoardMemberFilterSet,
    MeetingFilterSet,
    ResolutionFilterSet,
    VersionFilterSet,
    VoteFilterSet,
)
from governance.models import (
    Articles,
    ArticleVersion,
    Board,
    BoardMember,
    Meeting,
    Resolution,
    VersionStatus,
    Vote,
)
from portal.api import PortalCreateReadUpdateViewSet, PortalViewSetMixin
from portal.limits import parse_id

from . import serializers as s


def record_id(value, field: str) -> int:
    """A record id from the query string, or a field error."""
    number = parse_id(value)
    if number is None:
        raise ValidationError({field: _("Give the record's id, a whole number.")})
    return number


class ArticlesViewSet(PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Articles of association (章程) of a college, or of a partnership (an industry
    college, an alliance): created by the body's admins; their text is in
    `article-versions/`. Members of the body's organizations, its seated board members
    and government read them."""

    queryset = (
        Articles.objects.select_related("organization", "partnership")
        .annotate(
            in_force_version=Subquery(
                ArticleVersion.objects.filter(
                    document_id=OuterRef("pk"), status=VersionStatus.IN_FORCE
                ).values("pk")[:1]
            )
        )
        .order_by("title", "pk")
    )
    serializer_class = s.ArticlesSerializer
    detail_serializer_class = s.ArticlesDetailSerializer
    filterset_class = ArticlesFilterSet
    search_fields = ("title",)
    ordering_fields = ("title", "created_at", "updated_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        document = services.articles_create(
            actor=self.request.user,
            title=data["title"],
            organization=data.get("organization"),
            partnership=data.get("partnership"),
        )
        serializer.instance = self.get_queryset().get(pk=document.pk)


# The version's steps, answered with the version and its articles.
STEPS = ("propose", "reopen", "withdraw", "article_save", "article_delete")


class VersionViewSet(PortalCreateReadUpdateViewSet):
    """Versions of articles of association. `POST` drafts the next version (a copy of
    the one in force); a draft's articles are written one at a time (`articles/`) and
    removed by number (`articles/delete/`); `propose/` puts it to the board, where an
    amendment resolution adopts it. An adopted version never changes (409).
    `diff/?against=<id>` compares two versions article by article."""

    queryset = ArticleVersion.objects.select_related(
        "document__organization", "document__partnership"
    ).order_by("document_id", "-number")
    serializer_class = s.VersionSerializer
    detail_serializer_class = s.VersionDetailSerializer
    filterset_class = VersionFilterSet
    search_fields = ("summary",)
    ordering_fields = ("number", "status", "in_force_from", "created_at", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("retrieve", *STEPS):
            queryset = queryset.prefetch_related("articles")
        return queryset

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.VersionUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.document)

    def perform_create(self, serializer):
        data = serializer.validated_data
        version = services.version_create(
            actor=self.request.user, document=data["document"], summary=data.get("summary", "")
        )
        serializer.instance = self.get_queryset().get(pk=version.pk)

    def perform_update(self, serializer):
        version = services.version_update(
            actor=self.request.user, version=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=version.pk)

    def _step(self, service):
        version = service(actor=self.request.user, version=self.get_object())
        return self.updated_response(version)

    @extend_schema(request=None, responses=s.VersionDetailSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """Draft → proposed: put to the board (it needs at least one article)."""
        return self._step(services.version_propose)

    @extend_schema(request=None, responses=s.VersionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Proposed → draft, to change it again (not while a vote on it is open)."""
        return self._step(services.version_reopen)

    @extend_schema(request=None, responses=s.VersionDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Draft or proposed → withdrawn."""
        return self._step(services.version_withdraw)

    @extend_schema(request=s.ArticleSerializer, responses=s.VersionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="articles")
    def article_save(self, request, pk=None):
        """Write one article of a draft: a new number adds it, an existing number
        replaces it."""
        body = s.ArticleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = self.get_object()
        services.article_save(actor=request.user, version=version, **body.validated_data)
        return self.updated_response(version)

    @extend_schema(request=s.ArticleDeleteSerializer, responses=s.VersionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="articles/delete")
    def article_delete(self, request, pk=None):
        """Remove article `number` from a draft."""
        body = s.ArticleDeleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = self.get_object()
        services.article_delete(
            actor=request.user, version=version, number=body.validated_data["number"]
        )
        return self.updated_response(version)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against",
                int,
                required=True,
                description="The id of another version of the same articles.",
            )
        ],
        responses=s.DiffSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def diff(self, request, pk=None):
        """The two versions side by side, article by article (the older on the left):
        each article added, removed, changed (with the words added and removed) or the
        same. Three queries, whatever the number of articles."""
        version = self.get_object()
        against_id = record_id(request.query_params.get("against", ""), "against")
        against = (
            ArticleVersion.objects.visible_to(request.user)
            .filter(pk=against_id, document_id=version.document_id)
            .first()
        )
        if against is None:
            raise ValidationError({"against": _("No such record, or not one you can see.")})
        older, newer = sorted((against, version), key=lambda v: v.number)
        changes = services.version_diff(older, newer)
        data = {"older": older.pk, "newer": newer.pk, "changes": changes}
        return Response(s.DiffSerializer(data).data)


class BoardViewSet(PortalCreateReadUpdateViewSet):
    """Boards of a body (a college or other organization, or a partnership), with seats
    by constituency. The detail adds the seats filled today, the warnings where the
    board is out of line with its rules, and your `actions`."""

    queryset = (
        Board.objects.select_related("organization", "partnership")
        .prefetch_related("seats")
        .order_by("name", "pk")
    )
    serializer_class = s.BoardSerializer
    detail_serializer_class = s.BoardDetailSerializer
    filterset_class = BoardFilterSet
    search_fields = ("name",)
    ordering_fields = ("name", "kind", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.BoardUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj)

    @staticmethod
    def _seats(rows) -> dict:
        return {row["constituency"]: (row["minimum"], row["maximum"]) for row in rows}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        board = services.board_create(
            actor=self.request.user,
            organization=data.pop("organization", None),
            partnership=data.pop("partnership", None),
            seats=self._seats(data.pop("seats")),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=board.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        seats = data.pop("seats", None)
        board = services.board_update(
            actor=self.request.user,
            board=serializer.instance,
            seats=None if seats is None else self._seats(seats),
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=board.pk)


class BoardMemberViewSet(PortalCreateReadUpdateViewSet):
    """Who sits on a board: a portal user (by username) or an outside member by name,
    the organization they represent, constituency, position and term. Adding one beyond
    the constituency's maximum is refused. `leave/` records that a member left."""

    queryset = BoardMember.objects.select_related("board", "user", "represents").order_by(
        "board_id", "constituency", "name", "pk"
    )
    serializer_class = s.BoardMemberSerializer
    filterset_class = BoardMemberFilterSet
    search_fields = ("name",)
    ordering_fields = ("name", "constituency", "position", "term_start", "term_end")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.BoardMemberUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.board)

    @staticmethod
    def _fields(data: dict, instance=None) -> dict:
        user = data.get("user", instance.user if instance else None)
        if "user" in data or "name" in data:
            name = (data.get("name") or "").strip()
            if not name and user is not None:
                data["name"] = user.get_full_name() or user.username
        return data

    def perform_create(self, serializer):
        data = self._fields(dict(serializer.validated_data))
        member = services.member_add(actor=self.request.user, board=data.pop("board"), **data)
        serializer.instance = self.get_queryset().get(pk=member.pk)

    def perform_update(self, serializer):
        data = self._fields(dict(serializer.validated_data), serializer.instance)
        member = services.member_update(actor=self.request.user, member=serializer.instance, **data)
        serializer.instance = self.get_queryset().get(pk=member.pk)

    @extend_schema(request=s.LeaveSerializer, responses=s.BoardMemberSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """Record that the member left the board (today unless `left_on` is given)."""
        body = s.LeaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.member_leave(
            actor=request.user, member=self.get_object(), left_on=body.validated_data.get("left_on")
        )
        return self.updated_response(member)


class MeetingViewSet(PortalCreateReadUpdateViewSet):
    """Meetings of a board: scheduled by the body's admins (the seated members who are
    portal users are invited), then `hold/` or `cancel/`; `attendance/` records who
    attended (present, by proxy naming the holder, absent) and the detail shows the
    quorum live; `minutes/` and `approve-minutes/` fix the record."""

    queryset = Meeting.objects.select_related("board").order_by("-starts_at", "-pk")
    serializer_class = s.MeetingSerializer
    detail_serializer_class = s.MeetingDetailSerializer
    filterset_class = MeetingFilterSet
    search_fields = ("title",)
    ordering_fields = ("starts_at", "title", "status", "created_at", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("attendance__member")
        return queryset

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.MeetingUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.board)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = services.meeting_schedule(
            actor=self.request.user, board=data.pop("board"), **data
        )
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    def perform_update(self, serializer):
        meeting = services.meeting_update(
            actor=self.request.user, meeting=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    @extend_schema(request=None, responses=s.MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Scheduled → held, once it has started."""
        meeting = services.meeting_hold(actor=request.user, meeting=self.get_object())
        return self.updated_response(meeting)

    @extend_schema(request=s.MeetingCancelSerializer, responses=s.MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Scheduled → cancelled, with the reason; the invited are told."""
        body = s.MeetingCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
            actor=request.user, meeting=self.get_object(), reason=body.validated_data["reason"]
        )
        return self.updated_response(meeting)

    @extend_schema(request=s.AttendanceRecordSerializer, responses=s.MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record attendance, all rows or none: each row names a member seated on the
        meeting's day; a proxy names the present member who holds it. Rows replace
        what was recorded for their members."""
        meeting = self.get_object()
        body = s.AttendanceRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["rows"]
        ids = {row["member"] for row in rows} | {
            row["proxy_holder"] for row in rows if row.get("proxy_holder")
        }
        members = BoardMember.objects.filter(board_id=meeting.board_id, pk__in=ids).in_bulk()
        missing = sorted(ids - members.keys())
        if missing:
            raise ValidationError(
                {"rows": _("No such member of this board: %(ids)s.") % {"ids": missing}}
            )
        try:
            services.meeting_record_attendance(
                actor=request.user,
                meeting=meeting,
                rows=[
                    {
                        "member": members[row["member"]],
                        "status": row["status"],
                        "proxy_holder": members.get(row.get("proxy_holder")),
                    }
                    for row in rows
                ],
            )
        except ValidationError as error:
            # The service names the attendance; the request names its ``rows``.
            raise ValidationError({"rows": error.messages}) from error
        return self.updated_response(meeting)

    @extend_schema(request=s.MinutesSerializer, responses=s.MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """Write the minutes of a held meeting (until they are approved)."""
        body = s.MinutesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_record_minutes(
            actor=request.user, meeting=self.get_object(), minutes=body.validated_data["minutes"]
        )
        return self.updated_response(meeting)

    @extend_schema(request=None, responses=s.MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        """Approve the minutes: the meeting's record (attendance, minutes) is fixed."""
        meeting = services.meeting_approve_minutes(actor=request.user, meeting=self.get_object())
        return self.updated_response(meeting)


class ResolutionViewSet(PortalCreateReadUpdateViewSet):
    """Resolutions of a board: on a meeting's agenda or written; an amendment of the
    articles names the proposed version it adopts. Drafts change through PATCH;
    `open-voting/` fixes the threshold from the kind, `close-voting/` counts the votes
    committed, records the figures and decides (a passed amendment adopts its version in
    the same transaction); `withdraw/`. Votes are in `votes/`."""

    queryset = Resolution.objects.select_related("board", "meeting", "article_version").order_by(
        "-created_at", "-pk"
    )
    serializer_class = s.ResolutionSerializer
    detail_serializer_class = s.ResolutionDetailSerializer
    filterset_class = ResolutionFilterSet
    search_fields = ("title",)
    ordering_fields = ("title", "status", "voting_closes_at", "created_at", "updated_at")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.ResolutionUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return services.can_manage_body(user, obj.board)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        resolution = services.resolution_create(
            actor=self.request.user, board=data.pop("board"), **data
        )
        serializer.instance = self.get_queryset().get(pk=resolution.pk)

    def perform_update(self, serializer):
        resolution = services.resolution_update(
            actor=self.request.user, resolution=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=resolution.pk)

    @extend_schema(request=s.OpenVotingSerializer, responses=s.ResolutionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="open-voting")
    def open_voting(self, request, pk=None):
        """Draft → voting; the voters are told."""
        body = s.OpenVotingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resolution = services.resolution_open_voting(
            actor=request.user,
            resolution=self.get_object(),
            voting_closes_at=body.validated_data.get("voting_closes_at"),
        )
        return self.updated_response(resolution)

    @extend_schema(request=None, responses=s.ResolutionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="close-voting")
    def close_voting(self, request, pk=None):
        """Voting → passed or failed, by quorum and threshold; the figures are recorded."""
        resolution = services.resolution_close_voting(
            actor=request.user, resolution=self.get_object()
        )
        return self.updated_response(resolution)

    @extend_schema(request=None, responses=s.ResolutionDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Draft or voting → withdrawn."""
        resolution = services.resolution_withdraw(actor=request.user, resolution=self.get_object())
        return self.updated_response(resolution)


class VoteViewSet(PortalViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Votes by name, read by the board's members, the body's admins and government.
    `POST` casts a vote: your own seat's, or with `member` the vote of a member whose
    proxy you hold at the meeting. Each member votes once (a second vote is a 400); a
    vote is never changed."""

    queryset = Vote.objects.select_related("member", "cast_by").order_by(
        "resolution_id", "member__constituency", "member__name", "pk"
    )
    serializer_class = s.VoteSerializer
    filterset_class = VoteFilterSet
    search_fields = ("member__name",)
    ordering_fields = ("cast_at", "choice")
    history = None  # a vote is never changed: no history to show

    def get_serializer_class(self):
        if self.action == "create":
            return s.VoteCastSerializer
        return super().get_serializer_class()

    @extend_schema(request=s.VoteCastSerializer, responses={201: s.VoteSerializer})
    def create(self, request, *args, **kwargs):
        body = s.VoteCastSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        resolution = body.validated_data["resolution"]
        member = None
        member_id = body.validated_data.get("member")
        if member_id is not None:
            member = BoardMember.objects.filter(board_id=resolution.board_id, pk=member_id).first()
            if member is None:
                raise ValidationError({"member": _("No such record, or not one you can see.")})
        vote = services.vote_cast(
            actor=request.user,
            resolution=resolution,
            choice=body.validated_data["choice"],
            member=member,
        )
        try:
            vote = self.get_queryset().get(pk=vote.pk)
        except Vote.DoesNotExist:  # pragma: no cover - a voter sees their board's votes
            raise Http404 from None
        serializer = s.VoteSerializer(vote, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED)
