"""/journal/ read by an administrator in either language: a tip's entry keeps the day only
and must not read as midnight; every action has its words; details read as labelled
fields, not as the keys the log stores."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contrechamp.audit.models import ACTIONS, AuditEntry
from contrechamp.registry.proposals import camera_count_propose, proposal_accept
from contrechamp.tips.models import Tip

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _rows(client, language: str, **query) -> list[str]:
    html = client.get(reverse("audit-log"), query, HTTP_ACCEPT_LANGUAGE=language).content
    body = html.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_a_tips_entry_shows_its_day_and_no_midnight(admin_client):
    Tip.objects.create(text="Des caméras", received_on="2026-12-01", receipt_hash="z")
    entry = AuditEntry.objects.filter(target_app="tips").latest("id")
    day = timezone.localtime(entry.when)
    assert (day.hour, day.minute) == (0, 0)  # kept so, on purpose
    for language, written, note in (
        ("fr", day.strftime("%d/%m/%Y"), "(jour seulement)"),
        ("en", f"{day.day} {day.strftime('%b %Y')}", "(day only)"),
    ):
        (row,) = [r for r in _rows(admin_client, language, model="tips.tip")]
        when = row.split("</td>", 1)[0]
        assert written in when and note in when, when
        assert "00:00" not in when and "midnight" not in when, when
        assert f'datetime="{day:%Y-%m-%d}"' in when


def test_an_entry_at_a_real_time_keeps_its_time(admin_client, contributor):
    contributor.profile.public_name = "Camille"
    contributor.profile.save()
    entry = AuditEntry.objects.filter(target_app="accounts").latest("id")
    when = _rows(admin_client, "en", model="accounts.profile")[0].split("</td>", 1)[0]
    assert timezone.localtime(entry.when).strftime("%H:%M") in when
    assert "day only" not in when


def test_every_action_the_code_writes_is_named_in_french():
    """The action "proposal accepted" was shown untranslated, in the table and its filter:
    every action any module records has an entry in ACTIONS, translated."""
    from django.utils import translation

    written = set()
    for path in (ROOT / "contrechamp").rglob("*.py"):
        written |= set(re.findall(r'audit_record\(\s*"([a-z_]+)"', path.read_text()))
    assert {"proposal_accepted", "proposal_rejected", "created"} <= written
    for action in written | set(ACTIONS):
        assert action in ACTIONS, action
        with translation.override("fr"):
            french = str(ACTIONS[action])
        with translation.override("en"):
            english = str(ACTIONS[action])
        assert french != english, action


def test_a_proposal_decision_reads_as_labelled_fields(admin_client, newcomer, reviewer):
    newcomer.profile.public_name = "Noa des Remparts"
    newcomer.profile.save()
    record, proposal = camera_count_propose(
        author=newcomer,
        commune_code="34003",  # Agde
        count=42,
        date="2024",
        perimeter="Ville",
        citations=[{"source": {"title": "Midi Libre", "url": "https://example.org/agde"}}],
    )
    proposal_accept(proposal=proposal, reviewer=reviewer)
    for language, action, words in (
        (
            "fr",
            "proposition acceptée",
            [
                f"Objet : comptage de caméras #{record.id}",
                "Proposé : création",
                "Proposé par : Noa des Remparts",
                "Modifié par le relecteur ou la relectrice : non",
            ],
        ),
        (
            "en",
            "proposal accepted",
            [
                f"Object: camera count #{record.id}",
                "Proposed: creation",
                "Proposed by: Noa des Remparts",
                "Edited by the reviewer: no",
            ],
        ),
    ):
        html = admin_client.get(reverse("audit-log"), HTTP_ACCEPT_LANGUAGE=language)
        page = html.content.decode().replace("\u00a0", " ")
        select = page.split('id="f-action"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="proposal_accepted">{action}</option>' in select
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if action in r)
        for expected in words:
            assert expected in row, (language, expected, row)
        for raw in ("target:", "object_id", "author_id", "edited:", "False", "camera_count"):
            assert raw not in row, (language, raw)


def test_a_role_change_reads_in_the_language_of_the_page(admin_client, contributor):
    contributor.profile.role = "reviewer"
    contributor.profile.save()
    (row,) = _rows(admin_client, "fr", action="role_changed")
    assert "Rôle : contributeur·rice → relecteur·rice" in row.replace("\u00a0", " "), row
    (row,) = _rows(admin_client, "en", action="role_changed")
    assert "Role: contributor → reviewer" in row and "Fields: role" in row
