"""Program questions and the applicants' answers.

A program's managers add, edit and remove the questions of its application form while
it is a draft. Applicants answer them on the form (pages) or in ``answers`` (API); every
answer is checked and stored here, in one canonical text form (a number as ``1234.5``, an
amount as ``1234.50``, a date as ``2026-03-01``, a choice as the option), so that pages
and API accept and refuse the same. A draft may be incomplete: required answers are
enforced when the application is submitted (``missing_answers``).

Locks: the program before its questions; an application's answers are written by the
application's services, under the application's lock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal import access
from portal.attachments import attachment_add, validate_upload
from portal.dates import validate_portal_date
from portal.limits import LONG_TEXT, parse_id
from portal.models import Attachment
from portal.workflow import InvalidTransition, lock_row

from ..models import (
    ApplicationAnswer,
    FundApplication,
    FundProgram,
    ProgramQuestion,
    ProgramStatus,
    QuestionKind,
)
from .rules import can_manage_program

MAX_QUESTIONS = 30
MIN_CHOICES, MAX_CHOICES = 2, 50
CHOICE_LENGTH = 200
SHORT_TEXT = 500
# Numbers within ±10^12 with at most six decimals; amounts of money from 0 to below
# 10^12 yuan, to the fen (what a Decimal(14, 2) holds).
NUMBER_LIMIT = Decimal("1e12")
NUMBER_PLACES = 6
MONEY_LIMIT = Decimal("1e12")
# More characters than any number or date within the limits takes: a longer text is
# refused before it is parsed.
NUMBER_TEXT = 40
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

QUESTION_FIELDS = ("label", "help_text", "kind", "choices", "required", "order")


def answer_field(question: ProgramQuestion | int) -> str:
    """The name an answer's errors (and its form field) go by: ``question_<id>``."""
    return f"question_{getattr(question, 'pk', question)}"


# --- questions -------------------------------------------------------------------------


def _require_draft_manager(actor, program: FundProgram) -> None:
    access.require(can_manage_program(actor, program))
    if program.status != ProgramStatus.DRAFT:
        raise InvalidTransition(_("Questions are fixed once the program opens."))


def clean_choices(kind: str, choices) -> list[str]:
    """The options of a “one of a list” question: 2 to 50, each 1 to 200 characters,
    none twice. Other kinds have none."""
    if choices is None:
        choices = []
    if not isinstance(choices, list | tuple) or any(not isinstance(c, str) for c in choices):
        raise ValidationError({"choices": _("Give the options as a list of texts.")})
    options = [choice.strip() for choice in choices]
    if kind != QuestionKind.CHOICE:
        if any(options):
            raise ValidationError({"choices": _("Options are only for “one of a list” questions.")})
        return []
    if not MIN_CHOICES <= len(options) <= MAX_CHOICES:
        raise ValidationError(
            {
                "choices": _("Give between %(least)d and %(most)d options.")
                % {"least": MIN_CHOICES, "most": MAX_CHOICES}
            }
        )
    seen: set[str] = set()
    for option in options:
        if not 1 <= len(option) <= CHOICE_LENGTH:
            raise ValidationError(
                {
                    "choices": _("Each option has 1 to %(most)d characters.")
                    % {"most": CHOICE_LENGTH}
                }
            )
        if option.casefold() in seen:
            raise ValidationError(
                {"choices": _("“%(option)s” is listed twice.") % {"option": option[:50]}}
            )
        seen.add(option.casefold())
    return options


def _clean_question(question: ProgramQuestion) -> None:
    question.label = (question.label or "").strip()
    question.help_text = (question.help_text or "").strip()
    question.choices = clean_choices(question.kind, question.choices)
    question.full_clean()


