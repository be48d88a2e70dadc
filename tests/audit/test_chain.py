"""Tamper evidence: every entry is chained to the one before it with a keyed hash, and
`contrechamp audit verify` names the first broken link."""

import contextvars
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from contrechamp.audit.models import AuditEntry, AuditHead, AuditLink
from contrechamp.audit.services import audit_record, audit_seal, audit_verify
from tests.audit.conftest import triggers_dropped


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def entries(db, django_capture_on_commit_callbacks):
    # As after each commit: every entry chained at once.
    with django_capture_on_commit_callbacks(execute=True):
        made = [audit_record("changed", details={"fields": [f"f{i}"]}) for i in range(5)]
    assert not AuditEntry.objects.filter(link__isnull=True).exists()
    return made


def _position(entry) -> int:
    return AuditLink.objects.get(entry_id=entry.pk).position


def test_an_untouched_log_verifies(entries):
    assert audit_verify().ok
    total = AuditEntry.objects.count()
    assert f"intact: {total} entries checked" in _verify()


def test_links_follow_each_other(entries):
    links = [AuditLink.objects.get(entry_id=e.pk) for e in entries]
    for before, after in zip(links, links[1:], strict=False):
        assert after.prev_hash == before.hash and after.position == before.position + 1
    head = AuditHead.objects.get(pk=1)
    assert (head.position, head.hash) == (links[-1].position, links[-1].hash)


def test_an_entry_edited_behind_the_apps_back_is_caught(entries):
    target = entries[2]
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET details = %s WHERE id = %s",
            ['{"fields": ["nothing to see"]}', target.pk],
        )
    result = audit_verify()
    assert (result.broken_at, result.entry_id) == (_position(target), target.pk)
    assert result.reason == "the entry was changed"
    with pytest.raises(CommandError, match=f"link {_position(target)} \\(entry {target.pk}\\)"):
        _verify()


def test_an_actor_rewritten_in_the_log_is_caught(entries, contributor):
    target = entries[1]
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET actor_id = %s WHERE id = %s", [contributor.pk, target.pk]
        )
    assert audit_verify().entry_id == target.pk


def test_a_link_recomputed_without_the_key_is_caught(entries):
    # The attacker edits an entry and recomputes its link with a plain hash: without
    # SECRET_KEY the chain cannot be made valid again.
    import hashlib

    from contrechamp.audit.services import entry_content

    target = entries[3]
    link = AuditLink.objects.get(entry_id=target.pk)
    forged = hashlib.sha256(f"{link.prev_hash}\n{entry_content(target)}".encode()).hexdigest()
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlink SET hash = %s WHERE id = %s", [forged, link.pk])
    assert audit_verify().broken_at == link.position


def test_an_entry_deleted_from_the_middle_is_caught(entries):
    target = entries[1]
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    result = audit_verify()
    assert result.broken_at == _position(target) and result.reason == "its entry is missing"


def test_an_entry_deleted_with_its_link_is_caught(entries):
    target = entries[2]
    position = _position(target)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditlink WHERE entry_id = %s", [target.pk])
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    result = audit_verify()
    assert result.broken_at == position and "missing" in result.reason


def test_the_last_entries_cut_off_are_caught(entries):
    last = entries[-1]
    position = _position(last)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditlink WHERE entry_id = %s", [last.pk])
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    result = audit_verify()
    assert result.broken_at == position and "after the last" in result.reason


def test_entries_left_unchained_by_a_crash_are_chained_by_verify(db):
    # Written, committed, then the process died before chaining them (PostgreSQL chains
    # after the commit): entries without their link.
    from django.utils import timezone

    written = []
    for _ in range(3):
        entry = AuditEntry(when=timezone.now(), action="changed", actor_system="crash")
        entry.save()
        written.append(entry)
    assert not AuditLink.objects.filter(entry_id__in=[e.pk for e in written]).exists()
    output = _verify()
    assert "Chained 3 entries" in output and "intact" in output
    assert AuditLink.objects.filter(entry_id__in=[e.pk for e in written]).count() == 3


def test_sealing_twice_chains_once(entries):
    before = AuditLink.objects.count()
    assert audit_seal(ids=[e.pk for e in entries]) == 0
    assert audit_seal() == 0
    assert AuditLink.objects.count() == before


