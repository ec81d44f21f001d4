import pytest

from qual_coder.errors import ImportRefused
from qual_coder.importers import read_transcript

TEAMS = """WEBVTT

00:00:01.000 --> 00:00:03.000
<v Nadia Hussain>Yes, I can hear you.</v>

00:00:03.500 --> 00:00:06.000
<v Nadia Hussain>The video's a bit jumpy.</v>

00:00:07.000 --> 00:00:09.000
<v Interviewer>No problem.</v>
"""

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Janine: I have someone to call.

2
00:00:03.100 --> 00:00:05.000
Kemi, the link worker.

3
00:01:05.000 --> 00:01:07.000
Stuart: Better referrals.
"""

SRT = ("1\r\n00:00:01,000 --> 00:00:02,500\r\nAngela Brooks: It came at the right time.\r\n\r\n"
       "2\r\n00:00:02,600 --> 00:00:04,000\r\nWe'd just written the plan.\r\n\r\n"
       "3\r\n00:00:04,500 --> 00:00:05,000\r\nInterviewer: Did you attend?\r\n")


def turns(parsed):
    return [(t.speaker, parsed.text[t.start:t.end], t.timestamp) for t in parsed.turns]


def test_teams_voice_tags_join_consecutive_cues(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(TEAMS)
    assert turns(read_transcript(path)) == [
        ("Nadia Hussain", "Yes, I can hear you. The video's a bit jumpy.", "00:00:01"),
        ("Interviewer", "No problem.", "00:00:07"),
    ]


def test_zoom_prefixes_and_unlabelled_continuation_cues(tmp_path):
    path = tmp_path / "zoom.vtt"
    path.write_text(ZOOM)
    assert turns(read_transcript(path)) == [
        ("Janine", "I have someone to call. Kemi, the link worker.", "00:00:01"),
        ("Stuart", "Better referrals.", "00:01:05"),
    ]


def test_srt_with_crlf(tmp_path):
    path = tmp_path / "call.srt"
    path.write_bytes(SRT.encode("utf-8"))
    parsed = read_transcript(path)
    assert turns(parsed) == [
        ("Angela Brooks", "It came at the right time. We'd just written the plan.", "00:00:01"),
        ("Interviewer", "Did you attend?", "00:00:04"),
    ]
    assert parsed.text.startswith("Angela Brooks: It came")


@pytest.mark.parametrize("suffix,body", [
    (".vtt", "not a caption file at all\n"),
    (".vtt", "WEBVTT\n\nnonsense --> 00:00\nhello\n"),
    (".srt", "1\nnot a time\nhello\n"),
])
def test_broken_caption_files_are_refused(tmp_path, suffix, body):
    path = tmp_path / f"broken{suffix}"
    path.write_text(body)
    with pytest.raises(ImportRefused) as err:
        read_transcript(path)
    assert str(path) in str(err.value)
