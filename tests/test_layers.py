"""The layering of docs/architecture.md is a test: `lint-imports` checks the contracts of
pyproject.toml ([tool.importlinter]), so that a lower layer importing a higher one (places
reading the registry, documents importing redaction) fails CI, not only `make lint`."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    # Run from `cwd`: import-linter puts it first on sys.path, so it analyses the
    # `contrechamp` package found there.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    # Every contract of pyproject.toml ran: layers and the forbidden imports.
    assert result.stdout.count(" KEPT") >= 4, result.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "contrechamp",
        tmp_path / "contrechamp",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "locale", "data"),
    )
    return tmp_path


def test_it_fails_when_places_imports_the_registry(tmp_path):
    # The contracts are not vacuous: a copy of the package where places reads the
    # registry breaks them, and the report names the import.
    copy = copy_of_the_package(tmp_path)
    services = copy / "contrechamp" / "places" / "services.py"
    services.write_text(
        services.read_text() + "\nfrom contrechamp.registry.models import Deployment  # noqa\n"
    )
    result = lint_imports(copy)
    assert result.returncode != 0, result.stdout
    assert "contrechamp.places.services -> contrechamp.registry.models" in result.stdout


def test_it_fails_when_an_app_is_given_no_layer(tmp_path):
    # A new top-level app must be placed in the layers before it can be imported.
    copy = copy_of_the_package(tmp_path)
    (copy / "contrechamp" / "campaigns").mkdir()
    (copy / "contrechamp" / "campaigns" / "__init__.py").write_text("")
    result = lint_imports(copy)
    assert result.returncode != 0, result.stdout
    assert "contrechamp.campaigns" in result.stdout


# --- templates ------------------------------------------------------------------------
# import-linter sees Python imports only; a template that loads a higher app's tag
# library depends on that app just the same (the place pages loading `access` tags were
# one reason they moved to `pages`). Templates are checked here against the same layers.

PACKAGE = ROOT / "contrechamp"
# Template folders named after a noun but rendered by another app's views.
RENDERED_BY = {"places": "pages", "registration": "accounts"}
# Known, named exceptions. The deployment page (registry) lists the requests about a
# deployment through access's `requests_about` tag, a hook so that the registry does not
# import access; the page itself belongs in `pages` (issue 12, left for the registry).
# The account page (accounts) says what deleting the account does to its groups through
# the groups' `groups_on_deletion` tag, the same kind of hook.
ALLOWED = {
    ("registry/deployment_detail.html", "access"),
    ("accounts/account.html", "groups"),
}


def layer_of_apps() -> dict[str, int]:
    """App name → its layer in pyproject.toml, 0 for the top."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    ]
    return {
        name.strip(): index
        for index, layer in enumerate(layers)
        for name in re.split(r"[|:]", layer)
    }


def tag_libraries(package: Path) -> dict[str, str]:
    """Tag library name → the app that defines it."""
    return {
        module.stem: module.parent.parent.name
        for module in package.glob("*/templatetags/*.py")
        if module.stem != "__init__"
    }


def template_layer_violations(package: Path) -> list[str]:
    layers, libraries = layer_of_apps(), tag_libraries(package)
    found = []
    for template in sorted((package / "templates").glob("*/**/*.html")):
        relative = template.relative_to(package / "templates")
        folder = relative.parts[0]
        app = RENDERED_BY.get(folder, folder)
        for load in re.findall(r"\{%\s*load\s+([^%]+?)\s*%\}", template.read_text("utf-8")):
            for library in load.split():
                owner = libraries.get(library)
                if owner is None or owner == app or (str(relative), owner) in ALLOWED:
                    continue
                if layers[owner] <= layers[app]:
                    found.append(f"{relative} ({app}) loads {library!r} of {owner}")
    return found


def test_templates_load_tags_only_from_lower_layers():
    assert template_layer_violations(PACKAGE) == []


def test_the_template_check_sees_a_place_template_loading_a_higher_apps_tags(tmp_path):
    package = tmp_path / "contrechamp"
    (package / "templates" / "registry").mkdir(parents=True)
    (package / "access" / "templatetags").mkdir(parents=True)
    (package / "access" / "templatetags" / "access.py").write_text("")
    (package / "templates" / "registry" / "list.html").write_text(
        '{% extends "base.html" %}{% load i18n access %}'
    )
    assert template_layer_violations(package) == [
        "registry/list.html (registry) loads 'access' of access"
    ]


# Nothing here depends on the database engine: CI runs it once, on SQLite.
pytestmark = pytest.mark.one_database
