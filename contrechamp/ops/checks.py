"""Checks of a site's configuration that Django's own do not make, run by `contrechamp
check --deploy` (and, for the one a public site cannot do without, at the web server's
start)."""

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

# Backends that send nothing: what they are given is printed, or dropped.
UNSENT = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

EMAIL_UNSENT = Warning(
    "EMAIL_BACKEND sends no e-mail: sign-up confirmations, password resets, group"
    " invitations, reminders and alerts are only written to the log.",
    hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST,"
    " EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL"
    " (docs/configuration.md, E-mail).",
    id="contrechamp.W001",
)


def email_unsent() -> bool:
    """Whether this site, debug pages off, would send its e-mails nowhere."""
    return not settings.DEBUG and settings.EMAIL_BACKEND in UNSENT


def public_site() -> bool:
    """Whether SITE_URL names another machine than this one (a site people reach)."""
    return (urlparse(settings.SITE_URL).hostname or "") not in LOCAL_HOSTS


@register(Tags.security, deploy=True)
def email_backend(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [EMAIL_UNSENT] if email_unsent() else []


def start_warnings() -> list[str]:
    """What the web server says as it starts: on a public site only, since a local run
    (`make run`) prints its e-mails on purpose."""
    if email_unsent() and public_site():
        return [f"{EMAIL_UNSENT.msg} {EMAIL_UNSENT.hint}"]
    return []
