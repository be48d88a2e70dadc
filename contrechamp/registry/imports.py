"""Importers for other projects' formats: files that others publish, read into the registry.

The first one reads the camera list of the Préfet de police's arrêté n° 2019-00079 of
24 January 2019 (the Préfecture de police's video-protection plan, "PVPP"), published in
the Bulletin officiel de la Ville de Paris n° 9 of 1 February 2019 with two annexes that
list camera locations by arrondissement, as a volunteer transcribed them to CSV
(github.com/ColinMaudry/geo-videoprotection-paris: `;`-separated UTF-8, one location and
camera number a line). It records one camera count per arrondissement (75101 to 75120),
dated 2019-02-01 and citing the bulletin.

What it promises:

- All or nothing: the whole file is checked before anything is written, and the writes
  run in one transaction. A refusal names the line (and the column) at fault.
- Running it twice changes nothing: a count of that arrondissement, date, perimeter and
  source already there is left as it is, even if its number differs (someone corrected
  it). It only adds counts dated 2019-02-01, so a later count stays the latest figure.
- The file must be a whole annexe: the arrêté lists 1,391 locations in annexe 1 and 890
  in annexe 2, and a file with another number of cameras (a partial transcription, the
  707 geocoded crossings of `data.csv`) is refused, since its counts would not be the
  cited source's. The total also tells which annexe the file is (the two have the same
  columns), and the annexe is the count's perimeter. Only the total is checked against
  the arrêté: how a file spreads its cameras over the arrondissements is taken as it is.
- One annexe per installation. The two lists have many cameras in common (annexe 2 lists
  cameras of the plan that the Ville de Paris's agents may view), so they are neither one
  count nor two to add up; on the same date, an arrondissement's figure is its largest
  count, and an arrondissement taking annexe 2's while its neighbours take annexe 1's
  made Paris a figure of neither list. The second annexe is refused while the first's
  counts are there (pending or accepted): Paris's figure is always one annexe's total.
- Two imports at once (PostgreSQL) run one after the other: each locks the rows of Paris
  and its arrondissements before it reads what is recorded, so the second sees what the
  first wrote (an annexe already there, or the other annexe, refused).
- A cell a spreadsheet would run as a formula is refused, not stored or "cleaned".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from contrechamp.lib.spreadsheet import FORMULA_STARTS
from contrechamp.places.models import Commune
from contrechamp.registry.models import CameraCount
from contrechamp.registry.services import camera_count_create

PARIS_BOVP_URL = "https://www.api-site.paris.fr/paris/public/2019%2F1%2F2019_02_01_BOVP_009.pdf"
PARIS_BOVP_DATE = "2019-02-01"
PARIS_BOVP_TITLE = "Bulletin officiel de la Ville de Paris n° 9 du vendredi 1er février 2019"
PARIS_ARRETE = (
    "Arrêté n° 2019-00079 du 24 janvier 2019 autorisant l'installation du système de "
    "vidéoprotection de la Préfecture de Police"
)
PARIS_COLUMNS = (
    "Code postal",
    "Numéro",
    "Implantation",
    "Rue croisement 1",
    "Rue croisement 2",
    "Rue croisement 3",
    "Précision de l’implantation",
    "Date de mise en service",
)
# The real annexes are 146 kB and 92 kB, their longest line 177 characters: far above
# both, and still a bound on what one run reads and keeps in memory.
MAX_BYTES = 2_000_000
MAX_LINE = 1_000
# Postal code 75001..75020 (and 75116, the north of the 16th) -> INSEE code 75101..75120.
POSTAL_CODE = re.compile(r"750(0[1-9]|1[0-9]|20)|75116")
# A camera number of the plan, its leading zeros lost in annexe 1 and kept in annexe 2
# ("1058", "01058"), some with a letter ("45963B", another camera at the same place).
CAMERA_NUMBER = re.compile(r"0*(\d{1,7})([A-Z]?)")
PARIS = "75056"
ARRONDISSEMENTS = [f"751{n:02d}" for n in range(1, 21)]


@dataclass(frozen=True)
class Annexe:
    number: int
    cameras: int
    page: int
    perimeter: str


ANNEXES = {
    a.cameras: a
    for a in (
        Annexe(
            1,
            1391,
            491,
            "Plan de vidéoprotection de la Préfecture de police (arrêté n° 2019-00079, "
            "annexe 1) : emplacements de caméras",
        ),
        Annexe(
            2,
            890,
            505,
            "Plan de vidéoprotection pour Paris, caméras visibles par les agents de la Ville "
            "de Paris (arrêté n° 2019-00079, annexe 2) : emplacements",
        ),
    )
}


class ImportRefused(Exception):
    """The file is refused as a whole; `line` is the first line at fault (1: the header)."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(_("Line %(line)d: %(reason)s") % {"line": line, "reason": reason})


