from django.urls import URLPattern, URLResolver, path

from contrechamp.accounts import twofactor_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.twofactor_home, name="twofactor"),
    path("codes/", views.recovery_codes_renew, name="twofactor-codes"),
    path("reinitialiser/", views.twofactor_reset, name="twofactor-reset"),
]
