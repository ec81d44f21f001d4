"""The wheel carries what an installed qual-coder needs without a checkout: the
shipped codebooks and the demo corpus, from the top-level folders where they live."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_ships_codebooks_and_the_demo_corpus(tmp_path):
    # No build isolation: setuptools is already installed, and tests never use the network.
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("qual_coder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("codebooks", "transcripts"):
        for f in (ROOT / folder).iterdir():
            assert f"qual_coder/shipped/{folder}/{f.name}" in names, f
    assert "qual_coder/tui/app.tcss" in names


def test_shipped_codebooks_load_by_name(tmp_path, run):
    project = tmp_path / "s.db"
    run("init", project)
    result = run("codebook", "load", project, "cascade")
    assert result.exit_code == 0, result.output
    assert "loaded codebook 'cascade'" in result.output
    listed = run("codebook", "shipped", "--json")
    assert {"cascade", "local_area_review"} <= {b["name"] for b in __import__("json").loads(
        listed.output)}
    missing = run("codebook", "load", project, "no_such_book")
    assert missing.exit_code == 1
    assert "not a shipped codebook (cascade, local_area_review)" in missing.output


def test_version(run):
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0 and version("qual-coder") in result.output
