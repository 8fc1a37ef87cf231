"""The columns of the governance lists (see ``portal.tables``)."""

from django.utils.translation import gettext_lazy as _

from portal.tables import (
    Column,
    DateColumn,
    DateTimeColumn,
    NumberColumn,
    StatusColumn,
    Table,
    TemplateColumn,
)


class ArticlesTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    body = Column(_("Body"), accessor="body_name")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)


class BoardTable(Table):
    id = Column(accessor="pk", in_table=False)
    name = Column(_("Name"), link=True, order_by="name")
    body = Column(_("Body"), accessor="body_name")
    kind = Column(_("Kind"), order_by="kind")
    powers = Column(_("Powers"), order_by="powers")
    seated = NumberColumn(_("Seated members"), accessor="seated_count", order_by="seated_count")
    updated_at = Column(_("Updated"), order_by="updated_at", in_table=False)


class BoardMemberTable(Table):
    """A board's members, on its Members tab and in their CSV export."""

    id = Column(accessor="pk", in_table=False)
    name = Column(_("Name"))
    username = Column(_("Portal user"), accessor="user.username", in_table=False)
    represents = Column(_("Represents"), accessor="represents.name")
    constituency = Column(_("Constituency"))
    position = Column(_("Position"))
    term_start = DateColumn(_("Term starts"))
    term_end = DateColumn(_("Term ends"))
    left_on = DateColumn(_("Left on"))


class ManagedBoardMemberTable(BoardMemberTable):
    """The members as the body's admins see them: each with a link to change it."""

    change = TemplateColumn(
        _("Change"), accessor="pk", template="governance/board_member_cell.html", in_csv=False
    )


class MeetingTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    board = Column(_("Board"), accessor="board.name", order_by="board__name")
    kind = Column(_("Kind"), order_by="kind")
    starts_at = DateTimeColumn(_("Starts"), order_by="starts_at")
    place = Column(_("Place"))
    link = Column(_("Online link"), in_table=False)
    status = StatusColumn(_("Status"), order_by="status")


class ResolutionTable(Table):
    id = Column(accessor="pk", in_table=False)
    title = Column(_("Title"), link=True, order_by="title")
    board = Column(_("Board"), accessor="board.name", order_by="board__name")
    meeting = Column(_("Meeting"), accessor="meeting.title")
    kind = Column(_("Kind"), order_by="kind")
    threshold = Column(_("Threshold"), in_table=False)
    status = StatusColumn(_("Status"), order_by="status")
    voting_closes_at = DateTimeColumn(_("Voting closes"), order_by="voting_closes_at")
    closed_at = DateTimeColumn(_("Closed"), order_by="closed_at")
    votes_for = NumberColumn(_("For"), in_table=False)
    votes_against = NumberColumn(_("Against"), in_table=False)
    abstentions = NumberColumn(_("Abstentions"), in_table=False)
    advisory = Column(_("Advice only"), in_table=False)
