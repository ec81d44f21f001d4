"""Docs that a test keeps true, and the import boundaries of the layout."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))


def test_cli_reference_is_current(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    from cli_reference import reference

    assert (REPO / "docs" / "CLI.md").read_text() == reference(), \
        "run: COLUMNS=100 python scripts/cli_reference.py > docs/CLI.md"


def test_every_command_is_in_the_readme_or_reference():
    from qual_coder.cli import cli

    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"qual-coder {name}" in readme or name in ("tui",), f"{name} not in README"


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return set(out.stdout.split())


def test_core_storage_and_analysis_do_not_import_the_ui():
    loaded = _modules_after("import qual_coder, qual_coder.core.codebook, qual_coder.storage, "
                            "qual_coder.analysis.matrix, qual_coder.services")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "click")}


def test_the_cli_starts_without_heavy_libraries():
    loaded = _modules_after("import qual_coder.cli")
    heavy = {"pandas", "spacy", "textual", "docx", "xmlschema", "sqlite_utils", "numpy"}
    assert not {m.split(".")[0] for m in loaded} & heavy
