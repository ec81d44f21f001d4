"""Shared fixtures: real project files in tmp_path, the real shipped corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qual_coder.cli import cli
from qual_coder.demo import build_demo
from qual_coder.storage import init_project, open_project

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SHARED_TRANSCRIPTS = SHARED / "testdata" / "transcripts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def project(tmp_path):
    proj = init_project(tmp_path / "study.db")
    yield proj
    proj.close()


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "study.db"
    init_project(path).close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def demo_warm_template(demo_template, tmp_path_factory):
    """The demo with its sentence cache built (what the suggestion engines and discovery
    read), once per test process."""
    from qual_coder.services.sentences import ensure_sentences

    path = _copy(demo_template, tmp_path_factory.mktemp("demo-warm") / "demo.db")
    with open_project(path) as proj:
        ensure_sentences(proj)
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    """A private copy of the demo project, free to change."""
    return _copy(demo_template, tmp_path / "demo.db")


@pytest.fixture
def demo_warm_path(demo_warm_template, tmp_path):
    """A private copy of the demo whose sentence cache is built: suggestions start warm."""
    return _copy(demo_warm_template, tmp_path / "demo.db")


def _copy(template: Path, path: Path) -> Path:
    with open_project(template) as proj:
        proj.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(template, path)
    return path


@pytest.fixture
def run():
    """Run the real CLI in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def shared_transcripts() -> list[Path]:
    if not SHARED_TRANSCRIPTS.is_dir():
        pytest.skip("../shared/testdata is not beside this checkout")
    return sorted(SHARED_TRANSCRIPTS.glob("*.md"))


def snapshot_db(path: Path) -> dict:
    """Every table's rows, to prove a failed action changed nothing."""
    with open_project(path) as proj:
        return {t: proj.conn.execute(f"SELECT * FROM [{t}]").fetchall()
                for t in proj.table_names()}
