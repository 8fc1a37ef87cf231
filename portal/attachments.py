"""Attachment checks and the service that stores one."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal import access
from portal.limits import LARGEST_ID
from portal.models import Attachment, is_attachable

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
    return obj._meta.label_lower


def attachable_model(label: str) -> type[models.Model] | None:
    """The model named ``app_label.model``, if its records take attachments; else None.

    Looked up among the installed models, never the content types table, so a name
    costs no query and only a declared kind (``attachable = True``) passes.
    """
    app_label, dot, model_name = label.partition(".")
    if not dot or not app_label or not model_name or "." in model_name:
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model if is_attachable(model) else None


def not_found() -> Http404:
    """The one answer for a record or file that is missing or that the user may not
    see, so that neither tells the other apart."""
    return Http404(_("No such record, or not one you can see."))


def visible_record(user, label: str, object_id: int) -> models.Model:
    """The attachable record named by ``app_label.model`` and id, if the user sees it.

    Anything else is a 404: a kind that takes no attachments (callers that want to say
    so, such as the API, ask ``attachable_model`` first), a missing record, a hidden one.
    """
    model = attachable_model(label)
    if model is None or not 0 < object_id <= LARGEST_ID:
        raise not_found()
    try:
        return model._default_manager.visible_to(user).get(pk=object_id)
    except model.DoesNotExist as missing:
        raise not_found() from missing


def visible_attachment(user, pk: int) -> Attachment:
    """An attachment on an attachable record the user sees; else 404, as if missing."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=pk)
    except Attachment.DoesNotExist as missing:
        raise not_found() from missing
    model = attachment.content_type.model_class()
    if (
        not is_attachable(model)
        or not model._default_manager.visible_to(user).filter(pk=attachment.object_id).exists()
    ):
        raise not_found()
    return attachment


def can_change_attachments(user, record: models.Model) -> bool:
    """Who adds and removes a record's files: those who change the record, unless the
    record decides otherwise through ``attachments_changeable_by(user)`` (a teacher's
    secondment evidence is the college admins' to keep, not the host's)."""
    decide = getattr(record, "attachments_changeable_by", None)
    return decide(user) if decide is not None else access.can_change(user, record)


def attachment_add(
    *, actor, record: models.Model, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Attach an uploaded file to an attachable record the actor may change.

    Every check runs before the file is stored; if the row cannot be written, the stored
    file is removed again, so a failure leaves neither behind.
    """
    if not is_attachable(type(record)):
        raise ValidationError(
            {"record": _("Files cannot be attached to this kind of record.")},
            code="not_attachable",
        )
    access.require(can_change_attachments(actor, record))
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
    try:
        with transaction.atomic():
            attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove an attachment from a record the actor may change. The file goes once the
    row's removal is committed, so a rolled-back removal keeps its file.

    A record that relies on one of its files (a signed agreement's scan, a consent)
    says so through ``attachment_in_use(attachment)``; such a file stays until the
    record points to another.
    """
    record = attachment.record
    access.require(can_change_attachments(actor, record))
    in_use = getattr(record, "attachment_in_use", None)
    if in_use is not None and in_use(attachment):
        raise ValidationError(
            _("This file is a record's evidence (%(what)s): it cannot be removed.")
            % {"what": in_use(attachment)},
            code="attachment_in_use",
        )
    file = attachment.file
    with transaction.atomic():
        attachment.delete()
        # robust: a file that cannot be removed now is logged, never an error for a
        # removal already committed (an orphan file harms no one).
        transaction.on_commit(lambda: file.storage.delete(file.name), robust=True)
