from django.contrib.auth import views as auth_views
from django.urls import include, path

from contrechamp.accounts import views
from contrechamp.accounts.login import login_view

urlpatterns = [
    path("", views.account, name="account"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoye/", views.signup_sent, name="signup-sent"),
    path("confirmer/<uidb64>/<token>/", views.signup_confirm, name="signup-confirm"),
    path("adresse/<str:token>/", views.email_confirm, name="email-confirm"),
    path("mes-donnees.json", views.account_export, name="account-export"),
    path("password_reset/", views.password_reset, name="password_reset"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    # Before the auth URLs: this view tells a locked-out person when to try again.
    path("login/", login_view, name="login"),
    path("deux-facteurs/", include("contrechamp.accounts.twofactor_urls")),
    # The rest of Django's auth views, listed rather than included so that no address is
    # answered twice (password_reset and reset/ are ours above).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Its old password counted as log-in's (see lockout.password_confirm).
    path("password_change/", views.password_change, name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
