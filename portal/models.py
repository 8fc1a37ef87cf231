"""Shared model plumbing: timestamps and history, attachments, notifications."""

from __future__ import annotations

from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import AccessQuerySet

# Money in yuan: up to a trillion, to the fen.
MONEY_DIGITS = 14


def money(verbose_name, **kwargs) -> models.DecimalField:
    """A sum of money in yuan (two decimal places)."""
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=2, **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class DomainModel(TimeStampedModel):
    """Base of every domain record: timestamps, history, and the organizations it
    belongs to (``access_organization_paths``, read by ``portal.access``)."""

    access_organization_paths: ClassVar[tuple[str, ...]] = ()
    # Whether files may be attached to these records (see ``attachable_models``); a
    # model that says so has a page to show them on (``get_absolute_url``).
    attachable: ClassVar[bool] = False

    history = HistoricalRecords(inherit=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        abstract = True


def private_storage() -> FileSystemStorage:
    """Attachments are stored outside the static and public media paths, with no URL:
    they are only sent by the download view, after an access check."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is the content hash, never the uploader's file name.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"{instance.content_type.app_label}/{instance.sha256[:2]}/{instance.sha256}.{extension}"


def attachable_models() -> list[type[models.Model]]:
    """The domain records that take attachments: those declaring ``attachable = True``.

    Nothing else does, whoever asks: not an attachment, a person or an agreement's
    party, which have no access rules of their own or no page to show files on.
    """
    return [model for model in apps.get_models() if is_attachable(model)]


def is_attachable(model: type[models.Model] | None) -> bool:
    return model is not None and issubclass(model, DomainModel) and model.attachable is True


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttachmentQuerySet:
        """Attachments of the attachable records the user sees, whatever their kinds.

        A row on any other kind of record (left by older code) is seen by nobody.
        """
        condition = models.Q()
        content_type_ids = self.order_by().values_list("content_type", flat=True).distinct()
        for content_type_id in content_type_ids:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if not is_attachable(model):
                continue
            condition |= models.Q(
                content_type_id=content_type_id,
                object_id__in=model._default_manager.visible_to(user).values("pk"),
            )
        return self.filter(condition) if condition else self.none()

    def for_record(self, obj: models.Model) -> AttachmentQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("uploaded_by")


class Attachment(TimeStampedModel):
    """A file attached to any record; visible to whoever sees the record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=255, blank=True)
    media_type = models.CharField(_("media type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("attachment-download", args=[self.pk])

    @property
    def read_as(self):
        """Reading a file is reading its record (``access.note_reads`` logs that)."""
        return self.record


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def email_pending(self) -> NotificationQuerySet:
        return self.filter(email_pending=True)


class Notification(models.Model):
    """An in-app message to one user; also emailed unless the sender says not to.

    It is its own outbox: written in the transaction of the change it tells of, and
    emailed after the commit by ``portal.tasks``, which retries what is still pending
    (``email_pending``), so a mail server or broker that is away never turns a committed
    change into an error or loses the email.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_pending = models.BooleanField(_("email to send"), default=False)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_pending=True),
                name="notification_email_pending",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year, for reference numbers such as
    AGR-2026-00042 (see ``portal.references``)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class SentReminder(models.Model):
    """A reminder that went out; its key makes each one go out once, however often the
    daily jobs run (see ``portal.reminders``)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class IdempotencyRecord(models.Model):
    """The first answer to an API call made with an ``Idempotency-Key`` header
    (see ``portal.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key
