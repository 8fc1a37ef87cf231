from . import views

routes = [
    ("practice-bases", views.PracticeBaseViewSet, "practice-base"),
    ("placements", views.PlacementViewSet, "placement"),
]

urlpatterns: list = []
