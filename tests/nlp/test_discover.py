"""Theme discovery never proposes a person's or a place's name."""

from __future__ import annotations

import pytest

from qual_coder import services
from qual_coder.services.analyses import discover
from qual_coder.storage import init_project

LINES = [
    "P1: I rang Alicia about the waiting list again and the waiting list had grown.",
    "P2: We asked Alicia too, and Dr Okafor said the waiting list would stay.",
    "P3: Honestly the waiting list is the thing, and Alicia keeps the waiting list.",
    "P1: Dr Okafor wrote to us about the waiting list and the counsellor rota.",
    "P2: The counsellor rota changed, Alicia told us, so the counsellor rota is new.",
    "P3: Dr Okafor and Alicia both mentioned the counsellor rota at Hilltop Primary.",
    "P1: At Hilltop the counsellor rota works; Hilltop kept its waiting list short.",
    "P2: Hilltop is lucky, I think, with the counsellor rota and the waiting list.",
]


def test_discovery_leaves_out_names_no_list_holds(tmp_path):
    project = init_project(tmp_path / "study.db")
    try:
        for n in range(2):
            path = tmp_path / f"group{n}.txt"
            path.write_text(f"Recorded at site {n}.\n" + "\n".join(LINES) + "\n")
            services.import_transcripts(project, [path])
        found = [c.phrase for c in discover(project, top=50, min_frequency=2,
                                            min_participants=1)]
    finally:
        project.close()
    assert any("waiting list" in f or "counsellor" in f for f in found), found
    for name in ("alicia", "okafor", "hilltop"):
        assert not any(name in f.split() for f in found), (name, found)


def test_word_probabilities_are_spacys_table_for_the_words_asked():
    """Only the words asked for are read from spacy-lookups-data's table, with the values
    spaCy's own loader gives them (accents, hyphens, apostrophes, capitals, and words the
    table does not have)."""
    from spacy.lookups import load_lookups

    from qual_coder.nlp import discover

    words = ["the", "counsellor", "naïve", "café", "co-ordinator", "don't", "SENCo",
             "senco", "CAMHS", "Wednesday", "qwzxv", '"', "\\"]
    mine = discover.word_probabilities(words)
    table = load_lookups("en", ["lexeme_prob"]).get_table("lexeme_prob")
    assert mine is not None
    # (spaCy's JSON reader rounds the last digit now and then: -11.732336998000001)
    assert {w: mine[w] for w in words} == {w: pytest.approx(table.get(w), abs=1e-9)
                                           if table.get(w) is not None else None
                                           for w in words}
    assert sum(mine[w] is not None for w in words) >= 6  # most are in the table
