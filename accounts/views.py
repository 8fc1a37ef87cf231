from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django.views.i18n import set_language

from portal import access, cooperation
from portal.views import (
    FilteredListView,
    RecordChangeMixin,
    RecordDetailView,
    ServiceCreateView,
    ServiceUpdateView,
    TransitionView,
    safe_next,
)

from . import services
from .filters import OrganizationFilterSet
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    LoginForm,
    OrganizationEditForm,
    OrganizationForm,
    ProfileForm,
    RoleForm,
)
from .language import apply_profile_language, known_language, set_language_cookie
from .models import USERNAME_MAX_LENGTH, ApiToken, Invitation, Membership, Organization
from .tables import OrganizationTable

CURRENT_ORGANIZATION_KEY = "current_organization_id"


def current_organization(request, memberships=None) -> Organization | None:
    """The organization the user acts for in the header; the first one unless chosen."""
    if memberships is None:
        memberships = list(
            Membership.objects.filter(
                user=request.user, is_active=True, organization__is_active=True
            ).select_related("organization")
        )
    chosen = request.session.get(CURRENT_ORGANIZATION_KEY)
    for membership in memberships:
        if membership.organization_id == chosen:
            return membership.organization
    return memberships[0].organization if memberships else None


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        # ?username= fills the field in, e.g. after someone accepted an invitation.
        return {"username": self.request.GET.get("username", "")[:USERNAME_MAX_LENGTH]}

    def form_valid(self, form):
        # The language saved on the profile applies from the first page after sign-in
        # (the pages follow the language cookie, which the profile now sets).
        response = super().form_valid(form)
        apply_profile_language(self.request, response, form.get_user())
        return response


def sees_inside(user, organization: Organization) -> bool:
    """Whether the user sees more of the organization than its public profile: its
    members, cooperation records, attachments and history (members; government)."""
    return access.sees_everything(user) or organization.pk in access.organization_ids(user)


class OrganizationListView(FilteredListView):
    """The directory: every active organization, to everyone signed in."""

    model = Organization
    filterset_class = OrganizationFilterSet
    template_name = "accounts/organization_list.html"
    context_object_name = "organizations"
    table_class = OrganizationTable
    default_ordering = ("name",)
    csv_filename = "organizations.csv"

    def restrict(self, queryset):
        user = self.request.user
        members = Coalesce(
            Subquery(
                Membership.objects.filter(organization=OuterRef("pk"), is_active=True)
                .order_by()
                .values("organization")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )
        if not access.sees_everything(user):
            # Another organization's members are not the reader's to count.
            members = Case(
                When(pk__in=access.organization_ids(user), then=members),
                default=Value(None),
                output_field=IntegerField(),
            )
        return queryset.in_directory(user).annotate(member_count=members)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = services.can_create_organization(self.request.user)
        return context


class OrganizationDetailView(RecordDetailView):
    """An organization's page. Its profile (the first tab) is open to everyone signed
    in; the other tabs only to those who see the organization (members, government):
    anyone else gets 404 there, as if the tab did not exist."""

    model = Organization
    template_name = "accounts/organization_detail.html"
    context_object_name = "organization"
    tabs = ("overview", "cooperation", "members", "attachments", "history")

    def restrict(self, queryset):
        return queryset.in_directory(self.request.user)

    def get_context_data(self, **kwargs):
        organization = self.object
        user = self.request.user
        inside = sees_inside(user, organization)
        if not inside and self.request.GET.get("tab", self.tabs[0]) in self.tabs[1:]:
            raise Http404
        context = super().get_context_data(**kwargs)
        context["can_administer"] = access.can_administer(user, organization)
        context["can_change"] = context["can_administer"]
        context["sees_inside"] = inside
        # "See it as others do": the profile as someone of another organization sees it.
        context["as_others"] = self.request.GET.get("as") == "others" and inside
        if context["tab"] == "overview":
            context["figures"] = (
                [] if context["as_others"] else cooperation.figures_for(user, organization)
            )
        if not inside:
            return context
        members = organization.memberships.select_related("user").order_by(
            "-is_active", "user__username"
        )
        context["member_count"] = members.filter(is_active=True).count()
        if context["tab"] == "cooperation":
            context["cooperation"] = cooperation.sections_for(user, organization)
        if context["tab"] == "members":
            context["memberships"] = members
            context["role_form"] = RoleForm()
            if context["can_administer"]:
                context["invitations"] = organization.invitations.pending().select_related(
                    "invited_by"
                )
                context["invitation_form"] = InvitationForm()
                context["invitation_days"] = settings.INVITATION_DAYS
        return context


class OrganizationCreateView(ServiceCreateView):
    form_class = OrganizationForm
    template_name = "accounts/organization_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_create_organization(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def create(self, form):
        return services.organization_create(actor=self.request.user, **form.cleaned_data)

    def success_message(self, record) -> str:
        return _("Organization registered.")


class OrganizationUpdateView(ServiceUpdateView):
    model = Organization
    form_class = OrganizationEditForm
    template_name = "accounts/organization_form.html"
    context_object_name = "organization"

    def can_write(self, user, obj) -> bool:
        return access.can_administer(user, obj)

    def save(self, form):
        services.organization_update(
            actor=self.request.user, organization=self.object, **form.cleaned_data
        )


class OrganizationAdminMixin(RecordChangeMixin):
    """Member management: only the organization's admins."""

    def can_write(self, user, obj) -> bool:
        return access.can_administer(user, obj)


class InvitationCreateView(OrganizationAdminMixin, View):
    model = Organization

    def post(self, request, pk: int):
        organization = self.get_object()
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_create(
                    actor=request.user,
                    organization=organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return render(
                request,
                "accounts/invitation_form.html",
                {"organization": organization, "form": form},
                status=400,
            )
        messages.success(
            request,
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect(reverse("organization-detail", args=[organization.pk]) + "?tab=members")

    def get(self, request, pk: int):
        organization = self.get_object()
        return render(
            request,
            "accounts/invitation_form.html",
            {"organization": organization, "form": InvitationForm()},
        )


class InvitationRevokeView(OrganizationAdminMixin, View):
    model = Invitation

    def post(self, request, pk: int):
        invitation = self.get_object()
        services.invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, _("Invitation withdrawn."))
        return redirect(
            reverse("organization-detail", args=[invitation.organization_id]) + "?tab=members"
        )


class MembershipActionView(OrganizationAdminMixin, TransitionView):
    model = Membership

    def get_success_url(self, membership):
        return reverse("organization-detail", args=[membership.organization_id]) + "?tab=members"


class MembershipRoleView(MembershipActionView):
    def perform(self, membership):
        request = self.request
        form = RoleForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose admin, staff or viewer."))
        membership = services.membership_change_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display()},
        )


