from . import views

routes = [
    ("practice-bases", views.PracticeBaseViewSet, "practice-base"),
    ("placements", views.PlacementViewSet, "placement"),
    ("students", views.StudentViewSet, "student"),
]

urlpatterns: list = []