@transaction.atomic
def question_add(
    *,
    actor,
    program: FundProgram,
    label: str,
    kind: str,
    help_text: str = "",
    choices=(),
    required: bool = False,
    order: int | None = None,
) -> ProgramQuestion:
    """Add a question to a draft program's application form (its managers), at most
    30 per program."""
    program = lock_row(FundProgram, program.pk)
    _require_draft_manager(actor, program)
    # Counted under the program's lock, so two additions at once cannot pass 30.
    count = program.questions.count()
    if count >= MAX_QUESTIONS:
        raise ValidationError(
            _("A program asks at most %(count)d questions.") % {"count": MAX_QUESTIONS}
        )
    question = ProgramQuestion(
        program=program,
        label=label,
        help_text=help_text,
        kind=kind,
        choices=choices if choices is not None else [],
        required=required,
        order=order if order is not None else count,
    )
    _clean_question(question)
    question.save()
    return question


@transaction.atomic
def question_update(*, actor, question: ProgramQuestion, **fields) -> ProgramQuestion:
    """Change a question of a draft program; a question that stops being “one of a
    list” drops its options."""
    program = lock_row(FundProgram, question.program_id)
    _require_draft_manager(actor, program)
    question = lock_row(ProgramQuestion, question.pk)
    for key in QUESTION_FIELDS:
        if key in fields:
            setattr(question, key, fields[key])
    if question.kind != QuestionKind.CHOICE and "choices" not in fields:
        question.choices = []
    _clean_question(question)
    question.save()
    return question


@transaction.atomic
def question_remove(*, actor, question: ProgramQuestion) -> None:
    program = lock_row(FundProgram, question.program_id)
    _require_draft_manager(actor, program)
    question.delete()


# --- answers ---------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Give a number, such as 12 or 3.5."))
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if len(text) > NUMBER_TEXT:
            raise ValidationError(_("Give a number, such as 12 or 3.5."))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Give a number, such as 12 or 3.5.")) from None
    if not number.is_finite():
        raise ValidationError(_("Give a number, such as 12 or 3.5."))
    return number


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _clean_number(value) -> str:
    number = _decimal(value)
    if abs(number) > NUMBER_LIMIT:
        raise ValidationError(_("Give a number between −1,000,000,000,000 and 1,000,000,000,000."))
    if _places(number) > NUMBER_PLACES:
        raise ValidationError(
            _("Give at most %(places)d decimal places.") % {"places": NUMBER_PLACES}
        )
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def _clean_money(value) -> str:
    number = _decimal(value)
    if number < 0:
        raise ValidationError(_("Give an amount of zero or more."))
    if number >= MONEY_LIMIT:
        raise ValidationError(_("Give an amount below 1,000,000,000,000 yuan."))
    if _places(number) > 2:
        raise ValidationError(_("Give the amount to the fen: at most 2 decimal places."))
    return str(number.quantize(Decimal("0.01")))


