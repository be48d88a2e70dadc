"""The real worker, killed with SIGKILL in the middle of OCR: nothing is lost, nothing is
done twice, and the document ends processed."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.conftest import have, prepared_database, query_database, require
from tests.documents import samples

PAGES = 8


def test_killing_the_worker_in_the_middle_of_ocr_loses_nothing(tmp_path):
    require(have("tesseract"), "Tesseract OCR (apt-get install tesseract-ocr tesseract-ocr-fra)")
    url = prepared_database(tmp_path, "worker")
    env = {
        **os.environ,
        "CONTRECHAMP_DATA_DIR": str(tmp_path),
        "DATABASE_URL": url,
        "OCR_PROCESSES": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "contrechamp"]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(
        samples.scanned_pdf(
            [f"Page {n} du courrier de la mairie de Saint-Étienne." for n in range(1, PAGES + 1)]
        )
    )
    added = subprocess.run(
        [*command, "documents", "add", str(scan), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    document = json.loads(added.stdout)["id"]

    def ocr_done() -> int:
        return query_database(
            url,
            "SELECT count(*) FROM documents_page WHERE document_id = ? "
            "AND ocr_confidence IS NOT NULL",
            (document,),
        )[0][0]

    worker = subprocess.Popen(
        [*command, "db_worker", "--interval", "0.2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while ocr_done() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its Tesseract processes
    worker.wait()
    before = ocr_done()
    assert 2 <= before < PAGES, "the worker should have been killed in the middle of OCR"
    status = query_database(url, "SELECT status FROM documents_document WHERE id = ?", (document,))[
        0
    ][0]
    assert status == "processing"

    subprocess.run(
        [*command, "documents", "resume", "--release-leases"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([*command, "db_worker", "--batch"], env=env, check=True, capture_output=True)

    status, pages = query_database(
        url, "SELECT status, page_count FROM documents_document WHERE id = ?", (document,)
    )[0]
    assert (status, pages) == ("done", PAGES)
    assert ocr_done() == PAGES
    texts = [
        row[0]
        for row in query_database(
            url,
            "SELECT text FROM documents_page WHERE document_id = ? ORDER BY number",
            (document,),
        )
    ]
    assert all("Saint-Étienne" in text for text in texts)
    # The resumed OCR step read only the pages the killed worker had not saved.
    output, attempts = query_database(
        url,
        "SELECT output, attempts FROM documents_step WHERE document_id = ? AND name = 'ocr'",
        (document,),
    )[0]
    output = output if isinstance(output, dict) else json.loads(output)  # PostgreSQL: jsonb
    assert output["pages"] == PAGES - before and attempts == 2
