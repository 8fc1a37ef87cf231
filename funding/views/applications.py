"""Application pages for the more-information loop and the submitted versions: the
department asks for more, the applicant resubmits, and anyone who sees the application
compares two submissions. Also the answers on the application page and in the CSV."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from portal import access
from portal.forms import form_errors
from portal.limits import parse_id
from portal.tables import Column, Table
from portal.views import TransitionView, VisibleRecordMixin

from .. import services
from ..forms.questions import InfoRequestForm
from ..models import (
    ApplicationAnswer,
    ApplicationVersion,
    FundApplication,
    ProgramQuestion,
    QuestionKind,
)


def overview_context(application: FundApplication, actions: set[str]) -> dict:
    """What the application page's overview shows of questions and versions: every
    question with its answer (two queries), the department's request while it waits,
    and the form to ask for more."""
    context = {"answer_rows": services.answer_rows(application)}
    if "request_info" in actions:
        context["info_form"] = InfoRequestForm()
    return context


class ApplicationRequestInfoView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("The applicant has been asked for more information.")

    def perform(self, application):
        form = InfoRequestForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        services.application_request_info(
            actor=self.request.user, application=application, **form.cleaned_data
        )


class ApplicationResubmitView(TransitionView):
    model = FundApplication
    success_message = gettext_lazy("Resubmitted. The department will go on with its review.")

    def perform(self, application):
        services.application_resubmit(actor=self.request.user, application=application)


class ApplicationVersionsView(VisibleRecordMixin, DetailView):
    """The versions an application was submitted in, and what changed between two of
    them: ``?a=1&b=2`` (version numbers; by default the last two). Three queries,
    however many versions."""

    model = FundApplication
    queryset = FundApplication.objects.select_related("program", "applicant")
    template_name = "funding/versions.html"
    context_object_name = "application"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context, status=400 if context["choice_error"] else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        access.note_reads(self.request.user, [application])
        versions = list(
            ApplicationVersion.objects.filter(application=application)
            .select_related("submitted_by")
            .order_by("-number")
        )
        by_number = {version.number: version for version in versions}
        older = newer = None
        error = ""
        wanted = self.request.GET.get("a"), self.request.GET.get("b")
        if wanted == (None, None):
            if len(versions) >= 2:
                newer, older = versions[0], versions[1]
        else:
            numbers = [parse_id(value) for value in wanted]
            if any(number not in by_number for number in numbers) or numbers[0] == numbers[1]:
                error = _("Choose two different versions of this application.")
            else:
                older, newer = sorted((by_number[n] for n in numbers), key=lambda v: v.number)
        context.update(
            versions=versions,
            older=older,
            newer=newer,
            diff=services.versions_diff(older, newer) if older and newer else None,
            choice_error=error,
        )
        return context


# --- the applications' CSV: answers for a list of one program -----------------------


class AnswerColumn(Column):
    """One question's answers, in the CSV only, headed by the question (written by
    ``csv_cell``, so a label or answer starting like a formula stays text); numbers and
    amounts as numbers, a file by its name."""

    def __init__(self, question: ProgramQuestion):
        super().__init__(question.label, in_table=False)
        self.name = question.label
        self.question_id = question.pk
        self.kind = question.kind

    def value(self, record):
        for answer in record.answers.all():
            if answer.question_id != self.question_id:
                continue
            if self.kind == QuestionKind.FILE:
                return answer.attachment.original_name if answer.attachment else ""
            if self.kind in (QuestionKind.NUMBER, QuestionKind.MONEY) and answer.value:
                return Decimal(answer.value)
            return answer.value
        return ""


def answers_table(base: type[Table], questions: list[ProgramQuestion]) -> type[Table]:
    """``base`` with a CSV column per question after its own."""
    extra = [AnswerColumn(question) for question in questions]

    def csv_columns(cls) -> list[Column]:
        return [*base.csv_columns(), *extra]

    return type(base.__name__, (base,), {"csv_columns": classmethod(csv_columns)})


class AnswersExportMixin:
    """For the applications list: its CSV, once filtered by one program, ends with a
    column per question of that program. Only then: the programs' questions differ,
    and one program's applications answer the same ones, so each column means one
    thing. One more query per 500 rows exported."""

    def csv_response(self, queryset):
        program = self.exported_program()
        questions = list(program.questions.all()) if program is not None else []
        if questions:
            self.table_class = answers_table(self.table_class, questions)
            queryset = queryset.prefetch_related(
                Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("attachment"))
            )
        return super().csv_response(queryset)

    def exported_program(self):
        filterset = self.filterset
        if not filterset.is_bound or not filterset.form.is_valid():
            return None
        return filterset.form.cleaned_data.get("program")