def _clean_date(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = str(value).strip()
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError(text)
            value = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD, such as 2026-09-01.")) from None
    validate_portal_date(value)
    return value.isoformat()


def clean_answer(question: ProgramQuestion, value) -> str:
    """The canonical text of an answer to a question that is not a file, or a
    ValidationError saying what is wrong. An empty value is no answer (``""``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    kind = question.kind
    if kind == QuestionKind.FILE:
        raise ValidationError(_("Answer with a file attached to the application, not with text."))
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT, QuestionKind.CHOICE):
        if not isinstance(value, str):
            raise ValidationError(_("Give the answer as text."))
        text = value.strip()
        if kind == QuestionKind.CHOICE:
            if text not in question.choices:
                raise ValidationError(_("Choose one of the options."))
            return text
        limit = SHORT_TEXT if kind == QuestionKind.TEXT else LONG_TEXT
        if len(text) > limit:
            raise ValidationError(
                _("Give at most %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(text)}
            )
        return text
    if kind == QuestionKind.NUMBER:
        return _clean_number(value)
    if kind == QuestionKind.MONEY:
        return _clean_money(value)
    if kind == QuestionKind.DATE:
        return _clean_date(value)
    raise ValidationError(_("This question cannot be answered."))  # pragma: no cover


def _file_answer(question: ProgramQuestion, value):
    """What a file question's answer says: an upload to attach (pages), the id of a file
    already attached to the application (API), or None to remove the answer."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, UploadedFile):
        validate_upload(value)
        return value
    number = parse_id(value)
    if number is None:
        raise ValidationError(_("Give the id of a file attached to this application."))
    return number


def save_answers(*, actor, application: FundApplication, answers: Mapping) -> None:
    """Set the application's answers: ``{question id: value}``, each value checked for
    its question's kind; an empty value removes the answer; questions left out keep
    theirs. For a file question the value is an upload (pages), the id of a file the
    caller attached to the application (API) or None (no file). Every value is checked
    before anything is written or stored, and errors come back named
    ``question_<id>``.

    The caller holds the application's lock and has checked that the actor may edit it.
    """
    if not answers:
        return
    questions = {question.pk: question for question in application.program.questions.all()}
    errors: dict[str, list[str]] = {}
    texts: dict[int, str] = {}
    files: dict[int, object] = {}
    for key, value in answers.items():
        question_id = parse_id(key)
        question = questions.get(question_id) if question_id is not None else None
        if question is None:
            errors[answer_field(str(key)[:20])] = [_("This is not one of the program's questions.")]
            continue
        try:
            if question.kind == QuestionKind.FILE:
                files[question.pk] = _file_answer(question, value)
            else:
                texts[question.pk] = clean_answer(question, value)
        except ValidationError as error:
            errors[answer_field(question)] = error.messages
    attached = {}
    wanted = [value for value in files.values() if isinstance(value, int)]
    if wanted:
        attached = {
            attachment.pk: attachment
            for attachment in Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(FundApplication),
                object_id=application.pk,
                pk__in=wanted,
            )
        }
        for question_id, value in files.items():
            if isinstance(value, int) and value not in attached:
                errors[answer_field(question_id)] = [
                    _("Give the id of a file attached to this application.")
                ]
    if errors:
        raise ValidationError(errors)
    existing = {answer.question_id: answer for answer in application.answers.all()}

    def put(question_id: int, value: str = "", attachment=None) -> None:
        answer = existing.get(question_id)
        if not value and attachment is None:
            if answer is not None:
                answer.delete()
            return
        if answer is None:
            answer = ApplicationAnswer(application=application, question_id=question_id)
        if answer.value == value and answer.attachment_id == getattr(attachment, "pk", None):
            return
        answer.value, answer.attachment = value, attachment
        answer.save()

    for question_id, value in texts.items():
        put(question_id, value)
    # Files are stored last, once every other answer is written: nothing after them fails.
    for question_id, value in files.items():
        if isinstance(value, UploadedFile):
            label = questions[question_id].label
            value = attachment_add(
                actor=actor,
                record=application,
                upload=value,
                description=(_("Answer to “%(question)s”") % {"question": label})[:255],
            )
        elif isinstance(value, int):
            value = attached[value]
        put(question_id, "", value)


def missing_answers(application: FundApplication) -> list[ProgramQuestion]:
    """The required questions the application has not answered yet (two queries)."""
    answered = {
        answer.question_id
        for answer in application.answers.all()
        if answer.value or answer.attachment_id
    }
    return [
        question
        for question in application.program.questions.all()
        if question.required and question.pk not in answered
    ]


def check_required_answers(application: FundApplication) -> list[str]:
    """One message per required question still unanswered, naming it."""
    return [
        _("Answer “%(question)s” before submitting.") % {"question": question.label}
        for question in missing_answers(application)
    ]


def answer_rows(application: FundApplication) -> list[tuple[ProgramQuestion, object]]:
    """Every question of the application's program with its answer (or None), in the
    form's order: two queries, however many questions."""
    answers = {
        answer.question_id: answer
        for answer in ApplicationAnswer.objects.filter(application=application).select_related(
            "attachment"
        )
    }
    return [
        (question, answers.get(question.pk))
        for question in ProgramQuestion.objects.filter(program_id=application.program_id)
    ]
