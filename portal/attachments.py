"""Attachment checks and the service that stores one."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal import access
from portal.models import Attachment

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _looks_like(extension: str, upload: UploadedFile) -> bool:
    """Whether the file's first bytes (its magic number) match its extension.

    A renamed executable keeps its own magic bytes, so the extension alone proves nothing.
    """
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        folder = "word/" if extension == "docx" else "xl/"
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return False


def validate_upload(upload: UploadedFile) -> str:
    """Check the extension, size and content of an upload; return its media type."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in MEDIA_TYPES:
        raise ValidationError(
            _("Only these file types are accepted: %(types)s.")
            % {"types": "PDF, DOCX, XLSX, PNG, JPG"},
            code="file_type",
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="file_size",
        )
    if not _looks_like(extension, upload):
        raise ValidationError(
            _("The file's content does not match its .%(extension)s extension.")
            % {"extension": extension},
            code="file_content",
        )
    return MEDIA_TYPES[extension]


def record_label(obj: models.Model) -> str:
    """How pages and the API name a record to attach to: ``app_label.model``."""
    content_type = ContentType.objects.get_for_model(obj)
    return f"{content_type.app_label}.{content_type.model}"


def visible_record(user, label: str, object_id) -> models.Model:
    """The record named by ``app_label.model`` and id, if the user sees it; else 404."""
    try:
        app_label, model_name = label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except (ValueError, ContentType.DoesNotExist) as missing:
        raise Http404 from missing
    model = content_type.model_class()
    if model is None or not hasattr(model._default_manager, "visible_to"):
        raise Http404
    return get_object_or_404(model._default_manager.visible_to(user), pk=object_id)


def attachment_add(
    *, actor, record: models.Model, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Attach an uploaded file to a record the actor may change."""
    access.require(access.can_change(actor, record))
    media_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        record=record,
        original_name=PurePath(upload.name).name[:255],
        description=description,
        media_type=media_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    with transaction.atomic():
        attachment.save()
    return attachment


def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove an attachment from a record the actor may change."""
    access.require(access.can_change(actor, attachment.record))
    attachment.file.delete(save=False)
    attachment.delete()
