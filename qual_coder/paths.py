"""Where the shipped demo material lives: beside the package in a source checkout."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_TRANSCRIPTS = REPO_ROOT / "transcripts"
DEMO_CODEBOOKS = REPO_ROOT / "codebooks"
