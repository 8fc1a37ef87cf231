"""Submitted versions of an application, and what changed between two of them.

Every submission (the first, and each resubmission after the department asked for more)
keeps what the application said then (``ApplicationVersion.content``): title, summary,
amount, partnership, budget lines and answers. Reviews name the version they read, and
two versions compare field by field: the words added and removed in the title and
summary, the amount, the budget lines added, removed or changed, the answers changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.text_diff import Segment, word_diff

from ..models import (
    ApplicationAnswer,
    ApplicationVersion,
    BudgetCategory,
    FundApplication,
    QuestionKind,
)


def version_content(application: FundApplication) -> dict:
    """What the application says now, as a version keeps it (three queries)."""
    partnership = application.partnership
    answers = (
        ApplicationAnswer.objects.filter(application=application)
        .select_related("question", "attachment")
        .order_by("question__order", "question_id")
    )
    return {
        "title": application.title,
        "summary": application.summary,
        "requested_amount": str(application.requested_amount),
        "partnership": (
            {"id": partnership.pk, "name": partnership.name} if partnership is not None else None
        ),
        "lines": [
            {
                "category": line.category,
                "description": line.description,
                "amount": str(line.amount),
            }
            for line in application.budget_lines.order_by("pk")
        ],
        "answers": [
            {
                "question": answer.question_id,
                "label": answer.question.label,
                "kind": answer.question.kind,
                "value": answer.value,
                "attachment": answer.attachment_id,
                "file_name": answer.attachment.original_name if answer.attachment else "",
            }
            for answer in answers
            if answer.value or answer.attachment_id
        ],
        "in_reply_to": "",
    }


def version_record(
    *, actor, application: FundApplication, in_reply_to: str = ""
) -> ApplicationVersion:
    """Keep what the application says as its next version and count it on the
    application (``version``; the caller saves the application). Called by submit and
    resubmit, under the application's lock, in their transaction; ``in_reply_to`` is
    the department's request that a resubmission answers."""
    application.version += 1
    content = version_content(application)
    content["in_reply_to"] = in_reply_to
    return ApplicationVersion.objects.create(
        application=application,
        number=application.version,
        submitted_by=actor,
        content=content,
    )


# --- comparing two versions --------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str  # "title", "summary", "requested_amount" or "partnership"
    label: str
    old: str
    new: str
    segments: list[Segment] = field(default_factory=list)  # title and summary

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class LineChange:
    change: str  # "added", "removed", "changed" or "same"
    category: str  # its label
    description: str
    old_amount: str | None
    new_amount: str | None


@dataclass(frozen=True)
class AnswerChange:
    question: int
    label: str
    kind: str
    change: str  # "added", "removed", "changed" or "same"
    old: str  # the answer, or the file's name
    new: str
    segments: list[Segment] = field(default_factory=list)  # text answers


@dataclass(frozen=True)
class ApplicationDiff:
    older: int  # version numbers
    newer: int
    in_reply_to: str  # the department's request the newer version answers
    fields: list[FieldChange]
    lines: list[LineChange]
    answers: list[AnswerChange]

    @property
    def changed_count(self) -> int:
        return (
            sum(change.changed for change in self.fields)
            + sum(line.change != "same" for line in self.lines)
            + sum(answer.change != "same" for answer in self.answers)
        )


def _category_label(value: str) -> str:
    return str(BudgetCategory(value).label) if value in BudgetCategory.values else value


def _field_changes(old: dict, new: dict) -> list[FieldChange]:
    def partnership(content: dict) -> str:
        value = content.get("partnership") or {}
        return value.get("name", "")

    changes = []
    for name, label in (("title", _("Title")), ("summary", _("Summary"))):
        before, after = old.get(name, ""), new.get(name, "")
        segments = word_diff(before, after) if before != after else [Segment("same", after)]
        changes.append(FieldChange(name, label, before, after, segments))
    changes.append(
        FieldChange(
            "requested_amount",
            _("Amount requested (yuan)"),
            old.get("requested_amount", ""),
            new.get("requested_amount", ""),
        )
    )
    changes.append(FieldChange("partnership", _("Partnership"), partnership(old), partnership(new)))
    return changes


def _line_changes(old: list[dict], new: list[dict]) -> list[LineChange]:
    """Lines are the same line when their category and description match (ignoring
    case and spaces at the ends); then only the amount may have changed."""

    def key(line: dict) -> tuple[str, str]:
        return line.get("category", ""), line.get("description", "").strip().casefold()

    before: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for line in old:
        before[key(line)].append(line)
    changes = []
    for line in new:
        category = _category_label(line.get("category", ""))
        match = before[key(line)].pop(0) if before[key(line)] else None
        if match is None:
            changes.append(LineChange("added", category, line["description"], None, line["amount"]))
        else:
            change = "same" if match["amount"] == line["amount"] else "changed"
            changes.append(
                LineChange(change, category, line["description"], match["amount"], line["amount"])
            )
    for line in old:
        if line in before[key(line)]:
            before[key(line)].remove(line)
            changes.append(
                LineChange(
                    "removed",
                    _category_label(line.get("category", "")),
                    line["description"],
                    line["amount"],
                    None,
                )
            )
    return changes


def _shown(answer: dict | None) -> str:
    if answer is None:
        return ""
    if answer.get("kind") == QuestionKind.FILE:
        return answer.get("file_name", "")
    return answer.get("value", "")


def _answer_changes(old: list[dict], new: list[dict]) -> list[AnswerChange]:
    before = {answer["question"]: answer for answer in old}
    after = {answer["question"]: answer for answer in new}
    order = [answer["question"] for answer in new]
    order += [answer["question"] for answer in old if answer["question"] not in after]
    changes = []
    for question in order:
        was, now = before.get(question), after.get(question)
        shown_was, shown_now = _shown(was), _shown(now)
        label = (now or was)["label"]
        kind = (now or was)["kind"]
        if was is None:
            change = "added"
        elif now is None:
            change = "removed"
        elif shown_was != shown_now or was.get("attachment") != now.get("attachment"):
            change = "changed"
        else:
            change = "same"
        segments = []
        if change == "changed" and kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
            segments = word_diff(shown_was, shown_now)
        changes.append(AnswerChange(question, label, kind, change, shown_was, shown_now, segments))
    return changes


def versions_diff(older: ApplicationVersion, newer: ApplicationVersion) -> ApplicationDiff:
    """What changed from one submitted version to another of the same application
    (the lower number is the older, whichever order they come in). No query."""
    if older.application_id != newer.application_id:
        raise ValidationError(_("Compare two versions of the same application."))
    if older.number > newer.number:
        older, newer = newer, older
    old, new = older.content or {}, newer.content or {}
    return ApplicationDiff(
        older=older.number,
        newer=newer.number,
        in_reply_to=new.get("in_reply_to", ""),
        fields=_field_changes(old, new),
        lines=_line_changes(old.get("lines", []), new.get("lines", [])),
        answers=_answer_changes(old.get("answers", []), new.get("answers", [])),
    )
