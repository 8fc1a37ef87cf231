"""The articles of association pages: list, a document with its versions, a version
with its articles (edited while a draft), the steps of a version, and the comparison of
two versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from portal.forms import form_errors
from portal.views import (
    FilteredListView,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    VisibleRecordMixin,
)

from ..filters import ArticlesFilterSet
from ..forms import ArticleForm, ArticlesForm, VersionForm
from ..models import Articles, ArticleVersion, VersionStatus
from ..services import articles as service
from ..services.rules import can_manage_body, version_actions
from ..tables import ArticlesTable


class ArticlesListView(FilteredListView):
    model = Articles
    queryset = Articles.objects.select_related("organization", "partnership")
    filterset_class = ArticlesFilterSet
    template_name = "governance/articles_list.html"
    context_object_name = "documents"
    table_class = ArticlesTable
    default_ordering = ("title", "pk")
    csv_filename = "articles.csv"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = ArticlesForm(user=self.request.user).can_create()
        return context


class ArticlesDetailView(RecordDetailView):
    model = Articles
    queryset = Articles.objects.select_related("organization", "partnership")
    template_name = "governance/articles_detail.html"
    context_object_name = "document"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        context["can_manage"] = can_manage_body(self.request.user, document)
        context["can_change"] = context["can_manage"]
        if context["tab"] == "overview":
            versions = list(document.versions.order_by("-number"))
            context["versions"] = versions
            current = next((v for v in versions if v.status == VersionStatus.IN_FORCE), None)
            context["in_force"] = current
            context["in_force_articles"] = list(current.articles.all()) if current else []
        return context


class ArticlesCreateView(ServiceCreateView):
    form_class = ArticlesForm
    template_name = "governance/articles_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ArticlesForm(user=request.user).can_create():
            raise PermissionDenied(
                _(
                    "Articles of association belong to a college or to a partnership: only "
                    "a college's admins, or the admins of a partnership's lead, draft them."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def create(self, form):
        return service.articles_create(actor=self.request.user, **form.cleaned_data)

    def success_message(self, record) -> str:
        return _("Articles started: draft their first version.")


class VersionCreateView(LoginRequiredMixin, View):
    """Draft the next version (a copy of the articles in force)."""

    def post(self, request, pk: int):
        document = get_object_or_404(Articles.objects.visible_to(request.user), pk=pk)
        version = service.version_create(actor=request.user, document=document)
        messages.success(request, _("Version %(n)d drafted.") % {"n": version.number})
        return redirect(version)


class VersionDetailView(RecordDetailView):
    model = ArticleVersion
    queryset = ArticleVersion.objects.select_related(
        "document__organization", "document__partnership", "adopted_by"
    )
    template_name = "governance/version_detail.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        can_manage = can_manage_body(self.request.user, version.document)
        context["can_manage"] = can_manage
        context["can_change"] = can_manage
        context["actions"] = version_actions(self.request.user, version)
        if context["tab"] == "overview":
            context["articles"] = list(version.articles.all())
            context["others"] = list(
                version.document.versions.exclude(pk=version.pk).order_by("-number")
            )
            if "edit" in context["actions"]:
                context["article_form"] = ArticleForm(
                    initial={
                        "number": (context["articles"][-1].number + 1) if context["articles"] else 1
                    }
                )
        return context


class VersionUpdateView(ServiceUpdateView):
    model = ArticleVersion
    form_class = VersionForm
    template_name = "governance/version_form.html"
    context_object_name = "version"
    success_message = gettext_lazy("Version saved.")

    def can_write(self, user, obj) -> bool:
        return obj.editable and can_manage_body(user, obj.document)

    def save(self, form):
        service.version_update(actor=self.request.user, version=self.object, **form.cleaned_data)


class ArticleSaveView(TransitionView):
    """Add an article to a draft, or change one (by its number)."""

    model = ArticleVersion
    success_message = gettext_lazy("Article saved.")

    def perform(self, version):
        form = ArticleForm(self.request.POST)
        if not form.is_valid():
            raise form_errors(form)
        service.article_save(actor=self.request.user, version=version, **form.cleaned_data)


class ArticleDeleteView(TransitionView):
    model = ArticleVersion
    success_message = gettext_lazy("Article removed.")

    def perform(self, version):
        form = ArticleForm(self.request.POST)
        number = form.fields["number"].clean(self.request.POST.get("number"))
        service.article_delete(actor=self.request.user, version=version, number=number)


class VersionStepView(TransitionView):
    """``propose``, ``reopen`` or ``withdraw`` a version (the body's admins)."""

    model = ArticleVersion
    verb = ""
    STEPS = {
        "propose": (service.version_propose, gettext_lazy("Proposed: a resolution can adopt it.")),
        "reopen": (service.version_reopen, gettext_lazy("Back to draft.")),
        "withdraw": (service.version_withdraw, gettext_lazy("Version withdrawn.")),
    }

    @property
    def success_message(self):
        return self.STEPS[self.verb][1]

    def perform(self, version):
        self.STEPS[self.verb][0](actor=self.request.user, version=version)


class VersionDiffView(VisibleRecordMixin, DetailView):
    """Two versions side by side: ``?against=<id>`` (by default the version in force,
    or the one before that was not withdrawn: an adopted version against the one it
    superseded, not against a draft dropped on the way)."""

    model = ArticleVersion
    template_name = "governance/version_diff.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        others = ArticleVersion.objects.visible_to(self.request.user).filter(
            document_id=version.document_id
        )
        against_id = self.request.GET.get("against", "")
        if against_id:
            try:
                against = others.get(pk=int(against_id))
            except (ValueError, OverflowError, ArticleVersion.DoesNotExist) as missing:
                raise Http404(_("No such record, or not one you can see.")) from missing
        else:
            against = (
                others.filter(status=VersionStatus.IN_FORCE).exclude(pk=version.pk).first()
                or others.filter(number__lt=version.number)
                .exclude(status=VersionStatus.WITHDRAWN)
                .order_by("-number")
                .first()
            )
        context["against"] = against
        context["others"] = list(others.exclude(pk=version.pk).order_by("-number"))
        if against is not None:
            older, newer = sorted((against, version), key=lambda v: v.number)
            context["older"], context["newer"] = older, newer
            try:
                changes = service.version_diff(older, newer)
            except ValidationError:  # pragma: no cover - same document by construction
                raise Http404 from None
            context["changed_count"] = sum(change.change != "same" for change in changes)
            context["only_changes"] = self.request.GET.get("only") == "changes"
            if context["only_changes"]:
                changes = [change for change in changes if change.change != "same"]
            context["changes"] = changes
        return context


__all__ = [
    "ArticleDeleteView",
    "ArticleSaveView",
    "ArticlesCreateView",
    "ArticlesDetailView",
    "ArticlesListView",
    "VersionCreateView",
    "VersionDetailView",
    "VersionDiffView",
    "VersionStepView",
    "VersionUpdateView",
]
