"""The real podcast transcripts in ../shared/testdata (CC BY-SA 4.0, Changelog Media)."""

from pathlib import Path

import pytest

from qual_coder.core.transcripts import count_words
from qual_coder.importers import read_transcript
from tests.conftest import shared_transcripts

EXPECTED = {  # speakers and word counts as the testdata README lists them
    "js-party-228.md": (12_913, 9),
    "go-time-163.md": (8_826, 4),
    "practical-ai-139.md": (6_995, 2),
    "ship-it-9.md": (7_721, 2),
}
PSEUDO = {"Break", "Jingle"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_podcast_transcripts_import_with_their_speakers(name):
    path = next(p for p in shared_transcripts() if p.name == name)
    parsed = read_transcript(path)
    words, speakers = EXPECTED[name]
    assert count_words(parsed.text) == words
    assert len(set(parsed.speakers) - PSEUDO) == speakers
    assert parsed.text == path.read_text(encoding="utf-8")
    for turn in parsed.turns:
        said = parsed.text[turn.start:turn.end]
        assert said == said.strip() and not said.startswith("**")


def test_emoji_outside_the_bmp_keep_code_point_offsets():
    path = next(p for p in shared_transcripts() if p.name == "go-time-163.md")
    parsed = read_transcript(Path(path))
    astral = [i for i, ch in enumerate(parsed.text) if ord(ch) > 0xFFFF]
    assert astral, "the fixture has emoji outside the BMP"
    turn = next(t for t in parsed.turns if t.start <= astral[0] < t.end)
    assert parsed.text[astral[0]] == parsed.text[turn.start:turn.end][astral[0] - turn.start]
