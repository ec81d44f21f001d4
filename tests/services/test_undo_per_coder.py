"""Undo and redo are each coder's own: in a shared project (a served session, or two
terminals on one file) a coder's `u` never takes back another coder's work."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.errors import QualCoderError
from qual_coder.storage import init_project

TEXT = "Interviewer: How are referrals?\n" + "".join(
    f"Priya: Sentence number {i} about the waiting list and the link worker.\n"
    for i in range(30))


def _project(path):
    proj = init_project(path)
    file = path.parent / "fg.txt"
    file.write_text(TEXT)
    services.import_transcripts(proj, [file])
    services.add_code(proj, "theme", "Theme", coder="lead")
    services.add_code(proj, "other", "Other", coder="lead")
    return proj


@pytest.fixture
def shared(tmp_path):
    proj = _project(tmp_path / "study.db")
    yield proj
    proj.close()


def _spans(proj, coder=None):
    return sorted((g["coder"], g["code"], g["start"], g["end"])
                  for g in services.list_codings(proj, coder=coder))


def test_undo_takes_back_only_the_undoing_coders_action(shared):
    services.add_coding(shared, "fg", "theme", 40, 60, coder="ana")
    services.add_coding(shared, "fg", "theme", 100, 130, coder="ben")
    done = services.undo(shared, "ana")
    assert done is not None and done["label"] == "code theme"
    assert _spans(shared) == [("ben", "theme", 100, 130)]
    assert services.undo(shared, "ana") is None  # ana has nothing left; ben's stays
    assert _spans(shared) == [("ben", "theme", 100, 130)]
    services.redo(shared, "ana")
    assert _spans(shared, "ana") == [("ana", "theme", 40, 60)]
    services.undo(shared, "ben")
    assert _spans(shared) == [("ana", "theme", 40, 60)]


def test_a_new_action_clears_only_its_own_coders_redo(shared):
    services.add_coding(shared, "fg", "theme", 40, 60, coder="ana")
    services.undo(shared, "ana")
    services.add_coding(shared, "fg", "other", 100, 130, coder="ben")  # ben acts
    assert services.redo(shared, "ana") is not None  # ana's redo is still there
    assert _spans(shared, "ana") == [("ana", "theme", 40, 60)]


def test_undo_over_another_coders_change_is_refused_and_changes_nothing(shared):
    made = services.add_coding(shared, "fg", "theme", 40, 60, coder="ana")
    services.remove_coding(shared, made.id, coder="ben")  # a terminal coder may remove it
    before = _spans(shared)
    with pytest.raises(QualCoderError, match="changed since"):
        services.undo(shared, "ana")
    assert _spans(shared) == before
    services.undo(shared, "ben")  # ben's undo puts ana's coding back
    assert _spans(shared) == [("ana", "theme", 40, 60)]
    assert services.undo(shared, "ana") is not None
    assert _spans(shared) == []


def test_a_served_coder_cannot_remove_another_coders_coding(shared):
    made = services.add_coding(shared, "fg", "theme", 40, 60, coder="ana")
    with pytest.raises(QualCoderError, match="is ana's; only ana can remove it"):
        services.remove_coding(shared, made.id, coder="ben", own_only=True)
    assert _spans(shared) == [("ana", "theme", 40, 60)]


def test_cli_undo_takes_the_named_coder(tmp_path, run):
    _project(tmp_path / "study.db").close()
    path = tmp_path / "study.db"
    run("code", path, "fg", "--start", 40, "--end", 60, "--code", "theme", "--coder", "ana")
    run("code", path, "fg", "--start", 100, "--end", 130, "--code", "theme", "--coder", "ben")
    assert run("undo", path, "--coder", "ben").output.startswith("undid: code theme")
    r = run("codings", path, "--json")
    assert '"coder": "ana"' in r.output and '"coder": "ben"' not in r.output


ACTION = st.tuples(st.sampled_from(["ana", "ben"]),
                   st.sampled_from(["code", "code", "uncode", "undo", "redo"]),
                   st.sampled_from(["theme", "other"]),
                   st.integers(0, len(TEXT) - 40), st.integers(1, 40))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ACTION, min_size=1, max_size=25))
def test_no_interleaving_lets_one_coders_undo_touch_the_others_codings(tmp_path_factory, steps):
    """Two coders interleave coding, removing their own codings (as a served session
    allows), undo and redo: whatever the order, an undo or redo by one coder leaves every
    coding of the other exactly as it was."""
    proj = _project(tmp_path_factory.mktemp("undo") / "study.db")
    try:
        for coder, what, code, start, length in steps:
            other = "ben" if coder == "ana" else "ana"
            theirs = _spans(proj, other)
            if what == "code":
                services.add_coding(proj, "fg", code, start, start + length, coder=coder)
            elif what == "uncode":
                mine = services.list_codings(proj, coder=coder)
                if mine:
                    services.remove_coding(proj, mine[start % len(mine)]["id"], coder=coder,
                                           own_only=True)
            else:
                try:
                    (services.undo if what == "undo" else services.redo)(proj, coder)
                except QualCoderError:
                    pass  # refused: nothing changed, which the assertion below checks too
            assert _spans(proj, other) == theirs
    finally:
        proj.close()
