from . import interests, needs

routes = [*needs.routes, *interests.routes]

urlpatterns: list = []
