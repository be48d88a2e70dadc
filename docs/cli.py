"""Write the reference part of docs/command-line.md from the commands themselves.

    .venv/bin/python docs/cli.py          # rewrite the reference (`make docs-cli`)
    .venv/bin/python docs/cli.py --check  # exit 1 when the page is out of date

Every management command under contrechamp/*/management/commands/ is found by walking the
package (a command added tomorrow appears without touching this file), and its help,
with the help of each subcommand, is printed as `contrechamp NAME [SUB] --help` prints it,
minus the options Django adds to every command (--verbosity, --settings...). The part of
the page above MARKER is written by hand and kept; everything below it is generated.
tests/test_docs.py runs the same functions and fails when the page and the code differ.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.management.base import BaseCommand

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "command-line.md"
MARKER = "<!-- Generated below by `make docs-cli` (docs/cli.py): do not edit by hand. -->"
# Options Django gives every command; documented once in the page, not per command.
DJANGO_OPTIONS = {
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}
# argparse wraps help at the terminal's width: fixed, so the page does not depend on it.
WIDTH = "88"


@dataclass
class Section:
    """One `contrechamp NAME [SUB]` and its help as the command prints it."""

    words: list[str]
    help: str
    options: set[str] = field(default_factory=set)
    summary: str = ""

    @property
    def title(self) -> str:
        return "contrechamp " + " ".join(self.words)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contrechamp.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def our_commands() -> dict[str, str]:
    """Command name -> its app's module ("contrechamp.documents"), from the files."""
    found = {}
    for path in sorted((ROOT / "contrechamp").glob("*/management/commands/*.py")):
        if not path.name.startswith("_"):
            found[path.stem] = "contrechamp." + path.parts[-4]
    return found


def _strip_django_options(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if set(action.option_strings) & DJANGO_OPTIONS:
            action.help = argparse.SUPPRESS


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def _subparsers(
    parser: argparse.ArgumentParser,
) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """Each subcommand's parser and its one-line help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return {name: (sub, helps.get(name, "")) for name, sub in action.choices.items()}
    return {}


def sections() -> list[Section]:
    """Every command of ours and each of its subcommands, in name order."""
    _setup()
    from django.core.management import load_command_class

    out: list[Section] = []
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        for name, app in sorted(our_commands().items()):
            out += _command_sections(load_command_class(app, name), name)
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    return out


def _command_sections(command: BaseCommand, name: str) -> list[Section]:
    """The command's help, then each subcommand's (their prog is "contrechamp NAME SUB")."""
    parser = command.create_parser("contrechamp", name)
    _strip_django_options(parser)
    summary = str(command.help).strip()
    out = [Section([name], parser.format_help().rstrip(), _options(parser), summary)]
    for sub_name, (sub, sub_help) in _subparsers(parser).items():
        out.append(Section([name, sub_name], sub.format_help().rstrip(), _options(sub), sub_help))
    return out


def render(found: list[Section]) -> str:
    lines = [MARKER, "", "## Reference", "", "| command | what it does |", "| --- | --- |"]
    for section in found:
        anchor = section.title.replace(" ", "-")
        summary = section.summary.replace("|", "\\|")
        lines.append(f"| [`{section.title}`](#{anchor}) | {summary} |")
    lines.append("")
    for section in found:
        level = "###" if len(section.words) == 1 else "####"
        lines += [f"{level} `{section.title}`", "", "```text", section.help, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def page_with(found: list[Section], page: str) -> str:
    """The page with its generated part replaced (appended when the marker is missing)."""
    head = page.split(MARKER)[0].rstrip() + "\n\n"
    return head + render(found)


def main() -> int:
    check = "--check" in sys.argv[1:]
    current = PAGE.read_text(encoding="utf-8")
    wanted = page_with(sections(), current)
    if check:
        if current != wanted:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run `make docs-cli`", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
