"""The documentation says what the code does: every command of ours and each of its
options is in docs/command-line.md (and nothing the commands no longer take), every
environment variable the settings read is in docs/configuration.md, every page of docs/
is listed in its index, and the links between pages lead somewhere."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from contrechamp.lib import env

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _cli() -> ModuleType:
    """docs/cli.py, the script behind `make docs-cli` (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("docs_cli", DOCS / "cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _documented(page: str, marker: str) -> dict[str, set[str]]:
    """`contrechamp NAME [SUB]` -> the long options its section of the page shows."""
    generated = page.split(marker, 1)[1] if marker in page else ""
    found: dict[str, set[str]] = {}
    parts = re.split(r"^#{3,4} `(contrechamp [^`]+)`$", generated, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        options = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", body)) - {"--help"}
        found[title] = options
    return found


def _problems(cli: ModuleType, sections: list, page: str) -> list[str]:
    """What the page gets wrong about the commands, one line each."""
    documented = _documented(page, cli.MARKER)
    problems = []
    for section in sections:
        if section.title not in documented:
            problems.append(f"`{section.title}` is missing from docs/command-line.md")
            continue
        shown = documented.pop(section.title)
        for option in sorted(section.options - shown):
            problems.append(f"`{section.title}` takes {option}, which the page does not show")
        for option in sorted(shown - section.options):
            problems.append(f"the page shows `{section.title} {option}`, which it no longer takes")
    for title in sorted(documented):
        problems.append(f"the page documents `{title}`, which no longer exists")
    return problems


def test_every_command_of_ours_is_documented_with_exactly_its_options():
    cli = _cli()
    commands = cli.our_commands()
    # The discovery walks the files: a command added anywhere is found.
    assert {"documents", "places", "access", "users"} <= set(commands)
    page = (DOCS / "command-line.md").read_text(encoding="utf-8")
    problems = _problems(cli, cli.sections(), page)
    assert problems == [], "run `make docs-cli`:\n" + "\n".join(problems)


def test_the_command_line_reference_is_the_commands_own_help():
    cli = _cli()
    page = (DOCS / "command-line.md").read_text(encoding="utf-8")
    assert cli.MARKER in page
    assert page == cli.page_with(cli.sections(), page), "run `make docs-cli`"


def test_the_check_sees_a_missing_command_and_a_wrong_option():
    """The comparison above is not vacuous: a command left out of the page, one the page
    still lists after it went, an option dropped from the page or one the command never
    had are each reported."""
    cli = _cli()
    sections = cli.sections()
    page = cli.page_with(sections, "# Command line\n")
    assert _problems(cli, sections, page) == []
    add = next(s for s in sections if s.title == "contrechamp documents add")
    assert "--wait" in add.options
    damaged = page.replace("--wait", "--wait-for-ever")
    assert _problems(cli, sections, damaged) == [
        "`contrechamp documents add` takes --wait, which the page does not show",
        "the page shows `contrechamp documents add --wait-for-ever`, which it no longer takes",
    ]
    without_places = [s for s in sections if s.words[0] != "places"]
    assert _problems(cli, without_places, page) == [
        "the page documents `contrechamp places`, which no longer exists"
    ]
    new = cli.Section(["tips", "send"], "usage: contrechamp tips send", {"--anonymous"})
    assert _problems(cli, [*sections, new], page) == [
        "`contrechamp tips send` is missing from docs/command-line.md"
    ]


def test_every_environment_variable_is_in_the_configuration_page():
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    # A variable is documented by a row of the page's tables: | `NAME` | ...
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", page, re.M))
    assert env.READ, "settings read no variable through contrechamp.lib.env"
    assert sorted(env.READ - documented) == [], "read by the settings, missing from the page"
    assert sorted(documented - env.READ) == [], "on the page, never read by the settings"


def test_the_index_lists_every_page_of_the_docs():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w-]+\.md)\)", index))
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    assert pages - linked == set(), "pages missing from docs/index.md"


def _anchor(title: str) -> str:
    """The anchor a Markdown renderer (GitHub's) gives a heading."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def test_the_features_contents_list_every_section_in_order():
    """The contents at the top of features.md left out six sections (a new user's walk),
    and the index's summary of the page with them."""
    page = (DOCS / "features.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", page, re.M)
    contents = re.findall(r"^- \[([^\]]+)\]\(#([^)]+)\)$", page.split("\n## ", 1)[0], re.M)
    assert [title for title, _anchor_ in contents] == sections
    assert [anchor for _title, anchor in contents] == [_anchor(t) for t in sections]
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if line.startswith("| [features.md]"))
    summary = row.split("|")[3].lower()
    missing = [t for t in sections if not re.search(r"\b" + _summary_word(t), summary)]
    assert missing == [], "sections of features.md missing from its summary in docs/index.md"


def _summary_word(title: str) -> str:
    """The words the index's summary names a section by ("Access-to-documents requests":
    "access requests")."""
    words = {
        "Access-to-documents requests": "access requests",
        "Places, figures and the map": "places",
        "Exports and dumps": "exports",
    }
    return re.escape(words.get(title, title).lower())


def test_links_between_pages_lead_to_a_file_that_exists():
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # an address on the web
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_the_readme_stays_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 130, "the README says what it is and how to start; details go to docs/"


def test_every_make_target_the_docs_name_exists():
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    named = set()
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        named |= set(re.findall(r"`make ([a-z][\w-]*)", page.read_text(encoding="utf-8")))
    assert named, "no `make ...` found: the pattern is broken"
    assert sorted(named - targets) == []


def test_every_command_the_docs_name_exists():
    """`contrechamp documents publish` in a page's prose, after the command moved to
    `redaction publish`, is caught here."""
    from django.core.management import get_commands

    cli = _cli()
    known = {tuple(section.words) for section in cli.sections()}
    django_commands = set(get_commands())
    wrong = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        found = re.findall(r"(?<![\w/-])contrechamp ([a-z][\w-]*)(?: ([a-z][\w-]*))?", text)
        for name, sub in found:
            if name == "contrechamp":  # `createdb --owner contrechamp contrechamp`
                continue
            if (name,) not in known:
                if name not in django_commands:
                    wrong.append(f"{page.name}: contrechamp {name}")
                continue
            has_subcommands = any(len(words) == 2 and words[0] == name for words in known)
            if has_subcommands and sub and (name, sub) not in known:
                wrong.append(f"{page.name}: contrechamp {name} {sub}")
    assert wrong == []


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
