from . import assessments, certifications, demand, entrustments, memberships

routes = [
    *memberships.routes,
    *entrustments.routes,
    *demand.routes,
    *assessments.routes,
    *certifications.routes,
]

urlpatterns: list = []
