from django.urls import path

from . import views

routes = [
    ("organizations", views.OrganizationViewSet, "organization"),
    ("memberships", views.MembershipViewSet, "membership"),
    ("auth/tokens", views.ApiTokenViewSet, "api-token"),
]

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
]
