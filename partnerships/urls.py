from django.urls import path

from . import views

urlpatterns = [
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership-list"),
    path("partnerships/new/", views.PartnershipCreateView.as_view(), name="partnership-create"),
    path(
        "partnerships/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership-detail"
    ),
    path(
        "partnerships/<int:pk>/edit/",
        views.PartnershipUpdateView.as_view(),
        name="partnership-edit",
    ),
    path(
        "partnerships/<int:pk>/members/",
        views.PartnershipMemberAddView.as_view(),
        name="partnership-member-add",
    ),
    path(
        "partnerships/<int:pk>/status/",
        views.PartnershipStatusView.as_view(),
        name="partnership-status",
    ),
    path(
        "partnership-members/<int:pk>/role/",
        views.PartnershipMemberRoleView.as_view(),
        name="partnership-member-role",
    ),
    path(
        "partnership-members/<int:pk>/remove/",
        views.PartnershipMemberRemoveView.as_view(),
        name="partnership-member-remove",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path(
        "agreements/<int:pk>/edit/", views.AgreementTermsUpdateView.as_view(), name="agreement-edit"
    ),
    path("agreements/<int:pk>/parties/", views.PartyAddView.as_view(), name="agreement-party-add"),
    path(
        "agreements/<int:pk>/clauses/",
        views.ClauseCreateView.as_view(),
        name="agreement-clause-add",
    ),
    path("agreements/<int:pk>/send/", views.AgreementSendView.as_view(), name="agreement-send"),
    path("agreements/<int:pk>/sign/", views.AgreementSignView.as_view(), name="agreement-sign"),
    path(
        "agreements/<int:pk>/terminate/",
        views.AgreementTerminateView.as_view(),
        name="agreement-terminate",
    ),
    path("agreements/<int:pk>/renew/", views.AgreementRenewView.as_view(), name="agreement-renew"),
    path("agreements/<int:pk>/print/", views.AgreementPrintView.as_view(), name="agreement-print"),
    path(
        "agreement-parties/<int:pk>/role/",
        views.PartyRoleView.as_view(),
        name="agreement-party-role",
    ),
    path(
        "agreement-parties/<int:pk>/remove/",
        views.PartyRemoveView.as_view(),
        name="agreement-party-remove",
    ),
    path("clauses/", views.ClauseListView.as_view(), name="clause-list"),
    path("clauses/<int:pk>/edit/", views.ClauseUpdateView.as_view(), name="clause-edit"),
    path("clauses/<int:pk>/delete/", views.ClauseDeleteView.as_view(), name="clause-delete"),
    path("clauses/<int:pk>/fulfil/", views.ClauseFulfilView.as_view(), name="clause-fulfil"),
    path("clauses/<int:pk>/breach/", views.ClauseBreachView.as_view(), name="clause-breach"),
    path("clauses/<int:pk>/waive/", views.ClauseWaiveView.as_view(), name="clause-waive"),
    path("clauses/<int:pk>/confirm/", views.ClauseConfirmView.as_view(), name="clause-confirm"),
    path("clauses/<int:pk>/dispute/", views.ClauseDisputeView.as_view(), name="clause-dispute"),
    path("obligations/", views.ObligationListView.as_view(), name="obligation-list"),
]
