from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "contrechamp.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from contrechamp.accounts import lockout  # noqa: F401 (connects its receivers)
        from contrechamp.accounts.login import AdminLoginForm

        # The admin's log-in form shows the lockout's message too.
        admin.site.login_form = AdminLoginForm
        # Its own name, not "Django administration" (a walk).
        admin.site.site_header = _("Contrechamp administration")
        admin.site.site_title = _("Contrechamp administration")
