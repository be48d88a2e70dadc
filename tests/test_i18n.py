"""The interface is French first with a complete English side: every message of the
sources is in the French catalogue and translated, the catalogue holds nothing the
sources no longer say, and the compiled catalogue is the one built from it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import have, require

PACKAGE = Path(__file__).resolve().parents[1] / "contrechamp"
LOCALE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
# What `make messages` extracts from: Python files and templates, not the static files.
SOURCES = ("*.py", "*.html", "*.txt")


@dataclass
class Entry:
    msgctxt: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt, self.msgid)


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def parse(po: str) -> list[Entry]:
    """The entries of a gettext catalogue (the header, msgid "", left out)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in po.splitlines() + [""]:
        obsolete = raw.startswith("#~")
        line = raw[2:].strip() if obsolete else raw.strip()
        if not line:
            if entry.msgid or entry.msgstr or entry.obsolete:
                if entry.msgid:
                    entries.append(entry)
                entry, target = Entry(), None
            continue
        if line.startswith("#,") and not obsolete:
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#") and not obsolete:
            continue
        entry.obsolete |= obsolete
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            target, value = keyword, _unquote(rest)
            setattr(entry, keyword, "")
        elif keyword.startswith("msgstr"):
            target, value = "msgstr", _unquote(rest)
            entry.msgstr.append("")
        else:
            continue
        if target == "msgstr":
            entry.msgstr[-1] += value
        elif target:
            setattr(entry, target, getattr(entry, target) + value)
    return entries


def _catalogue() -> list[Entry]:
    return parse((LOCALE / "django.po").read_text(encoding="utf-8"))


def _extracted(tmp_path: Path, settings, monkeypatch) -> list[Entry]:
    """The catalogue `make messages` would write, built in a copy of the sources: the
    real locale folder is never written to."""
    copy = tmp_path / "contrechamp"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=lambda folder, names: (
            [
                name
                for name in names
                if not (Path(folder, name).is_dir() or any(Path(name).match(p) for p in SOURCES))
                and name != "django.po"
            ]
            + (["static", "__pycache__", "data"] if Path(folder) == PACKAGE else ["__pycache__"])
        ),
    )
    # makemessages writes into settings.LOCALE_PATHS[0] when a file's own folder has no
    # locale folder: pointed at the copy, so nothing of the checkout changes.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["fr"],
        no_obsolete=True,
        no_location=True,
        ignore_patterns=["static/*"],
        verbosity=0,
    )
    return parse((copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text("utf-8"))


def test_every_message_has_a_french_translation():
    entries = _catalogue()
    assert len(entries) > 250
    missing = [e.msgid for e in entries if "fuzzy" in e.flags or not all(e.msgstr)]
    assert missing == []


def test_the_catalogue_holds_every_message_of_the_sources_and_nothing_else(
    tmp_path, settings, monkeypatch
):
    require(have("xgettext") and have("msgmerge"), "GNU gettext (Debian package gettext)")
    before = (LOCALE / "django.po").read_bytes()
    catalogue = {e.key: e for e in _catalogue()}
    extracted = {e.key: e for e in _extracted(tmp_path, settings, monkeypatch)}
    assert (LOCALE / "django.po").read_bytes() == before, "the real catalogue was written"
    assert len(extracted) > 250, "nothing extracted: the copy of the sources is incomplete"

    missing = sorted(k[1] for k in extracted.keys() - catalogue.keys())
    obsolete = sorted(k[1] for k in catalogue.keys() if catalogue[k].obsolete)
    obsolete += sorted(k[1] for k in catalogue.keys() - extracted.keys())
    plural_changed = sorted(
        k[1]
        for k in extracted.keys() & catalogue.keys()
        if extracted[k].msgid_plural != catalogue[k].msgid_plural
    )
    problems = (
        [f"in the sources, missing from django.po: {m!r}" for m in missing]
        + [f"in django.po, no longer in the sources: {m!r}" for m in obsolete]
        + [f"plural form changed in the sources: {m!r}" for m in plural_changed]
    )
    assert problems == [], "run `make messages` and translate:\n" + "\n".join(problems)


def test_the_comparison_sees_a_new_message_and_an_obsolete_one():
    """The check above is not vacuous: the parser reads what makemessages writes."""
    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "%(n)s camera"\nmsgid_plural "%(n)s cameras"\n'
        'msgstr[0] "%(n)s caméra"\nmsgstr[1] "%(n)s caméras"\n\n'
        'msgctxt "verb"\nmsgid "Publish"\nmsgstr ""\n"Pub"\n"lier"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n'
    )
    entries = {e.msgid: e for e in parse(po)}
    assert set(entries) == {"%(n)s camera", "Publish", "Gone"}
    assert entries["%(n)s camera"].msgstr == ["%(n)s caméra", "%(n)s caméras"]
    assert entries["%(n)s camera"].flags == {"python-format"}
    assert entries["Publish"].key == ("verb", "Publish")
    assert entries["Publish"].msgstr == ["Publier"]
    assert entries["Gone"].obsolete and not entries["Publish"].obsolete


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    require(have("msgfmt"), "GNU gettext (Debian package gettext)")
    out = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(out), str(LOCALE / "django.po")], check=True
    )
    assert out.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
