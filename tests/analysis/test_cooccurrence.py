"""Co-occurrence pairs different codes on passages, never a coder's code with another
coder's version of it, and a double-coded passage pairs once."""

from __future__ import annotations

from qual_coder import services
from qual_coder.services.analyses import cooccurrence
from qual_coder.storage import init_project

TEXT = ("Interviewer: Tell me about referrals.\n"
        "Ann: We refer directly now, and the waiting list is shorter.\n"
        "Interviewer: And the link worker?\n"
        "Ann: She comes every Tuesday, which helps with trust.\n")


def test_pairs_are_of_different_codes_on_passages(tmp_path):
    project = init_project(tmp_path / "p.db")
    try:
        (tmp_path / "fg.txt").write_text(TEXT)
        services.import_transcripts(project, [tmp_path / "fg.txt"])
        for key in ("access", "waits", "trust"):
            services.add_code(project, key, key.title(), coder="lead")
        a = TEXT.index("We refer directly")
        b = TEXT.index("the waiting list")
        c = TEXT.index("She comes")
        services.add_coding(project, "fg", "access", a, b + 10, coder="ana")
        services.add_coding(project, "fg", "access", a + 3, b + 16, coder="ben")  # same passage
        services.add_coding(project, "fg", "waits", b, b + 26, coder="ana")
        services.add_coding(project, "fg", "waits", b, b + 26, coder="ben")
        services.add_coding(project, "fg", "trust", c, c + 20, coder="ben")
        overlap, pairs = cooccurrence(project, "overlap")
        # by hand: access (ana+ben, one passage) meets waits (ana+ben, one passage): 1
        assert overlap.loc["access", "waits"] == 1 and overlap.loc["access", "access"] == 0
        assert [p["codes"] for p in pairs] == [["access", "waits"]]
        turn, _ = cooccurrence(project, "turn")
        assert turn.loc["access", "waits"] == 1 and turn.loc["access", "trust"] == 0
        only_ben, _ = cooccurrence(project, "overlap", coders=["ben"])
        assert only_ben.loc["access", "waits"] == 1
    finally:
        project.close()