@dataclass
class CountLine:
    commune: Commune
    count: int
    # "add", "unchanged" (the same count is there), "kept" (a count of this source and
    # date is there with another number: never overwritten).
    action: str
    existing: int | None = None
    # The commune's latest count dated after the arrêté, if any: it stays the figure.
    later: str = ""


@dataclass
class ParisImport:
    annexe: Annexe
    lines: list[CountLine] = field(default_factory=list)
    dry_run: bool = False

    @property
    def added(self) -> int:
        return sum(1 for c in self.lines if c.action == "add")


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            1, _("the file is larger than %d bytes: it is not an annexe.") % MAX_BYTES
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ImportRefused(
            data[: e.start].count(b"\n") + 1,
            _("the text is not UTF-8 (Latin-1 or Windows-1252?): save the file as UTF-8."),
        ) from None
    return text.removeprefix("\ufeff")


def _columns(header: str) -> dict[str, int]:
    if ";" not in header:
        if "," in header:
            raise ImportRefused(1, _("the columns are separated by commas, not by “;”."))
        if "\t" in header:
            raise ImportRefused(1, _("the columns are separated by tabs, not by “;”."))
    cells = [c.strip().replace("'", "’") for c in header.split(";")]
    missing = [c for c in PARIS_COLUMNS if c not in cells]
    if missing:
        raise ImportRefused(1, _("column missing: %s.") % ", ".join(f"“{c}”" for c in missing))
    return {name: cells.index(name) for name in PARIS_COLUMNS}


def paris_cameras_read(data: bytes) -> tuple[Annexe, dict[str, int]]:
    """The annexe the file is, and its number of cameras per arrondissement (INSEE code
    -> count). Raises ImportRefused at the first line at fault."""
    text = _decode(data)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise ImportRefused(
                number,
                _("the line is %(length)d characters long (%(max)d at most).")
                % {"length": len(line), "max": MAX_LINE},
            )
    if not text.strip():
        raise ImportRefused(1, _("the file is empty."))
    columns = _columns(lines[0].rstrip("\r"))
    width = len(lines[0].split(";"))
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    last = 1
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        last = number
        cells = line.split(";")
        if len(cells) != width:
            raise ImportRefused(
                number,
                _("%(found)d cells where the header has %(width)d (a “;” too many or too few).")
                % {"found": len(cells), "width": width},
            )
        for name, position in columns.items():
            if cells[position].lstrip(" ").startswith(FORMULA_STARTS):
                raise ImportRefused(
                    number,
                    _("the column “%(column)s” holds a spreadsheet formula (“%(cell)s”).")
                    % {"column": name, "cell": cells[position].strip()[:40]},
                )
        postal = cells[columns["Code postal"]].strip()
        if not POSTAL_CODE.fullmatch(postal):
            raise ImportRefused(
                number,
                _("“%s” is not the postal code of a Paris arrondissement (75001 to 75020).")
                % postal[:20],
            )
        camera = CAMERA_NUMBER.fullmatch(cells[columns["Numéro"]].strip())
        if camera is None:
            raise ImportRefused(
                number,
                _("“%s” is not a camera number of the plan.")
                % cells[columns["Numéro"]].strip()[:20],
            )
        key = camera.group(1) + camera.group(2)
        if key in seen:
            raise ImportRefused(
                number,
                _("camera number %(camera)s is already on line %(line)d.")
                % {"camera": key, "line": seen[key]},
            )
        seen[key] = number
        code = "751" + postal[-2:]
        counts[code] = counts.get(code, 0) + 1
    total = sum(counts.values())
    annexe = ANNEXES.get(total)
    if annexe is None:
        # Said at the end of the list: the file is short (or long) as a whole.
        raise ImportRefused(
            last + 1,
            _(
                "the file lists %(total)d cameras; the arrêté's annexe 1 lists 1,391 and its "
                "annexe 2, 890: a partial or altered list is not imported."
            )
            % {"total": total},
        )
    return annexe, dict(sorted(counts.items()))


