"""Forms for program questions and for the answers on the application form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import StyledForm
from portal.limits import LONG_TEXT, NOTE_TEXT

from ..models import FundProgram, ProgramQuestion, QuestionKind
from ..services.questions import CHOICE_LENGTH, MAX_CHOICES, SHORT_TEXT, answer_field


class QuestionForm(StyledForm):
    """A question of a program's application form; the options one per line."""

    label = forms.CharField(label=_("Question"), max_length=255)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=MAX_CHOICES * (CHOICE_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For “one of a list”: one option per line."),
    )
    required = forms.BooleanField(label=_("Required to submit"), required=False)

    @staticmethod
    def initial_for(question: ProgramQuestion) -> dict:
        return {
            "label": question.label,
            "help_text": question.help_text,
            "kind": question.kind,
            "choices": "\n".join(question.choices),
            "required": question.required,
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        return data


class CurrentFile:
    """The file an answer holds, as a file input shows it: its name, linked."""

    def __init__(self, attachment):
        self.name = attachment.original_name
        self.url = attachment.get_absolute_url()

    def __str__(self) -> str:
        return self.name


def answer_form_field(question: ProgramQuestion) -> forms.Field:
    """The form field for one question, of its kind. Never required here: a draft may
    be incomplete (submitting asks for the required ones), and the answer is checked by
    the service (``questions.save_answers``), as the API's are."""
    common = {"label": question.label, "help_text": question.help_text, "required": False}
    # The service says how long each kind of answer may be (the API's words too); the
    # form's own bound only stops a huge value before it is read.
    text = {"max_length": 2 * LONG_TEXT, **common}
    kind = question.kind
    if kind == QuestionKind.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **text)
        field.widget.attrs["maxlength"] = str(LONG_TEXT)
    elif kind in (QuestionKind.NUMBER, QuestionKind.MONEY):
        step = {"step": "any"} if kind == QuestionKind.NUMBER else {"step": "0.01", "min": "0"}
        field = forms.CharField(widget=forms.NumberInput(attrs=step), **text)
    elif kind == QuestionKind.DATE:
        field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **text)
    elif kind == QuestionKind.CHOICE:
        options = [("", "—"), *((option, option) for option in question.choices)]
        field = forms.CharField(widget=forms.Select(choices=options), **text)
    elif kind == QuestionKind.FILE:
        field = forms.FileField(widget=forms.ClearableFileInput, **common)
    else:
        field = forms.CharField(**text)
        field.widget.attrs["maxlength"] = str(SHORT_TEXT)
    if kind not in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        field.widget.attrs.pop("maxlength", None)  # a length means nothing to these inputs
    css = "form-select" if kind == QuestionKind.CHOICE else "form-control"
    field.widget.attrs["class"] = css
    field.question = question
    return field


class AnswerFieldsMixin:
    """For the application form: one field per question of the program, named
    ``question_<id>``, holding the application's answers."""

    def add_answer_fields(self, program: FundProgram) -> None:
        self.questions = list(program.questions.all())
        answers = {}
        if self.instance.pk:
            answers = {
                answer.question_id: answer
                for answer in self.instance.answers.select_related("attachment")
            }
        for question in self.questions:
            field = answer_form_field(question)
            answer = answers.get(question.pk)
            if answer is not None and question.kind == QuestionKind.FILE:
                field.initial = CurrentFile(answer.attachment) if answer.attachment else None
            elif answer is not None:
                field.initial = answer.value
            self.fields[answer_field(question)] = field

    def answers(self) -> dict:
        """``{question id: value}`` for the service; a file question left as it was (no
        new file, not cleared) is left out, so that its file stays."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(answer_field(question))
            if question.kind == QuestionKind.FILE:
                if value is None or isinstance(value, CurrentFile):
                    continue
                answers[question.pk] = value or None
            else:
                answers[question.pk] = value or ""
        return answers

    def application_data(self) -> dict:
        """The cleaned fields of the application itself (no answers)."""
        names = {answer_field(question) for question in self.questions}
        return {key: value for key, value in self.cleaned_data.items() if key not in names}


class InfoRequestForm(StyledForm):
    questions = forms.CharField(
        label=_("What the applicant should answer or change"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads this, edits the application and resubmits it."),
    )
