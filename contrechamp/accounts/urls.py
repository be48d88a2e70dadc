from django.urls import include, path

from contrechamp.accounts import views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("deux-facteurs/", include("contrechamp.accounts.twofactor_urls")),
    path("", include("django.contrib.auth.urls")),
]