def _citation(annexe: Annexe) -> dict[str, object]:
    return {
        "source": {
            "title": PARIS_BOVP_TITLE,
            "publisher": "Ville de Paris",
            "url": PARIS_BOVP_URL,
            "published_on": PARIS_BOVP_DATE,
        },
        "quote": PARIS_ARRETE,
        "locator": f"p. {annexe.page} (annexe {annexe.number})",
    }


def paris_cameras_import(*, data: bytes, dry_run: bool = False) -> ParisImport:
    """Record the camera count of each arrondissement the file lists, or with `dry_run`
    only say what it would do. Returns what was (or would be) done per arrondissement."""
    annexe, counts = paris_cameras_read(data)
    communes = Commune.objects.in_bulk(list(counts), field_name="code")
    absent = sorted(set(counts) - set(communes))
    if absent:
        raise ImportRefused(
            1,
            _("no arrondissement %s among the places: load them first (places load).")
            % ", ".join(absent),
        )
    report = ParisImport(annexe=annexe, dry_run=dry_run)
    with transaction.atomic():
        # Paris and all its arrondissements, in one order: whichever annexe a run
        # imports, a run at the same time waits here until this one commits, then reads
        # what it wrote (without it, each read "no count yet" and wrote its annexe).
        list(
            Commune.objects.select_for_update()
            .filter(code__in=[PARIS, *ARRONDISSEMENTS])
            .order_by("code")
            .values_list("id", flat=True)
        )
        other = (
            CameraCount.all_objects.filter(
                commune__code__in=ARRONDISSEMENTS,
                date=PARIS_BOVP_DATE,
                state__in=("pending", "accepted"),
                citations__source__url=PARIS_BOVP_URL,
            )
            .exclude(perimeter=annexe.perimeter)
            .filter(perimeter__in=[a.perimeter for a in ANNEXES.values()])
            .first()
        )
        if other is not None:
            recorded = next(a for a in ANNEXES.values() if a.perimeter == other.perimeter)
            raise ImportRefused(
                1,
                _(
                    "the counts of annexe %(recorded)d are already recorded for "
                    "%(date)s. The two annexes list many of the same cameras: their "
                    "counts are neither one figure nor two to add up, and only one annexe "
                    "is imported. To record annexe %(number)d instead, delete annexe "
                    "%(recorded)d's counts first."
                )
                % {"recorded": recorded.number, "number": annexe.number, "date": PARIS_BOVP_DATE},
            )
        for code, n in counts.items():
            commune = communes[code]
            # Any state: a pending or rejected import of the same figure is not made again.
            mine = (
                CameraCount.all_objects.filter(
                    commune=commune,
                    date=PARIS_BOVP_DATE,
                    perimeter=annexe.perimeter,
                    citations__source__url=PARIS_BOVP_URL,
                )
                .order_by("id")
                .first()
            )
            later = (
                CameraCount.objects.filter(commune=commune, date__gt=PARIS_BOVP_DATE)
                .order_by("-date")
                .values_list("date", flat=True)
                .first()
            )
            line = CountLine(commune, n, "add", later=later or "")
            if mine is not None:
                line.action = "unchanged" if mine.count == n else "kept"
                line.existing = mine.count
            elif not dry_run:
                camera_count_create(
                    commune_code=code,
                    count=n,
                    date=PARIS_BOVP_DATE,
                    perimeter=annexe.perimeter,
                    citations=[_citation(annexe)],
                    author=None,
                )
            report.lines.append(line)
    return report