class MembershipDeactivateView(MembershipActionView):
    def perform(self, membership):
        request = self.request
        services.membership_deactivate(actor=request.user, membership=membership)
        messages.success(
            request, _("%(person)s no longer has access.") % {"person": membership.user}
        )


class MembershipReactivateView(MembershipActionView):
    def perform(self, membership):
        request = self.request
        services.membership_reactivate(actor=request.user, membership=membership)
        messages.success(request, _("%(person)s has access again.") % {"person": membership.user})


class InvitationAcceptView(View):
    """Open to anyone holding the link; the token is the credential."""

    template_name = "accounts/invitation_accept.html"

    def get(self, request, token: str):
        invitation = services.invitation_for_token(token)
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "form": AcceptInvitationForm()},
            status=200 if invitation else 410,
        )

    def post(self, request, token: str):
        invitation = services.invitation_for_token(token)
        if invitation is None:
            return render(request, self.template_name, {"invitation": None}, status=410)
        if request.user.is_authenticated:
            try:
                services.invitation_accept(token=token, user=request.user)
            except PermissionDenied as error:
                messages.error(request, str(error))
                return redirect("home")
            messages.success(
                request,
                _("You joined %(organization)s.") % {"organization": invitation.organization},
            )
            return redirect(invitation.organization)
        form = AcceptInvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_accept(
                    token=token,
                    username=form.cleaned_data["username"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error("password1", error)
            else:
                messages.success(
                    request, _("Your account is ready. Sign in with your new password.")
                )
                query = urlencode({"username": form.cleaned_data["username"]})
                return redirect(f"{reverse('login')}?{query}")
        return render(
            request, self.template_name, {"invitation": invitation, "form": form}, status=400
        )


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.setdefault("profile_form", ProfileForm(instance=user))
        context.setdefault("token_form", ApiTokenForm())
        context["tokens"] = user.api_tokens.all()
        context["memberships"] = user.memberships.filter(is_active=True).select_related(
            "organization"
        )
        fresh = self.request.session.pop(NEW_TOKEN_KEY, None)
        if fresh:
            context["new_token"] = next((t for t in context["tokens"] if t.pk == fresh["id"]), None)
            context["new_key"] = fresh["key"]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "no-store"  # the page may carry a new token's key
        return response

    def post(self, request):
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Profile saved."))
            response = redirect("profile")
            set_language_cookie(response, form.cleaned_data["language"])
            return response
        return self.render_to_response(self.get_context_data(profile_form=form), status=400)


NEW_TOKEN_KEY = "new_api_token"


class ApiTokenCreateView(LoginRequiredMixin, View):
    """Makes a token, then redirects to the profile, which shows its key once: the key
    waits in the session only until that next page pops it, so reloading shows it no
    more and makes no second token."""

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            view = ProfileView(request=request, kwargs={})
            return render(
                request,
                ProfileView.template_name,
                view.get_context_data(token_form=form),
                status=400,
            )
        token, key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        request.session[NEW_TOKEN_KEY] = {"id": token.pk, "key": key}
        return redirect("profile")


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("profile")


class OrganizationSwitchView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            organization_id = int(request.POST.get("organization", ""))
        except ValueError:
            organization_id = None
        if organization_id in access.organization_ids(request.user):
            request.session[CURRENT_ORGANIZATION_KEY] = organization_id
        return redirect(safe_next(request, reverse("home")))


def language_switch(request):
    """Django's set_language, remembering a signed-in person's choice on their profile:
    their next sign-in, notifications and emails follow it."""
    language = known_language(request.POST.get("language"))
    signed_in = request.user.is_authenticated
    if request.method == "POST" and signed_in and language and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return set_language(request)
