"""Attachments through the API: list a record's files, upload, download, remove."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser

from portal import access
from portal.api import PortalViewSetMixin
from portal.attachments import attachment_add, attachment_delete, record_label, visible_record
from portal.models import Attachment

RECORD_HELP = "The record, as `app_label.model:id`, e.g. `accounts.organization:5`."


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:attachment-detail")
    download_url = serializers.HyperlinkedIdentityField(view_name="api:attachment-download")
    record = serializers.CharField(help_text=RECORD_HELP)
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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["record"] = f"{record_label(instance.record)}:{instance.object_id}"
        return data


def parse_record(user, value: str):
    label, _, object_id = value.partition(":")
    if not object_id.isdigit():
        raise ValidationError({"record": [RECORD_HELP]})
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
                raise ValidationError({"record": ["This filter is required. " + RECORD_HELP]})
            return queryset.for_record(parse_record(self.request.user, record))
        return queryset

    def can_write(self, user, obj) -> bool:
        return access.can_change(user, obj.record)

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
