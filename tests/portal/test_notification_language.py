"""Every kind of notification reads in its recipient's language: a status word, a list,
a sentence — nothing of it in the language of whoever caused it.

The demo data is loaded and every demo user reads Chinese; then each ``notify(...)``
call in the portal is made to fire once.
Strings the Chinese catalogue lacks yet (new ones wait for the translation pass) are
rendered as a fake translation, in full-width letters ("Ｏｖｅｒｄｕｅ"), so that:

- the record's own data (names, titles, references, dates, a reason typed by someone)
  are what the title and body were formatted with, and are the only plain ASCII text
  left in the Chinese copy; with them taken out, no ASCII letter may remain: an English
  status word ("Fulfilled") or sentence could only come from text evaluated in the
  sender's language (``get_status_display()``, ``gettext`` instead of ``gettext_lazy``);
- no value formatted in is an English choice label (a status passed as a plain string),
  and nothing translated at once while the sender acted (it is marked "⟦…⟧" here);
- the Chinese text keeps full-width punctuation (no "院校, 企业").
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import _format_lazy, format_lazy
from django.utils.translation import gettext_lazy, trans_real

from accounts.models import Organization, Role, User
from portal import notifications as notifications_module
from portal.models import Notification
from portal.money import money_lazy
from portal.notifications import notify
from tests.factories import member

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_APPS: set[str] = set()
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH_NEXT_TO_HAN = re.compile(rf"[{HAN}][,:;] |[,:;] ?[{HAN}]")
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[sd])")


# --- the notify call sites ------------------------------------------------------------


def notify_call_sites() -> set[tuple[str, int, int]]:
    """Each ``notify(...)`` in the portal's code: (file, first line, last line)."""
    sites = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        top = relative.parts[0]
        if top.startswith(".") or top in {"tests", *SKIPPED_APPS} or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify":
                sites.add((str(relative), node.lineno, node.end_lineno))
    return sites


def site_of(path: str, line: int, sites) -> tuple[str, int, int] | None:
    return next((s for s in sites if s[0] == path and s[1] <= line <= s[2]), None)


@contextmanager
def recorded_notifications() -> Iterator[list[dict]]:
    """Each notification written inside, with the call site and the title and body as
    ``notify`` was given them (lazy, not yet rendered)."""
    records: list[dict] = []
    bulk_create = Notification.objects.bulk_create
    notify_code = notifications_module.notify.__code__

    def spy(objs, *args, **kwargs):
        frame = inspect.currentframe()
        while frame is not None and frame.f_code is not notify_code:
            frame = frame.f_back
        assert frame is not None, "a notification written outside notify()"
        caller = frame.f_back
        path = str(Path(caller.f_code.co_filename).resolve().relative_to(ROOT))
        for obj in objs:
            records.append(
                {
                    "path": path,
                    "line": caller.f_lineno,
                    "title": frame.f_locals["title"],
                    "body": frame.f_locals["body"],
                    "notification": obj,
                }
            )
        return bulk_create(objs, *args, **kwargs)

    with mock.patch.object(Notification.objects, "bulk_create", spy):
        yield records


# --- a Chinese catalogue with a fake translation for the strings it lacks -------------


def fake_chinese(text: str) -> str:
    """Letters made full-width, placeholders kept: "Overdue {date}" → "Ｏｖｅｒｄｕｅ {date}"."""
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else re.sub(r"[A-Za-z]", _wide, part)
        for part in PLACEHOLDER.split(text)
    )


def _wide(match: re.Match) -> str:
    return chr(ord(match.group()) + 0xFEE0)


@contextmanager
def chinese_with_fake_fallback() -> Iterator[None]:
    """Chinese from the catalogue; a string it lacks in fake Chinese, not in English (its
    fallback, which may be the sender's language here)."""
    chinese = trans_real.translation("zh-hans")

    def gettext(message):
        translated = chinese._catalog.get(message)
        if translated is not None:
            return translated
        # pgettext asks for "context\x04message": answer without the context.
        return fake_chinese(message.split(trans_real.CONTEXT_SEPARATOR)[-1])

    def ngettext(singular, plural, number):
        try:
            return chinese._catalog.plural(singular, number)
        except KeyError:
            return fake_chinese(singular if number == 1 else plural)

    with (
        mock.patch.object(chinese, "gettext", gettext),
        mock.patch.object(chinese, "ngettext", ngettext),
    ):
        yield


# The sender's language, marked: text translated at once (``gettext``, a status's
# ``get_status_display()``) while the sender acts reads "⟦Suspended⟧" in the copy.
SENDER_MARKS = ("⟦", "⟧")


@contextmanager
def sender_in_marked_english() -> Iterator[None]:
    english = trans_real.translation("en")
    real_gettext, real_ngettext = english.gettext, english.ngettext
    opening, closing = SENDER_MARKS

    def gettext(message):
        translated = real_gettext(message)
        if trans_real.CONTEXT_SEPARATOR in translated:  # pgettext, not translated
            translated = translated.split(trans_real.CONTEXT_SEPARATOR)[-1]
        return f"{opening}{translated}{closing}"

    def ngettext(singular, plural, number):
        return f"{opening}{real_ngettext(singular, plural, number)}{closing}"

    with (
        translation.override("en"),
        mock.patch.object(english, "gettext", gettext),
        mock.patch.object(english, "ngettext", ngettext),
    ):
        yield


# --- what a notification was made of --------------------------------------------------


def _function_of(promise: Promise):
    return promise.__reduce__()[1][0]


