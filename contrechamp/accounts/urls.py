from django.urls import include, path

from contrechamp.accounts import views
from contrechamp.accounts.login import login_view
from contrechamp.accounts.login import login_view

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    # Before the auth URLs: this view tells a locked-out person when to try again.
    path("login/", login_view, name="login"),
    # Before the auth URLs: this view tells a locked-out person when to try again.
    path("login/", login_view, name="login"),
    path("deux-facteurs/", include("contrechamp.accounts.twofactor_urls")),
    path("", include("django.contrib.auth.urls")),
]
