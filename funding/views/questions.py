"""Pages for a program's questions: added on the program's page, edited on their own,
removed, while the program is a draft (its department's admins and staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from portal.forms import form_errors, known_fields
from portal.views import RecordChangeMixin, TransitionView
from portal.workflow import InvalidTransition

from .. import services
from ..forms.questions import QuestionForm
from ..models import FundProgram, ProgramQuestion


def questions_url(program_id: int) -> str:
    return FundProgram(pk=program_id).get_absolute_url() + "#questions"


class QuestionAddView(TransitionView):
    model = FundProgram

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj)

    def perform(self, program):
        form = QuestionForm(self.request.POST, prefix="question")
        if not form.is_valid():
            raise form_errors(form)
        services.question_add(actor=self.request.user, program=program, **form.service_data())
        messages.success(self.request, _("Question added."))

    def get_success_url(self, program):
        return questions_url(program.pk)


class QuestionUpdateView(RecordChangeMixin, FormView):
    """Edit one question; the form's errors and the service's stay next to the fields."""

    model = ProgramQuestion
    queryset = ProgramQuestion.objects.select_related("program")
    form_class = QuestionForm
    template_name = "funding/question_form.html"

    def can_write(self, user, obj) -> bool:
        return services.can_manage_program(user, obj.program)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return QuestionForm.initial_for(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.object, **kwargs)

    def form_valid(self, form):
        try:
            services.question_update(
                actor=self.request.user, question=self.object, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, known_fields(form, error))
            return self.form_invalid(form)
        except InvalidTransition as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, _("Question saved."))
        return redirect(questions_url(self.object.program_id))


class QuestionRemoveView(TransitionView):
    model = ProgramQuestion

    def perform(self, question):
        services.question_remove(actor=self.request.user, question=question)

    def get_success_url(self, question):
        return questions_url(question.program_id)
