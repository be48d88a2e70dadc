"""OCR with Tesseract, the one external program of the library.

Pages run in parallel, one single-threaded `tesseract` process each: on two cores,
Tesseract's own OpenMP threading is several times slower than one process per core.
`recognise` is the only function that starts Tesseract, so tests can swap it; the real
one runs in CI.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from contrechamp.documents.reasons import Reasoned


class OcrError(Reasoned):
    """Tesseract missing, failing or too slow: one of `reasons.REASONS`."""


@dataclass
class OcrResult:
    text: str
    # [x0, y0, x1, y1, word, confidence] in the pixels of the image given to Tesseract
    words: list[list[float | str]]
    confidence: float | None


def recognise(image: bytes) -> OcrResult:
    """Text of one page image (PNG), with word boxes, from Tesseract's TSV output."""
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        completed = subprocess.run(
            [
                settings.TESSERACT_COMMAND,
                "stdin",
                "stdout",
                "-l",
                settings.OCR_LANGUAGES,
                "--psm",
                "3",
                "tsv",
            ],
            input=image,
            capture_output=True,
            env=environment,
            timeout=settings.OCR_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as error:
        raise OcrError("ocr_missing", command=repr(settings.TESSERACT_COMMAND)) from error
    except subprocess.TimeoutExpired as error:
        raise OcrError("ocr_timeout", seconds=settings.OCR_TIMEOUT) from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError("ocr_failed", error=message[-1] if message else "no message")
    return parse_tsv(completed.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> OcrResult:
    lines: dict[tuple[str, str, str], list[str]] = {}
    paragraphs: list[tuple[str, str]] = []
    words: list[list[float | str]] = []
    confidences = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        word = cells[11].strip()
        if not word:
            continue
        left, top, width, height = (float(c) for c in cells[6:10])
        confidence = float(cells[10])
        block, paragraph, line = cells[2], cells[3], cells[4]
        key = (block, paragraph, line)
        if (block, paragraph) not in paragraphs:
            paragraphs.append((block, paragraph))
        lines.setdefault(key, []).append(word)
        words.append([left, top, left + width, top + height, word, confidence])
        if confidence >= 0:
            confidences.append(confidence)
    text_parts = []
    for block, paragraph in paragraphs:
        paragraph_lines = [
            " ".join(ws) for (b, p, _), ws in lines.items() if (b, p) == (block, paragraph)
        ]
        text_parts.append("\n".join(paragraph_lines))
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrResult(text="\n\n".join(text_parts), words=words, confidence=mean)


def processes() -> int:
    return settings.OCR_PROCESSES or os.cpu_count() or 1


def recognise_many(
    images: Iterable[tuple[int, bytes]],
    *,
    workers: int | None = None,
    engine: Callable[[bytes], OcrResult] | None = None,
) -> Iterator[tuple[int, OcrResult | OcrError]]:
    """OCR of (key, image) pairs, `workers` Tesseract processes at a time, yielded in
    input order. Images are pulled lazily (rendering stays in the caller's thread: PyMuPDF
    is not thread-safe) and at most twice `workers` are held in memory."""
    workers = workers or processes()
    run = engine or recognise
    pending: list[tuple[int, Future[OcrResult]]] = []

    def drain(limit: int) -> Iterator[tuple[int, OcrResult | OcrError]]:
        while len(pending) > limit:
            key, future = pending.pop(0)
            try:
                yield key, future.result()
            except OcrError as error:
                yield key, error

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for key, image in images:
            pending.append((key, pool.submit(run, image)))
            yield from drain(2 * workers)
        yield from drain(0)
