"""Where the shipped demo corpus and codebooks live: inside the installed package
(`qual_coder/shipped/`, put there by the build), or beside the package in a source
checkout, where they are kept."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE.parent


def _shipped(name: str) -> Path:
    installed = PACKAGE / "shipped" / name
    return installed if installed.is_dir() else REPO_ROOT / name


DEMO_TRANSCRIPTS = _shipped("transcripts")
DEMO_CODEBOOKS = _shipped("codebooks")


def shipped_codebooks() -> dict[str, Path]:
    """Shipped codebooks by name (the file's stem): `cascade`, `local_area_review`."""
    return {p.stem: p for p in sorted(DEMO_CODEBOOKS.glob("*.yaml"))}
