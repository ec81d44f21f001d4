"""A preview writes nothing: every command with --dry-run does its work on a copy in
memory, says what would change, and leaves the project file and its -wal byte for byte
as they were."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import REPO

SHARED_QDPX = REPO.parent / "shared" / "testdata" / "qdpx"


def _digests(path) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for suffix in ("", "-wal"):
        f = path.with_name(path.name + suffix)
        data = f.read_bytes() if f.exists() else b""
        out[suffix or "db"] = hashlib.sha256(data).hexdigest() if data else None
    return out


@pytest.fixture
def fresh(tmp_path, run):
    path = tmp_path / "fresh.db"
    assert run("init", path).exit_code == 0
    return path


def _cases(tmp_path, demo_path):
    t = REPO / "transcripts"
    edited = tmp_path / "northmoor_school_lead_interview.txt"
    edited.write_text((t / "northmoor_school_lead_interview.txt").read_text()
                      .replace("workshop", "training day"))
    codings = tmp_path / "codings.csv"  # the demo's codings again, as a third coder's
    codings.write_text((t / "codings.csv").read_text().replace(",ana\n", ",cai\n")
                       .replace(",ben\n", ",cai\n"))
    return {
        "import text with a manifest": ("import", "{fresh}", *sorted(t.glob("*.txt"))[:3],
                                        "--manifest", t / "manifest.csv"),
        "import docx": ("import", "{fresh}", t / "kelsey_vale_ep_interview.docx"),
        "import qdpx": ("import", "{fresh}", SHARED_QDPX / "refi-annex-a2-TestProject.qdpx"),
        "reimport": ("reimport", "{demo}", "northmoor_school_lead_interview", edited),
        "merge": ("merge", "{fresh}", demo_path),
        "codebook load": ("codebook", "load", "{fresh}", "cascade"),
        "import-codings": ("import-codings", "{demo}", codings),
        "cascade import": ("cascade", "import", "{fresh}", t / "cascade_ratings.csv"),
        "survey import": ("survey", "import", "{fresh}", t / "survey.csv", "--items",
                          t / "survey_items.yaml"),
    }


CASES = ["import text with a manifest", "import docx", "import qdpx", "reimport", "merge",
         "codebook load", "import-codings", "cascade import", "survey import"]


@pytest.mark.parametrize("case", CASES)
def test_every_dry_run_leaves_the_file_and_its_wal_as_they_were(case, fresh, demo_path,
                                                                 tmp_path, run):
    if case == "import qdpx" and not SHARED_QDPX.is_dir():
        pytest.skip("../shared/testdata is not beside this checkout")
    args = _cases(tmp_path, demo_path)[case]
    target = demo_path if "{demo}" in args else fresh
    args = [target if a in ("{fresh}", "{demo}") else a for a in args]
    before = _digests(target)
    result = run(*args, "--dry-run")
    assert result.exit_code == 0, result.output
    assert _digests(target) == before, result.output
    if not case.startswith(("import text", "import docx")):  # a transcript preview says it
        # its own way
        assert f"dry run: nothing was written to {target}" in result.output
    # and the same command without --dry-run changes the project (the preview was real)
    assert run(*args).exit_code == 0
    assert _digests(target) != before
