from django.urls import URLPattern, URLResolver, path

from contrechamp.watch import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="watch-queue"),
    path("decider/", views.decide, name="watch-decide"),
    path("<int:record_id>/creer/", views.accept, name="watch-accept"),
    path("<int:record_id>/rattacher/", views.attach, name="watch-attach"),
]
