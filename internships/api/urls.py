from . import nominations, secondments, views

routes = [
    ("practice-bases", views.PracticeBaseViewSet, "practice-base"),
    ("placements", views.PlacementViewSet, "placement"),
    ("students", views.StudentViewSet, "student"),
    ("nominations", nominations.NominationViewSet, "nomination"),
    ("secondments", secondments.SecondmentViewSet, "secondment"),
]

urlpatterns: list = []
