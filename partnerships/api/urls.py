from . import views

routes = [
    ("partnerships", views.PartnershipViewSet, "partnership"),
    ("agreements", views.AgreementViewSet, "agreement"),
    ("clauses", views.ClauseViewSet, "clause"),
]

urlpatterns: list = []
