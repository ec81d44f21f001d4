"""Words as people write them: counts with their nouns, formula cells defused."""

from qual_coder.core.text import defuse, plural, undefuse


def test_plural_says_one_thing_and_many_things():
    assert plural(1, "coding") == "1 coding"
    assert plural(0, "coding") == "0 codings"
    assert plural(2, "match") == "2 matches"
    assert plural(23538, "word") == "23,538 words"
    assert plural(1, "interviewer", "interviewers") == "1 interviewer"
    assert plural(3, "person", "people") == "3 people"


def test_defused_cells_read_back_as_they_were():
    for value in ("=SUM(A1)", "+1", "-x", "@here", "plain", "'quoted"):
        assert undefuse(str(defuse(value))) == value
    assert not str(defuse("=1")).startswith("=")


def test_no_output_says_one_thing_in_the_plural(demo_path, run, tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Interviewer: Hello?\nPriya: Hi.\n")
    out = run("import", demo_path, one).output
    assert "1 transcript," in out and "1 transcripts" not in out
    assert "1 turns" not in out and "1 words" not in out
