from .views import assessments, certifications, demand, entrustments, memberships

urlpatterns = [
    *memberships.urlpatterns,
    *entrustments.urlpatterns,
    *demand.urlpatterns,
    *assessments.urlpatterns,
    *certifications.urlpatterns,
]
