"""Word frequency (lemmas, stop words and names out, interviewers excluded, keyness by
group checked against scipy) and keyword in context (every occurrence, with attribution)."""

from __future__ import annotations

import json
import re

import pytest
from scipy.stats import power_divergence

from qual_coder import services
from qual_coder.services import reading
from qual_coder.services.analyses import kwic, word_frequency

TEXT = """Interviewer: Tell me about referrals and the referral form. Referrals, referrals.
Ann: Referrals to CAMHS take months. The referral form is long. Hilltop sends referrals.
Bob: Our referrals come back. Waiting lists grow and the waiting list is long.
Interviewer: And the waiting list?
Ann: The waiting list is the problem. Referrals again, and waiting.
"""


@pytest.fixture
def talk(project, tmp_path):
    file = tmp_path / "talk.txt"
    file.write_text(TEXT)
    services.import_transcripts(project, [file])
    for person in reading.participants(project):
        if person["name"].startswith("Bob"):
            services.set_participant(project, person["name"], stakeholder_type="nhs_cypmhs")
        elif person["name"].startswith("Ann"):
            services.set_participant(project, person["name"], stakeholder_type="school_staff")
    return project


def test_word_frequency_counts_lemmas_of_participants_only(talk):
    frame = word_frequency(talk, top=50, min_count=1)
    counts = dict(zip(frame["word"], frame["count"]))
    # "Referrals", "referral" and "referrals" are one lemma; the interviewer's four are out
    said = [ln.split(":", 1)[1] for ln in TEXT.splitlines() if not ln.startswith("Interviewer")]
    assert counts["referral"] == sum(len(re.findall(r"\breferrals?\b", s, re.I)) for s in said)
    assert "the" not in counts and "and" not in counts  # stop words
    assert "ann" not in counts and "bob" not in counts  # speakers' names


def test_keyness_by_group_is_dunnings_g2(talk):
    frame = word_frequency(talk, by="stakeholder_type", top=50, min_count=1)
    assert set(frame["group"]) <= {"School staff", "NHS CYPMHS"}
    row = frame[frame["word"] == "referral"].iloc[0]
    group_size = row["count"] / row["per_1000"] * 1000
    rest_size = row["rest_count"] / row["rest_per_1000"] * 1000 if row["rest_count"] else None
    if rest_size:
        a, b = int(row["count"]), int(row["rest_count"])
        total = a + b
        expected = [group_size * total / (group_size + rest_size),
                    rest_size * total / (group_size + rest_size)]
        g2 = power_divergence([a, b], expected, lambda_="log-likelihood").statistic
        assert row["keyness_g2"] == pytest.approx(g2, abs=0.01)
    assert (frame["keyness_g2"] > 0).all()  # only words a group says more than the rest


def test_kwic_finds_every_occurrence_with_attribution(talk):
    lines = kwic(talk, "waiting list*", width=20)
    # Bob twice ("Waiting lists", "waiting list"), Ann once; the interviewer's left out
    assert [ln.keyword.lower() for ln in lines] == ["waiting lists", "waiting list",
                                                    "waiting list"]
    assert all(len(ln.left) <= 21 and len(ln.right) <= 21 for ln in lines)
    text = reading.load_doc(talk, "talk").text
    assert all(text[ln.start:ln.end] == ln.keyword for ln in lines)
    school = kwic(talk, "waiting list*", where={"stakeholder_type": ["school_staff"]})
    assert len(school) == 1 and school[0].stakeholder_type == "school_staff"
    assert len(kwic(talk, "waiting list", include_interviewer=True)) == 3


def test_cli_words_and_search(talk, run):
    path = talk.path
    talk.close()
    out = run("words", path, "--format", "json", "--min-count", "1")
    assert out.exit_code == 0, out.output
    words = {w["word"]: w["count"] for w in json.loads(out.output)["words"]}
    assert words["referral"] == 5
    out = run("search", path, "referr*", "--kwic")
    assert out.exit_code == 0
    assert len([ln for ln in out.output.splitlines() if "referr" in ln.lower() and "[" in ln]) == 5
    bad = run("search", path, "x", "--where", "site")
    assert bad.exit_code == 1 and "FIELD=VALUE" in bad.output
