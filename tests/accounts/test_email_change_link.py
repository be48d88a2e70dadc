"""The e-mail change link: what it carries readably (a stranger receives it when the
new address is mistyped), that it works once, and that the server's log keeps none."""

import logging
import re
import zlib

import pytest
from django.core import signing
from django.urls import reverse

from contrechamp.accounts.services import (
    EMAIL_CHANGE_SALT,
    email_change_confirm,
    email_change_request,
)

pytestmark = pytest.mark.django_db


def _readable(token: str) -> str:
    """What anyone holding the link reads in it: `signing.dumps` signs, it does not
    encrypt (base64 of JSON, zlib-compressed when shorter)."""
    payload = token.split(":")[0]
    compressed = payload.startswith(".")
    raw = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(raw) if compressed else raw).decode()


def _link(mailoutbox) -> str:
    (mail,) = mailoutbox
    return re.search(r"https?://\S+/compte/adresse/(\S+?)/", mail.body).group(1)


def test_the_e_mail_change_link_does_not_tell_a_stranger_the_accounts_address(
    contributor, mailoutbox
):
    """Camille changes her address and mistypes it: the link goes to a stranger. The
    mail is careful to name no account ("Someone asked to use this address"), and the
    code takes care not to tell whether an address has an account. The link's token is
    signed, not encrypted (base64): it must not carry Camille's current address."""
    email_change_request(
        user=contributor, new_email="camile@exemple.org", base_url="https://contrechamp.test"
    )
    token = _link(mailoutbox)
    readable = _readable(token)
    assert contributor.email not in readable, (
        f"the link sent to a stranger carries the account's address: {readable}"
    )


def test_a_reused_e_mail_change_link_writes_no_address_into_the_log(
    client, contributor, mailoutbox, caplog
):
    """The link followed twice (the second time after it was used) answers 400, and
    Django's request logger writes its path: the settings' secrets filter masks the
    token, as the deadline feed's key, so that no address lands in the server's log."""
    email_change_request(
        user=contributor, new_email="camille.b@example.org", base_url="https://contrechamp.test"
    )
    token = _link(mailoutbox)
    url = reverse("email-confirm", args=[token])
    assert client.post(url).status_code == 302
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(url).status_code == 400
    from django.conf import settings

    from contrechamp.lib.logs import RedactFilter

    patterns = settings.LOGGING["filters"]["secrets"]["patterns"]
    written = [RedactFilter(patterns).redact(r.getMessage()) for r in caplog.records]
    leaked = [line for line in written if token in line]
    assert not leaked, f"the link's token (both addresses) is in the log: {leaked}"


def test_the_link_works_once_and_not_after_another_change(contributor, mailoutbox):
    email_change_request(
        user=contributor, new_email="camille.b@example.org", base_url="https://contrechamp.test"
    )
    email_change_request(
        user=contributor, new_email="camille.c@example.org", base_url="https://contrechamp.test"
    )
    first, second = (
        re.search(r"/compte/adresse/(\S+?)/", mail.body).group(1) for mail in mailoutbox
    )
    assert email_change_confirm(token=first).email == "camille.b@example.org"
    assert email_change_confirm(token=first) is None  # used
    assert email_change_confirm(token=second) is None  # the address changed since
    contributor.refresh_from_db()
    assert contributor.email == "camille.b@example.org"


def test_a_link_sent_before_the_address_went_as_a_digest_still_works(contributor):
    """Links already sent carried the address itself: they work until they expire."""
    token = signing.dumps(
        {"user": contributor.pk, "old": contributor.email, "new": "camille.b@example.org"},
        salt=EMAIL_CHANGE_SALT,
    )
    assert email_change_confirm(token=token).email == "camille.b@example.org"
    assert email_change_confirm(token=token) is None