def formatted_values(value) -> list:
    """The plain values a lazy title or body was formatted with (the record's data);
    a lazy part is translated when shown, so it is not data."""
    if isinstance(value, Promise):
        if _function_of(value) is _format_lazy:
            _format, *args = value._args
            return [v for arg in [*args, *value._kw.values()] for v in formatted_values(arg)]
        return []
    return [value]


def english_choice_labels() -> set[str]:
    """Every choice label of every model, in English (statuses, kinds, roles)."""
    labels = set()
    with translation.override("en"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                for _value, label in getattr(field, "flatchoices", None) or []:
                    if isinstance(label, Promise | str) and str(label).strip():
                        labels.add(str(label).strip())
    return labels


def problems_of(record: dict, labels: set[str]) -> list[str]:
    notification = record["notification"]
    where = f"{record['path']}:{record['line']}"
    problems = []
    if not isinstance(record["title"], Promise):
        problems.append(f"{where}: the title is not lazy: {notification.title!r}")
    data = formatted_values(record["title"]) + formatted_values(record["body"])
    lowered = {label.casefold() for label in labels}
    for value in data:
        if isinstance(value, str) and value.strip().casefold() in lowered:
            problems.append(f"{where}: {value!r} is a label passed as a plain string")
    text = f"{notification.title}\n{notification.body}"
    if any(mark in text for mark in SENDER_MARKS):
        problems.append(f"{where}: text in the sender's language: {text!r}")
    for value in sorted((str(v) for v in data if str(v)), key=len, reverse=True):
        text = text.replace(value, " ")
    if re.search(r"[A-Za-z]", text):
        problems.append(f"{where}: English outside the record's data: {text!r}")
    if HALF_WIDTH_NEXT_TO_HAN.search(text):
        problems.append(f"{where}: half-width punctuation in Chinese: {text!r}")
    return problems


# --- the test -------------------------------------------------------------------------


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(name_start: str) -> Organization:
    return Organization.objects.get(name__startswith=name_start)


class TestEveryNotificationInTheRecipientsLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())
        User.objects.update(language="zh-hans")
        # A second admin of Riverside, who is told of minutes another admin wrote.
        cls.second_admin = member(org("Riverside"), Role.ADMIN, "riverside-admin-2")
        User.objects.filter(pk=cls.second_admin.pk).update(language="zh-hans")

    def triggers(self) -> list[tuple[str, Callable[[], object]]]:
        from tests.portal import notification_triggers

        return notification_triggers.triggers()

    def test_every_kind_reads_in_chinese_without_english_status_words(self):
        sites = notify_call_sites()
        labels = english_choice_labels()
        with (
            sender_in_marked_english(),
            chinese_with_fake_fallback(),
            recorded_notifications() as records,
        ):
            for name, trigger in self.triggers():
                with self.subTest(trigger=name):
                    trigger()
        fired = set()
        problems = []
        for record in records:
            site = site_of(record["path"], record["line"], sites)
            if site is None:
                continue  # outside the portal's apps
            self.assertEqual(record["notification"].recipient.language, "zh-hans")
            fired.add(site)
            problems.extend(problems_of(record, labels))
        missing = sorted(sites - fired)
        self.assertEqual(missing, [], "notify() calls that no trigger made fire")
        self.assertEqual(problems, [])


class TestStatusAndMoneyInTheRecipientsLanguage(TestCase):
    """The pieces: a status's label and an amount are rendered per recipient."""

    @classmethod
    def setUpTestData(cls):
        from tests.factories import OrganizationFactory

        organization = OrganizationFactory()
        cls.english = member(organization, Role.ADMIN, "english-reader")
        cls.chinese = member(organization, Role.ADMIN, "chinese-reader")
        User.objects.filter(pk=cls.chinese.pk).update(language="zh-hans")
        cls.chinese.refresh_from_db()

    def test_a_status_label_and_an_amount_in_each_readers_language(self):
        from partnerships.models import ClauseStatus

        with translation.override("en"):  # the sender reads English
            notify(
                recipients=[self.english, self.chinese],
                title=format_lazy(
                    gettext_lazy("{reference}: a clause of {party} is now {status}"),
                    reference="AGR-2026-00001",
                    party="Huaxin",
                    status=ClauseStatus.FULFILLED.label,
                ),
                body=format_lazy("{}: {}", gettext_lazy("Amount"), money_lazy(Decimal("300000"))),
                email=False,
            )
        titles = dict(Notification.objects.values_list("recipient__username", "title"))
        bodies = dict(Notification.objects.values_list("recipient__username", "body"))
        self.assertIn("Fulfilled", titles["english-reader"])
        self.assertNotIn("Fulfilled", titles["chinese-reader"])
        self.assertIn("已履行", titles["chinese-reader"])
        self.assertIn("300,000.00", bodies["english-reader"])
        self.assertIn("300,000.00", bodies["chinese-reader"])

    def test_the_email_is_the_recipients_copy_with_the_sites_link(self):
        from partnerships.models import ClauseStatus

        with (
            override_settings(SITE_URL="http://127.0.0.1:8010"),
            self.captureOnCommitCallbacks(execute=True),
            transaction.atomic(),
        ):
            notify(
                recipients=[self.chinese],
                title=format_lazy("{}: {}", "AGR-2026-00001", ClauseStatus.FULFILLED.label),
                url="/agreements/1/",
            )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "AGR-2026-00001: 已履行")
        self.assertIn("http://127.0.0.1:8010/agreements/1/", mail.outbox[0].body)


def today():
    return timezone.localdate()


def days(n: int) -> timedelta:
    return timedelta(days=n)
