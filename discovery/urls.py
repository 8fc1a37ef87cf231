from .views import needs

urlpatterns = [*needs.urlpatterns]
