"""services.codebook's reshaping promises, on the demo's real codebook and codings:
loading a codebook again changes nothing; merging codes keeps every coded character of
every coder; a refused delete leaves everything as it was."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.errors import QualCoderError
from qual_coder.storage import open_project
from tests.conftest import REPO


def _covered(project, key):
    """(transcript, coder) -> the characters coded at `key` (final codings)."""
    out: dict[tuple[str, str], set[int]] = {}
    for g in services.list_codings(project, code=key, status="final"):
        out.setdefault((g["transcript"], g["coder"]), set()).update(range(g["start"], g["end"]))
    return out


def test_loading_a_codebook_again_changes_nothing(demo_path):
    with open_project(demo_path) as project:
        before = (services.tree(project), services.codebook_history(project))
        report = services.load_codebook(project, REPO / "codebooks" / "cascade.yaml")
        assert not report.created and not report.added and not report.updated
        assert (services.tree(project), services.codebook_history(project)) == before


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # copied per example
@given(st.data())
def test_merging_codes_keeps_every_coded_character_of_every_coder(demo_path, data):
    import shutil
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        shutil.copy(demo_path, path)
        with open_project(path) as project:
            used = sorted({g["code"] for g in services.list_codings(project, status="final")})
            source = data.draw(st.sampled_from(used))
            target = data.draw(st.sampled_from([k for k in used if k != source]))
            a, b = _covered(project, source), _covered(project, target)
            expected = {k: a.get(k, set()) | b.get(k, set()) for k in a.keys() | b.keys()}
            services.merge_codes(project, source, target, coder="lead")
            assert _covered(project, target) == expected
            assert source not in {c["key"] for c in services.tree(project)}


def test_a_refused_delete_leaves_the_code_its_codings_and_its_history(demo_path):
    with open_project(demo_path) as project:
        key = services.list_codings(project, status="final")[0]["code"]
        before = (services.tree(project), services.list_codings(project),
                  services.codebook_history(project))
        with pytest.raises(QualCoderError, match="merge it into another code"):
            services.delete_code(project, key)
        assert (services.tree(project), services.list_codings(project),
                services.codebook_history(project)) == before
