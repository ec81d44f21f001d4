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
