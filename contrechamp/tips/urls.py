from django.urls import URLPattern, URLResolver, path

from contrechamp.tips import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.tip_create_view, name="tip-create"),
    path("suivi/", views.tip_follow, name="tip-follow"),
    path("file/", views.tip_queue, name="tip-queue"),
    path("file/<int:tip_id>/repondre/", views.tip_reply_view, name="tip-reply"),
    path("file/<int:tip_id>/statut/", views.tip_status_view, name="tip-status"),
    path("file/<int:tip_id>/dispositif/", views.tip_deployment_view, name="tip-deployment"),
]
