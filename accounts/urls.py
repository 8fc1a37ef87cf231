from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/tokens/", views.ApiTokenCreateView.as_view(), name="token-create"),
    path(
        "profile/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token-revoke"
    ),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path(
        "organizations/switch/", views.OrganizationSwitchView.as_view(), name="organization-switch"
    ),
    path(
        "organizations/<int:pk>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        views.OrganizationUpdateView.as_view(),
        name="organization-edit",
    ),
    path(
        "organizations/<int:pk>/invite/",
        views.InvitationCreateView.as_view(),
        name="invitation-create",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"
    ),
    path("memberships/<int:pk>/role/", views.MembershipRoleView.as_view(), name="membership-role"),
    path(
        "memberships/<int:pk>/deactivate/",
        views.MembershipDeactivateView.as_view(),
        name="membership-deactivate",
    ),
    path(
        "memberships/<int:pk>/reactivate/",
        views.MembershipReactivateView.as_view(),
        name="membership-reactivate",
    ),
    path("i18n/setlang/", views.language_switch, name="set-language"),
]
