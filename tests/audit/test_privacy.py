"""What the log keeps about people: an account's number, never its e-mail, password or
typed identifier; entries survive the account; anonymous tips leave no actor nor origin."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from contrechamp.audit import context
from contrechamp.audit.models import AuditEntry
from contrechamp.audit.services import audit_seal, audit_verify
from contrechamp.tips.models import Tip
from tests.audit.conftest import acting_as
from tests.conftest import PASSWORD

ADDRESS = "203.0.113.77"


def _everything() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str)


def test_deleting_an_account_leaves_its_entries_intact(contributor, administrator, client):
    with acting_as(contributor):
        contributor.profile.public_name = "Camille du collectif"
        contributor.profile.save()
    mine = list(AuditEntry.objects.filter(actor_id=contributor.pk).values())
    assert mine
    audit_seal()
    user_id = contributor.pk
    User.objects.get(pk=user_id).delete()
    assert list(AuditEntry.objects.filter(actor_id=user_id).values()) == mine
    assert AuditEntry.objects.filter(action="deleted", target_model="user", target_id=str(user_id))
    audit_seal()
    assert audit_verify().ok
    client.force_login(administrator)
    page = client.get(reverse("audit-log"), {"actor": user_id}).content.decode()
    assert "former contributor" in page or "ancien contributeur" in page
    assert "Camille du collectif" not in page


def test_a_failed_log_in_keeps_neither_the_password_nor_the_identifier(client, contributor):
    client.post(
        reverse("login"),
        {"username": "camille@example.org", "password": "wrong-guess-4521"},
        REMOTE_ADDR=ADDRESS,
    )
    failed = AuditEntry.objects.filter(action="login_failed").latest("id")
    assert failed.actor_id is None and failed.origin == context.origin_of(ADDRESS)
    assert set(failed.details) <= {"identifier"}
    text = _everything()
    for secret in ("camille", "wrong-guess", PASSWORD, ADDRESS):
        assert secret not in text


def test_a_log_in_is_recorded_with_its_actor(client, contributor):
    client.post(
        reverse("login"), {"username": "camille", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    entry = AuditEntry.objects.filter(action="logged_in").latest("id")
    assert entry.actor_id == contributor.pk and entry.origin == context.origin_of(ADDRESS)
    # last_login changed too: the log-in entry says it, not a second "changed" one.
    assert not AuditEntry.objects.filter(action="changed", target_model="user", id__gt=entry.id)


def test_a_lockout_is_recorded(contributor):
    from contrechamp.accounts.signals import login_locked

    login_locked.send(sender=None, request=None, scope="account", user=contributor, seconds=900)
    entry = AuditEntry.objects.filter(action="locked_out").latest("id")
    assert entry.target_id == str(contributor.pk) and entry.details == {"scope": "account"}


def test_accounts_are_never_labelled_by_their_name_or_address(contributor):
    text = json.dumps(
        list(AuditEntry.objects.filter(target_app__in=["auth", "accounts"]).values()), default=str
    )
    assert "camille" not in text


@pytest.fixture
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"


def test_an_anonymous_tip_leaves_no_actor_nor_origin(library, contributor_client, contributor):
    from tests.tips import samples
    from tests.tips.helpers import send

    # Sent by a person who happens to be logged in, from a known network.
    response, code = send(
        contributor_client,
        files=[("rapport.pdf", samples.pdf_with_metadata(), "application/pdf")],
        REMOTE_ADDR=ADDRESS,
    )
    assert code, response.content[:500]
    tip = Tip.objects.latest("id")
    documents = [str(pk) for pk in tip.documents.values_list("pk", flat=True)]
    assert documents
    entries = list(
        AuditEntry.objects.filter(target_app="tips")
        | AuditEntry.objects.filter(target_app="documents", target_id__in=documents)
    )
    assert any(e.target_model == "tip" and e.action == "created" for e in entries)
    for entry in entries:
        assert (entry.actor_id, entry.origin) == (None, ""), entry
        # The day only, as the tip keeps: no time to match with other traces.
        local = timezone.localtime(entry.when)
        assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    # Nothing written during that request carries the sender's network.
    assert not AuditEntry.objects.filter(origin=context.origin_of(ADDRESS)).exists()


def test_a_tip_model_written_elsewhere_gets_no_origin(db, contributor):
    # Outside the tip form (a task, a command, another page): the tips app's rows still
    # get no origin, and no actor but a reviewer.
    with acting_as(contributor, ADDRESS):
        tip = Tip.objects.create(text="Des caméras", received_on="2026-12-01", receipt_hash="x")
    entry = AuditEntry.objects.get(target_app="tips", target_id=str(tip.pk), action="created")
    assert (entry.actor_id, entry.origin) == (None, "")


def test_a_reviewers_reply_to_a_tip_is_theirs(db, reviewer, client):
    tip = Tip.objects.create(text="Des caméras", received_on="2026-12-01", receipt_hash="y")
    client.force_login(reviewer)
    client.post(
        reverse("tip-reply", args=[tip.id]), {"text": "Merci, nous regardons."}, REMOTE_ADDR=ADDRESS
    )
    reply = AuditEntry.objects.filter(target_app="tips", target_model="tipmessage").latest("id")
    assert reply.actor_id == reviewer.pk and reply.origin == ""


def test_the_anonymous_paths_are_the_tip_forms_and_not_the_reviewers_queue():
    assert context.is_anonymous_path(reverse("tip-create"))
    assert context.is_anonymous_path(reverse("tip-follow"))
    assert not context.is_anonymous_path(reverse("tip-queue"))
    assert not context.is_anonymous_path(reverse("tip-reply", args=[1]))
    assert not context.is_anonymous_path(reverse("document-upload"))
