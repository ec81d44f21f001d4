"""In-vivo coding is one action: undo takes back the coding and the code it created."""

from __future__ import annotations

import pytest

from qual_coder import services
from qual_coder.errors import QualCoderError
from qual_coder.storage import open_project

WORDS = "the waiting list for the waiting list"


@pytest.fixture
def demo(demo_path):
    with open_project(demo_path) as proj:
        yield proj


def _span(proj) -> tuple[int, int, int]:
    tid, text = proj.conn.execute("SELECT id, text FROM transcripts WHERE instr(text, ?) > 0",
                                  [WORDS]).fetchone()
    at = text.index(WORDS)
    return tid, at, at + len(WORDS)


def _keys(proj) -> set[str]:
    return {c["key"] for c in services.tree(proj)}


def test_undo_removes_the_new_code_and_redo_brings_it_back(demo):
    tid, start, end = _span(demo)
    before = _keys(demo)
    services.code_in_vivo(demo, tid, start, end, "waiting_for_waiting", WORDS, coder="ana")
    assert [(g["start"], g["end"]) for g in services.list_codings(demo, code="waiting_for_waiting")
            ] == [(start, end)]

    assert services.undo(demo, "ana")["code"] == "waiting_for_waiting"
    assert _keys(demo) == before

    assert services.redo(demo, "ana")["code"] == "waiting_for_waiting"
    restored = {c["key"]: c for c in services.tree(demo)}["waiting_for_waiting"]
    assert (restored["name"], restored["origin"], restored["codings"]) == (WORDS, "inductive", 1)


def test_a_code_given_a_memo_since_stays_when_its_creation_is_undone(demo):
    tid, start, end = _span(demo)
    services.code_in_vivo(demo, tid, start, end, "waiting_for_waiting", WORDS, coder="ana")
    services.set_memo(demo, "code", "waiting_for_waiting", "Femi's phrase, keep", "ana")
    assert services.undo(demo, "ana")["code"] is None  # the coding went; the code and memo stay
    assert {c["key"]: c for c in services.tree(demo)}["waiting_for_waiting"]["codings"] == 0
    assert services.get_memo(demo, "code", "waiting_for_waiting") == "Femi's phrase, keep"


def test_a_refused_in_vivo_leaves_no_code(demo):
    tid, start, end = _span(demo)
    before = _keys(demo)
    with pytest.raises(QualCoderError, match="re-imported"):
        services.code_in_vivo(demo, tid, start, end, "stale", "stale", coder="ana",
                              text_sha="0" * 64)
    assert _keys(demo) == before


def test_redo_is_refused_when_a_code_of_that_name_was_made_since(demo):
    """SQLite may give the new code the undone one's id: redoing would put the coding on
    the wrong code, so the redo is refused and nothing changes."""
    tid, start, end = _span(demo)
    services.code_in_vivo(demo, tid, start, end, "waiting_for_waiting", WORDS, coder="ana")
    services.undo(demo, "ana")
    services.add_code(demo, "waiting_for_waiting", "Someone else's code", coder="ben")
    before = services.list_codings(demo)
    with pytest.raises(QualCoderError, match="cannot redo"):
        services.redo(demo, "ana")
    assert services.list_codings(demo) == before
    assert {c["key"]: c for c in services.tree(demo)}["waiting_for_waiting"]["codings"] == 0


def test_undo_puts_a_coding_back_on_its_own_code_or_refuses(demo):
    """The undo log names each coding's code by GUID: after a merge the coding goes back
    to the code it was made with if that still exists, and after that code is deleted (its
    id free for SQLite to reuse) the undo is refused and nothing changes."""
    tid, start, end = _span(demo)
    services.add_code(demo, "queues", "Queues", coder="ana")
    made = services.add_coding(demo, tid, "queues", start, end, coder="ana")
    services.remove_coding(demo, made.id, "ana")  # an action to take back: "uncode queues"
    services.delete_code(demo, "queues", coder="ana")
    services.add_code(demo, "someone_else", "Someone else's code", coder="ben")  # may reuse id
    before = services.list_codings(demo)
    with pytest.raises(QualCoderError, match="deleted or merged since"):
        services.undo(demo, "ana")
    assert services.list_codings(demo) == before
    assert {c["key"]: c for c in services.tree(demo)}["someone_else"]["codings"] == 0
