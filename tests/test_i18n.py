"""The interface is French first with a complete English side: every message has a French
translation, and the compiled catalogue is the one built from the sources."""

import re
import subprocess
from pathlib import Path

from tests.conftest import have, require

LOCALE = Path(__file__).resolve().parents[1] / "contrechamp" / "locale" / "fr" / "LC_MESSAGES"


def _entries(po: str) -> list[tuple[str, list[str], bool]]:
    entries = []
    for block in po.split("\n\n")[1:]:
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid_plural")[0]))
        strs = [
            "".join(re.findall(r'"(.*)"', part.split("\nmsgstr")[0]))
            for part in block.split("msgstr")[1:]
        ]
        entries.append((msgid, strs, fuzzy))
    return entries


def test_every_message_has_a_french_translation():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 250
    missing = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert missing == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    require(have("msgfmt"), "GNU gettext (Debian package gettext)")
    out = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(out), str(LOCALE / "django.po")], check=True
    )
    assert out.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"
