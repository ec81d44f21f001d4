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


def read_cues(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return read_transcript(path)


def test_zoom_names_with_a_role_in_brackets(tmp_path):
    vtt = ("WEBVTT\n\n1\n00:00:09.000 --> 00:00:12.000\nSarah (CCG lead): We fund two teams.\n\n"
           "2\n00:00:12.500 --> 00:00:14.000\nAnd a helpline.\n\n"
           "3\n00:00:15.000 --> 00:00:16.000\nInterviewer: Since when?\n")
    parsed = read_cues(tmp_path, "zoom.vtt", vtt)
    assert turns(parsed) == [("Sarah", "We fund two teams. And a helpline.", "00:00:09"),
                             ("Interviewer", "Since when?", "00:00:15")]
    assert parsed.roles == {"Sarah": "CCG lead"}


def test_a_parenthesised_name_opening_a_cue_and_a_change_inside_one(tmp_path):
    vtt = ("WEBVTT\n\n00:00:08.000 --> 00:00:12.000\n(Dana Fisher)\nI wanted to start with\n\n"
           "00:00:12.000 --> 00:00:16.000\n(Dana Fisher)\nyour background.\n-\n(Ravi Mehta)\n"
           "School-wise or life-wise?\n\n00:00:16.000 --> 00:00:18.000\n(laughs) Both.\n")
    assert [(s, t) for s, t, _ in turns(read_cues(tmp_path, "cues.vtt", vtt))] == [
        ("Dana Fisher", "I wanted to start with your background."),
        ("Ravi Mehta", "School-wise or life-wise? (laughs) Both."),
    ]


def test_srt_with_broadcast_chevrons(tmp_path):
    srt = ("1\n00:00:01,000 --> 00:00:02,000\n>> PRESENTER: Good evening.\n\n"
           "2\n00:00:02,500 --> 00:00:04,000\nTonight, schools.\n\n"
           "3\n00:00:04,500 --> 00:00:06,000\n>> HEAD TEACHER: Thank you.\n")
    assert [s for s, _, _ in turns(read_cues(tmp_path, "news.srt", srt))] == [
        "PRESENTER", "HEAD TEACHER"]


def test_zoom_names_written_surname_comma_given(tmp_path):
    """Zoom writes display names as people set them, "Okafor, Grace" among them; a cue
    opening "Yes, Grace:" is still words said, not a speaker."""
    path = tmp_path / "zoom.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nOkafor, Grace: Can everyone hear me?\n\n"
        "2\n00:00:03.500 --> 00:00:06.000\nLindqvist, Tom: Yes, loud and clear.\n\n"
        "3\n00:00:06.500 --> 00:00:09.000\nYes, Grace: I will go first.\n", encoding="utf-8")
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["Okafor, Grace", "Lindqvist, Tom"]
    assert "Yes, Grace: I will go first." in parsed.text
