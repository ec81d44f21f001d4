"""The real podcast transcripts in ../shared/testdata (CC BY-SA 4.0, Changelog Media)."""

from pathlib import Path

import pytest

from qual_coder.importers import read_transcript
from tests.conftest import shared_transcripts

EXPECTED = {  # speakers and word counts as the testdata README lists them
    "js-party-228.md": (12_913, 9),
    "go-time-163.md": (8_826, 4),
    "practical-ai-139.md": (6_995, 2),
    "ship-it-9.md": (7_721, 2),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_podcast_transcripts_import_with_their_speakers(name):
    path = next(p for p in shared_transcripts() if p.name == name)
    parsed = read_transcript(path)
    words, speakers = EXPECTED[name]
    raw = path.read_text(encoding="utf-8")
    assert len(raw.split()) == words
    # "**Break:**" and "**Jingle:**" are stage directions, not people
    assert len(parsed.speakers) == speakers
    assert not {"Break", "Jingle"} & set(parsed.speakers)
    # Markdown is read as Markdown: no bold markers or escapes are left in the text
    assert "\n**" not in parsed.text and "\\[" not in parsed.text
    # labels, "[laughs]" and "[04:05]" are not words anyone said
    assert parsed.spoken_words() < words - len(parsed.turns)
    for turn in parsed.turns:
        said = parsed.text[turn.start:turn.end]
        assert said == said.strip() and not said.startswith("**")


def said_by(parsed, sentence):
    at = parsed.text.index(sentence)
    return next(t.speaker for t in parsed.turns if t.start <= at < t.end)


def test_who_said_which_sentence_in_a_real_podcast():
    path = next(p for p in shared_transcripts() if p.name == "js-party-228.md")
    parsed = read_transcript(path)
    assert said_by(parsed, "Remix is a web framework") == "Kent C. Dodds"
    assert said_by(parsed, "Pat yourself on the back for that.") == "Ali Spittel"
    assert said_by(parsed, "Welcome to JS Party!") == "Divya"
    # the timestamp opening a turn is the turn's, the escape is gone from the text
    turn = next(t for t in parsed.turns if parsed.text[t.start:].startswith("Yeah, I would love"))
    assert turn.timestamp == "04:05"
    assert "That's you. [laughs]" in parsed.text


def test_emoji_outside_the_bmp_keep_code_point_offsets():
    path = next(p for p in shared_transcripts() if p.name == "go-time-163.md")
    parsed = read_transcript(Path(path))
    astral = [i for i, ch in enumerate(parsed.text) if ord(ch) > 0xFFFF]
    assert astral, "the fixture has emoji outside the BMP"
    turn = next(t for t in parsed.turns if t.start <= astral[0] < t.end)
    assert parsed.text[astral[0]] == parsed.text[turn.start:turn.end][astral[0] - turn.start]


# -- every real transcript there is, whatever its layout ---------------------------------

def _real_files() -> list[Path]:
    from qual_coder.importers import SUFFIXES
    from tests.conftest import SHARED_TRANSCRIPTS

    if not SHARED_TRANSCRIPTS.is_dir():
        return []
    return sorted(p for p in SHARED_TRANSCRIPTS.iterdir() if p.suffix.lower() in SUFFIXES)


_STAGE_NAMES = {"break", "jingle", "music", "intro", "outro", "laughter", "laughs",
                "crosstalk", "applause", "ad", "sponsor", "silence", "inaudible"}


@pytest.mark.parametrize("path", _real_files() or [pytest.param(
    None, marks=pytest.mark.skip(reason="../shared/testdata is not beside this checkout"))],
    ids=lambda p: p.name if p else "none")
def test_every_real_transcript_reads_as_a_careful_reader_would(path, tmp_path):
    """Any transcript added to ../shared/testdata/transcripts is held to this: speakers
    found, turns in order and trimmed, no stage direction taken for a person, no label
    left at the start of its own turn, words said no more than the words there, and the
    preview (--dry-run) showing what the import then stores."""
    from qual_coder import services
    from qual_coder.services import reading
    from qual_coder.storage import init_project

    parsed = read_transcript(path)
    assert parsed.speakers, "no speaker found"
    assert not {s.lower() for s in parsed.speakers} & _STAGE_NAMES
    previous_end = 0
    for turn in parsed.turns:
        said = parsed.text[turn.start:turn.end]
        assert said and said == said.strip()
        assert previous_end <= turn.start < turn.end <= len(parsed.text)
        previous_end = turn.end
        if turn.speaker:
            assert not said.startswith((f"{turn.speaker}:", f"**{turn.speaker}")), said[:80]
    assert 0 < parsed.spoken_words() <= len(parsed.text.split())
    if path.suffix.lower() in {".md", ".markdown"}:
        assert "\\[" not in parsed.text and "\n**" not in parsed.text
    preview = services.preview_transcripts([path])[0]
    with init_project(tmp_path / "p.db") as project:
        report = services.import_transcripts(project, [path])
        stored = reading.turns(project, report.imported[0]["id"])
    assert [s["label"] for s in preview["speakers"]] == parsed.speakers
    assert preview["turns"] == len(parsed.turns) == report.imported[0]["turns"] == len(stored)
    assert preview["words"] == parsed.spoken_words() == report.imported[0]["words"]
