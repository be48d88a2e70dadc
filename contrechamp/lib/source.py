"""The source of the running code, for the footer's offer (AGPL-3.0 section 13)."""

from __future__ import annotations

import io
import tarfile
from functools import lru_cache
from pathlib import Path

# Beside the package in a checkout: what builds, configures and documents it.
TOP_LEVEL = ["pyproject.toml", "LICENSE", "README.md", "Makefile", ".env.example", "docs"]
# Built or generated, not source (compiled catalogues are rebuilt by compilemessages).
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".mo")


def _files(root: Path, *, exclude: list[Path]) -> list[Path]:
    """The regular files under `root` (or `root` itself), sorted; no symbolic link is
    followed and nothing under `exclude` (the data directory, with the secret key and the
    uploads, when it lies inside the checkout) is taken."""
    if root.is_symlink() or any(root == e or e in root.parents for e in exclude):
        return []
    if root.is_file():
        return [root] if not root.name.endswith(SKIPPED_SUFFIXES) else []
    out: list[Path] = []
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.name in ("__pycache__", ".git") or child.name.endswith(".egg-info"):
                continue
            out.extend(_files(child, exclude=exclude))
    return out


@lru_cache(maxsize=1)
def source_archive(package_dir: Path, data_dir: Path) -> bytes:
    """A .tar.gz of the installed package and the files beside it, under `contrechamp/`:
    what this process runs, modifications included. Built once per process."""
    base = package_dir.parent
    exclude = [data_dir.resolve()]
    roots = [package_dir] + [base / name for name in TOP_LEVEL]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for root in roots:
            for path in _files(root, exclude=exclude):
                info = archive.gettarinfo(
                    str(path), arcname=f"contrechamp/{path.relative_to(base)}"
                )
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
    return buffer.getvalue()
