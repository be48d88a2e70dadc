"""The library's command drives the library; redaction and publication are the redaction
app's command (`contrechamp redaction ...`), run here as a shell script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import prepared_database
from tests.documents import samples

HARMLESS = "Délibération du conseil municipal sur la vidéoprotection du centre-ville."


@pytest.mark.parametrize("action", ["redact", "publish", "unpublish"])
def test_it_has_no_redaction_subcommand_in_the_documents_command(action):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("documents", action, "1", stdout=StringIO(), stderr=StringIO())


def test_it_redacts_publishes_and_withdraws_with_the_redaction_command_in_a_real_process(
    tmp_path,
):
    environment = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": prepared_database(tmp_path, "commands"),
    }

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "contrechamp", *arguments],
            env=environment,
            capture_output=True,
            text=True,
        )

    pdf = tmp_path / "deliberation.pdf"
    pdf.write_bytes(samples.text_pdf([HARMLESS]))
    added = run("documents", "add", str(pdf), "--wait", "--json")
    assert added.returncode == 0, added.stderr
    number = str(json.loads(added.stdout.splitlines()[-1])["id"])

    gone = run("documents", "publish", number, "--no-redactions")
    assert gone.returncode == 2 and "invalid choice: 'publish'" in gone.stderr

    redacted = run("redaction", "redact", number, "--json")
    assert redacted.returncode == 0, redacted.stderr
    assert json.loads(redacted.stdout)["suggested"] == 0
    published = run("redaction", "publish", number, "--no-redactions")
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith("Published (")
    # The published copy is the library's: its own command writes it out.
    output = tmp_path / "public.pdf"
    got = run("documents", "get", number, "--published", "--output", str(output))
    assert got.returncode == 0, got.stderr
    assert output.read_bytes().startswith(b"%PDF")
    withdrawn = run("redaction", "unpublish", number)
    assert withdrawn.returncode == 0 and "private again" in withdrawn.stdout
    assert run("documents", "get", number, "--published", "--output", str(output)).returncode == 1
    missing = run("redaction", "publish", "999999")
    assert missing.returncode == 1 and "No document has the number 999999" in missing.stderr
