"""Attachments through the API: list a record's files, upload, download, remove."""

import re

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser

from portal.api import PortalViewSetMixin
from portal.attachments import (
    attachable_model,
    attachment_add,
    attachment_delete,
    can_change_attachments,
    not_found,
    visible_record,
)
from portal.limits import LARGEST_ID
from portal.models import Attachment

RECORD_HELP = gettext_lazy("The record, as `app_label.model:id`, e.g. `accounts.organization:5`.")


class RecordField(serializers.CharField):
    """The record as ``app_label.model:id``, written from the content type (joined in)
    and the id, never by loading the record: no query per file listed."""

    def get_attribute(self, instance) -> str:
        content_type = instance.content_type
        return f"{content_type.app_label}.{content_type.model}:{instance.object_id}"


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:attachment-detail")
    download_url = serializers.HyperlinkedIdentityField(view_name="api:attachment-download")
    record = RecordField(help_text=RECORD_HELP)
    file = serializers.FileField(write_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "url",
            "record",
            "file",
            "original_name",
            "description",
            "media_type",
            "size",
            "sha256",
            "uploaded_by",
            "download_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["original_name", "media_type", "size", "sha256"]


RECORD_ID = re.compile(r"[0-9]+")
LONGEST_ID = len(str(LARGEST_ID))


def parse_record(user, value: str):
    """The record named by ``app_label.model:id``, if the user sees it.

    A malformed name, or a kind of record that takes no attachments, is a 400 on
    ``record``; a record that is missing or hidden from the user is the same 404.
    """
    label, _sep, object_id = value.partition(":")
    if attachable_model(label) is None:
        raise ValidationError(
            {"record": [f"{_('Files cannot be attached to this kind of record.')} {RECORD_HELP}"]}
        )
    if not RECORD_ID.fullmatch(object_id):
        raise ValidationError({"record": [str(RECORD_HELP)]})
    if len(object_id.lstrip("0")) > LONGEST_ID:
        raise not_found()  # no record has such an id (and int() would refuse the digits)
    return visible_record(user, label, int(object_id))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("record", OpenApiTypes.STR, required=True, description=RECORD_HELP)
        ]
    )
)
class AttachmentViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Files attached to any record: visible to whoever sees the record, added and
    removed by whoever may change it. Uploads are multipart (`file`, `record`)."""

    queryset = Attachment.objects.select_related("uploaded_by", "content_type")
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_class = None
    ordering_fields = ("created_at", "original_name", "size")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            record = self.request.query_params.get("record")
            if not record:
                raise ValidationError(
                    {"record": [f"{_('This filter is required.')} {RECORD_HELP}"]}
                )
            return queryset.for_record(parse_record(self.request.user, record))
        return queryset

    def can_write(self, user, obj) -> bool:
        return can_change_attachments(user, obj.record)

    def perform_create(self, serializer):
        record = parse_record(self.request.user, serializer.validated_data["record"])
        serializer.instance = attachment_add(
            actor=self.request.user,
            record=record,
            upload=serializer.validated_data["file"],
            description=serializer.validated_data.get("description", ""),
        )

    def perform_destroy(self, instance):
        attachment_delete(actor=self.request.user, attachment=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, sent as an attachment."""
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.media_type,
        )