def test_the_periodic_job_chains_what_a_crash_left(db, settings):
    from django.utils import timezone

    from contrechamp.audit.tasks import seal

    assert settings.PERIODIC_JOBS["audit-seal"]["task"] == "contrechamp.audit.tasks.seal"
    entry = AuditEntry(when=timezone.now(), action="changed", actor_system="crash")
    entry.save()
    assert seal.call() == 1
    assert AuditLink.objects.filter(entry_id=entry.pk).exists() and audit_verify().ok


def _unsealed(entries) -> int:
    return AuditEntry.objects.filter(pk__in=[e.pk for e in entries], link__isnull=True).count()


def test_entries_recorded_in_a_batch_are_chained_together_when_it_ends(
    db, django_capture_on_commit_callbacks
):
    from contrechamp.audit.services import audit_seals_batched

    with django_capture_on_commit_callbacks(execute=True):
        before = audit_record("changed", details={"fields": ["before"]})
    # Each entry is committed with its change (here the test's transaction: the chaining
    # then waits for its commit on PostgreSQL, run by the capture).
    with django_capture_on_commit_callbacks(execute=True), audit_seals_batched():
        made = [audit_record("changed", details={"fields": [f"f{i}"]}) for i in range(4)]
        assert _unsealed(made) == 4
        # Recorded meanwhile outside the batch (another request, its own context), and
        # chained after its commit: before the batch's entries written earlier.
        outside = contextvars.Context().run(audit_record, "changed", details={"fields": ["x"]})
        audit_seal(ids=[outside.pk])
        assert _position(outside) == _position(before) + 1
        with audit_seals_batched():  # nested: chained with the outer block
            made.append(audit_record("changed", details={"fields": ["nested"]}))
        assert _unsealed(made) == 5
    assert _unsealed([before, *made]) == 0
    positions = [_position(e) for e in made]
    assert positions == list(range(_position(outside) + 1, _position(outside) + 6))
    assert audit_verify().ok


def test_a_batch_stopped_by_an_error_chains_what_was_committed_and_nothing_rolled_back(
    db, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from contrechamp.audit.services import audit_seals_batched

    kept = []
    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
        audit_seals_batched(),
    ):
        kept.append(audit_record("changed", details={"fields": ["kept"]}))
        with transaction.atomic():
            lost = audit_record("changed", details={"fields": ["rolled back"]})
            raise RuntimeError("the change failed")
    assert _unsealed(kept) == 0
    assert not AuditEntry.objects.filter(pk=lost.pk).exists()
    assert not AuditLink.objects.filter(entry_id=lost.pk).exists()
    assert audit_verify().ok


def test_a_batch_whose_process_died_is_chained_by_the_periodic_job(db):
    from contrechamp.audit import services
    from contrechamp.audit.tasks import seal

    # The process dies inside the block: its end (the chaining) never runs.
    token = services._batched.set([])
    try:
        made = [audit_record("changed", details={"fields": [f"f{i}"]}) for i in range(3)]
    finally:
        services._batched.reset(token)
    assert _unsealed(made) == 3
    assert audit_verify().unsealed == 3
    assert seal.call() == 3
    assert _unsealed(made) == 0 and audit_verify().ok


def test_a_batch_whose_chaining_fails_leaves_its_entries_to_the_hourly_seal(
    db, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.db import OperationalError

    from contrechamp.audit import services
    from contrechamp.audit.tasks import seal

    def deadlock(ids=None):
        raise OperationalError("deadlock detected")

    with django_capture_on_commit_callbacks(execute=True), services.audit_seals_batched():
        made = [audit_record("changed", details={"fields": [f"f{i}"]}) for i in range(3)]
        monkeypatch.setattr(services, "audit_seal", deadlock)
    # The block ended without raising: what was committed stays, and says so in the log.
    assert _unsealed(made) == 3
    assert "3 entries left for the hourly seal" in caplog.text
    monkeypatch.undo()
    assert seal.call() == 3 and audit_verify().ok


def test_an_error_inside_a_batch_in_a_transaction_is_the_error_raised(db):
    from django.db import IntegrityError, transaction

    from contrechamp.audit.models import AuditHead
    from contrechamp.audit.services import audit_seals_batched

    AuditHead.objects.get_or_create(pk=1)
    with pytest.raises(IntegrityError), transaction.atomic(), audit_seals_batched():
        audit_record("changed", details={"fields": ["x"]})
        AuditHead.objects.create(pk=1)  # the change fails: not a chaining error instead
