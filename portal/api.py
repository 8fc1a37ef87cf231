"""The API's shared base: filters, history, and the viewsets every app uses.

Pagination and the error handler live in portal.rest, which DRF imports while it loads."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response

from portal import access
from portal.dates import validate_portal_moment
from portal.history import history_entries
from portal.limits import LARGEST_ID

EDIT_ACTIONS = frozenset({"update", "partial_update", "destroy"})


class RecordListField(serializers.ManyRelatedField):
    """Several related records by id (``RecordField(many=True)``), at most
    ``API_MAX_LIST_ITEMS`` of them: each id costs a lookup."""

    default_error_messages = {"max_length": _("Give at most {max_length} records.")}

    def to_internal_value(self, data):
        limit = settings.API_MAX_LIST_ITEMS
        if isinstance(data, list | tuple) and len(data) > limit:
            self.fail("max_length", max_length=limit)
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    """A list of at most ``max_length`` items, counted before any item is checked: a
    huge list is one short error, not one error per item echoing each back."""

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and self.max_length and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class RecordField(serializers.PrimaryKeyRelatedField):
    """A related record named by id: a wild value is a field error, never a database
    overflow, and a missing record reads the same whatever the reason."""

    default_error_messages = {
        "does_not_exist": _("No such record, or not one you can see."),
        "incorrect_type": _("Give the record's id, a whole number."),
    }

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update(
            (key, value) for key, value in kwargs.items() if key in MANY_RELATION_KWARGS
        )
        return RecordListField(**list_kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str):
            # More digits than any id has is no record (and int() of a very long string
            # is refused by Python itself).
            if not data.isascii() or not data.isdigit():
                self.fail("incorrect_type", data_type="str")
            if len(data) > len(str(LARGEST_ID)):
                self.fail("does_not_exist", pk_value=data[:20])
            data = int(data)
        if not 1 <= data <= LARGEST_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class MomentField(serializers.DateTimeField):
    """An ISO 8601 moment whose date lies in the portal's range. A moment the time
    zone arithmetic cannot hold (year 1 with no offset, east of UTC) is a field error
    too, never an overflow."""

    default_error_messages = {"overflow": _("Give a moment between 1990 and 2200.")}

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_portal_moment]
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):
            self.fail("overflow")


class VisibleRecordField(RecordField):
    """A related record looked up only among those the requesting user can see
    (``visible_to``), so that one that exists but is hidden answers exactly like one
    that does not exist. Organizations, which everyone signed in sees in the
    directory, use ``RecordField`` over the active ones."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None))


class ActionsMixin(serializers.Serializer):
    """Adds ``actions``: what the requesting user may do with the record now, decided
    by the app's ``<model>_actions(user, record)`` (the same function pages ask)."""

    actions = serializers.SerializerMethodField(
        help_text="What you may do with this record now: workflow verbs, and edit."
    )

    def decide_actions(self, user, record) -> set[str]:  # pragma: no cover - per subclass
        raise NotImplementedError

    def get_actions(self, record) -> list[str]:
        request = self.context.get("request")
        return sorted(self.decide_actions(getattr(request, "user", None), record))


class RecordPermission(permissions.BasePermission):
    """Edits need the viewset's ``can_write`` (``access.can_change`` by default).

    Workflow actions (``POST .../{id}/<verb>/``) are not checked here: their service
    decides, since who may sign or fulfil depends on more than the role.
    """

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS or view.action not in EDIT_ACTIONS:
            return True
        return view.can_write(request.user, obj)


HISTORY_ENTRY = inline_serializer(
    "HistoryEntry",
    {
        "when": serializers.DateTimeField(),
        "who": serializers.CharField(),
        "action": serializers.CharField(),
        "subject": serializers.CharField(),
        "changes": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)


class HistoryMixin:
    @extend_schema(responses=HISTORY_ENTRY)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Who changed this record, when, and which fields."""
        record = self.get_object()
        return Response(
            [
                {
                    "when": entry.when,
                    "who": entry.who,
                    "action": entry.action,
                    "subject": entry.subject,
                    "changes": [vars(change) for change in entry.changes],
                }
                for entry in self.history_for(record, request.user)
            ]
        )

    def history_for(self, record, user) -> list:
        """The entries the user may read; a viewset narrows them (a student's personal
        details) by overriding this."""
        return history_entries(record, viewer=user)


class PortalViewSetMixin(HistoryMixin):
    """Applies ``visible_to`` to every list and detail, and ``can_write`` to every write.

    Records the user may not see answer 404 (they are not in the queryset); records
    they see but may not change answer 403.
    """

    permission_classes = [permissions.IsAuthenticated, RecordPermission]
    search_fields: tuple[str, ...] = ()
    ordering_fields: tuple[str, ...] | str = "__all__"
    # The serializer of one record (detail, and the answer to a workflow action): it may
    # carry what lists leave out, such as the ``actions`` the user may take now.
    detail_serializer_class: type[serializers.Serializer] | None = None

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_object(self):
        record = super().get_object()
        if self.request.method in permissions.SAFE_METHODS:
            access.note_reads(self.request.user, [record])
        return record

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        access.note_reads(self.request.user, page if page is not None else [])
        return page

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return access.can_change(user, obj)

    def updated_response(self, obj) -> Response:
        """The resource after a workflow action, fetched as the detail fetches it."""
        record = self.get_queryset().get(pk=obj.pk)
        if self.detail_serializer_class is None:
            return Response(self.get_serializer(record).data)
        serializer = self.detail_serializer_class(record, context=self.get_serializer_context())
        return Response(serializer.data)


class PortalModelViewSet(PortalViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]


class PortalReadOnlyViewSet(PortalViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class PortalCreateReadUpdateViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """For records that are deactivated or ended by a workflow, never deleted."""


class WholeRowMixin(serializers.Serializer):
    """A nested row (an agreement's party, a program's criterion, a budget line) is whole
    even in a PATCH: DRF skips a partial update's missing fields at every depth, so a row
    without its required fields would reach the service; here each one missing is a 400
    naming it."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        missing = {
            name: [serializers.Field.default_error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and (field.source or name) not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs
