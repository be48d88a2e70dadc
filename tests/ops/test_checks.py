"""A public site whose e-mail backend sends nothing says so: sign-up confirmations and
invitations would otherwise only reach the log, and nobody could confirm an account."""

from io import StringIO

import pytest
from django.core.management import call_command

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _check_deploy() -> str:
    out, err = StringIO(), StringIO()
    call_command("check", "--deploy", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("backend", [CONSOLE, "django.core.mail.backends.dummy.EmailBackend"])
def test_it_warns_on_check_deploy_when_e_mails_go_nowhere(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    output = _check_deploy()
    assert "contrechamp.W001" in output
    assert "sign-up confirmations" in output and "EMAIL_HOST" in output


def test_it_says_nothing_once_smtp_is_set_or_in_debug(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    assert "contrechamp.W001" not in _check_deploy()
    settings.DEBUG = True
    settings.EMAIL_BACKEND = CONSOLE
    assert "contrechamp.W001" not in _check_deploy()


def test_the_web_server_warns_at_start_on_a_public_address_only(settings):
    from contrechamp.ops.checks import start_warnings

    settings.DEBUG = False
    settings.EMAIL_BACKEND = CONSOLE
    settings.SITE_URL = "https://observatoire.example.org"
    (warning,) = start_warnings()
    assert "only written to the log" in warning
    # `make run` on this machine prints its e-mails on purpose: nothing to say.
    for local in ("http://127.0.0.1:8000", "http://localhost:8799", "http://[::1]:8000"):
        settings.SITE_URL = local
        assert start_warnings() == []
    settings.SITE_URL = "https://observatoire.example.org"
    settings.EMAIL_BACKEND = SMTP
    assert start_warnings() == []
