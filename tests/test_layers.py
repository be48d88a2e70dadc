"""The layering of docs/architecture.md is a test: `lint-imports` checks the contracts of
pyproject.toml ([tool.importlinter]), so that a lower layer importing a higher one (places
reading the registry, documents importing redaction) fails CI, not only `make lint`."""

import shutil
import subprocess
import sys
from pathlib import Path

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
    (copy / "contrechamp" / "watch").mkdir()
    (copy / "contrechamp" / "watch" / "__init__.py").write_text("")
    result = lint_imports(copy)
    assert result.returncode != 0, result.stdout
    assert "contrechamp.watch" in result.stdout
