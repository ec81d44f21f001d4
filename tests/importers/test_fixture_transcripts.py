"""Transcripts laid out as real tools and archives export them (tests/fixtures/transcripts,
see its README): who said which sentence, turns, roles, and what is no one's."""

from pathlib import Path

from qual_coder.importers import read_transcript

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def read(name):
    return read_transcript(FIXTURES / name)


def said_by(parsed, sentence):
    at = parsed.text.index(sentence)
    return next(t.speaker for t in parsed.turns if t.start <= at < t.end)


def test_archive_oral_history_with_surname_labels():
    parsed = read("oral_history_surnames.txt")
    assert parsed.speakers == ["Nowak-Reid", "Ellison"]
    assert parsed.turn_counts() == {"Nowak-Reid": 4, "Ellison": 4}
    assert parsed.roles == {"Nowak-Reid": "Interviewer"}  # from "Interviewed by"
    header = parsed.turns[0]
    assert header.speaker is None
    assert "Interviewed by Tomasz" in parsed.text[header.start:header.end]
    assert said_by(parsed, "four doors and nobody knew") == "Ellison"  # a second paragraph
    assert said_by(parsed, "Why weren't you supposed to?") == "Nowak-Reid"


def test_rev_export():
    parsed = read("rev_export.txt")
    assert [t.speaker for t in parsed.turns] == ["Speaker 1", "Priya Raman"] * 3
    assert said_by(parsed, "about half the calls end") == "Priya Raman"
    assert [t.timestamp for t in parsed.turns][:3] == ["00:00", "00:04", "00:09"]


def test_otter_export():
    parsed = read("otter_export.txt")
    assert parsed.turn_counts() == {"Jamal Hussein": 3, "Claire Dunmore": 2}
    assert said_by(parsed, "For that mix of people") == "Jamal Hussein"
    assert parsed.turns[-1].timestamp == "0:26"


def test_zoom_captions_with_roles():
    parsed = read("zoom_roles.vtt")
    assert [t.speaker for t in parsed.turns] == ["Helen Achebe", "Sarah Okafor",
                                                 "Gareth Lloyd", "Helen Achebe"]
    assert parsed.roles == {"Helen Achebe": "Facilitator", "Sarah Okafor": "CCG lead",
                            "Gareth Lloyd": "SENCo"}
    assert said_by(parsed, "We'd talked about it for years") == "Sarah Okafor"
    assert parsed.spoken_words() == 48  # "[laughs]" is not a word said


def test_teams_captions():
    parsed = read("teams_voices.vtt")
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Kemi Adeyemi", "Interviewer"]
    assert said_by(parsed, "which is a lot of hats") == "Kemi Adeyemi"


def test_markdown_names_alone_with_front_matter():
    parsed = read("name_alone.md")
    assert parsed.speakers == ["FACILITATOR", "DAVID", "AMIRA"]
    assert said_by(parsed, "still asks for the parent's consent") == "AMIRA"
    assert said_by(parsed, "Which is the bit that stops us.") == "DAVID"
    assert "[laughter]" in parsed.text and "*" not in parsed.text
    assert parsed.turns[0].speaker is None  # front matter and the heading


def test_teams_word_export_surname_comma_given(tmp_path):
    """Teams' Word transcript: `Surname, Given (Organisation)   0:03` alone on a line, the
    words below; one speaker's consecutive paragraphs are one turn. Read from a real .docx
    written with the same paragraphs, as Teams writes it, and from its text."""
    from docx import Document

    lines = (FIXTURES / "teams_word_export.txt").read_text(encoding="utf-8").splitlines()
    doc = Document()
    for line in lines:
        if line.strip():
            doc.add_paragraph(line)
    doc.save(tmp_path / "teams.docx")
    for parsed in (read("teams_word_export.txt"), read_transcript(tmp_path / "teams.docx")):
        assert parsed.turn_counts() == {"Okafor, Grace": 3, "Lindqvist, Tom": 2,
                                        "Bello, Ama": 2}
        assert parsed.roles == {"Okafor, Grace": "NHS Eastbridge"}
        assert said_by(parsed, "how I know the referral form") == "Lindqvist, Tom"
        assert said_by(parsed, "stopped sending everything") == "Bello, Ama"
        assert parsed.turns[0].speaker is None  # the "Transcript" title and date
        assert [t.timestamp for t in parsed.turns if t.speaker][:2] == ["0:03", "0:11"]


def test_descript_markdown_bold_name_and_time_line():
    parsed = read("descript_export.md")
    assert parsed.turn_counts() == {"Grace Okafor": 2, "Ama Bello": 2}
    assert said_by(parsed, "which somebody did read") == "Ama Bello"  # a second paragraph
    assert said_by(parsed, "after the second workshop") == "Grace Okafor"  # emphasis gone
    assert "\\[" not in parsed.text and "**" not in parsed.text
    assert parsed.turns[-1].timestamp == "00:00:19"


def test_table_export_one_row_an_utterance():
    """Sonix-style CSV: consecutive rows by one speaker are one turn, an empty speaker
    cell continues the turn above, the start time is the turn's timestamp."""
    parsed = read("sonix_export.csv")
    assert [t.speaker for t in parsed.turns] == ["Grace Okafor", "Tom Lindqvist",
                                                 "Grace Okafor", "Tom Lindqvist"]
    assert said_by(parsed, 'know the referral form "far too well"') == "Tom Lindqvist"
    assert said_by(parsed, "If anything.") == "Grace Okafor"
    assert [t.timestamp for t in parsed.turns] == ["00:00:01.200", "00:00:06.100",
                                                   "00:00:17.000", "00:00:22.000"]
    assert parsed.how["Tom Lindqvist"] == "table column 'Speaker'"
    assert parsed.spoken_words() == 55  # labels and times are not words said


def test_tab_separated_export_with_seconds():
    parsed = read("trint_export.tsv")
    assert parsed.turn_counts() == {"Grace Okafor": 2, "Tom Lindqvist": 1}
    assert [t.timestamp for t in parsed.turns] == ["00:00:01", "00:00:06", "00:01:05"]


def test_a_table_without_speaker_and_text_columns_is_refused_by_name(tmp_path):
    import pytest

    from qual_coder.errors import ImportRefused

    path = tmp_path / "survey.csv"
    path.write_text("respondent_id,q1,q2\n1,4,5\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"survey.csv: row 1 should name a speaker column"):
        read_transcript(path)


def test_whisperx_diarised_captions():
    """WhisperX writes the diarised speaker as `[SPEAKER_00]:` at the start of a cue; a
    cue without one continues its speaker; `[laughs]` is not a speaker."""
    parsed = read("whisperx_diarised.srt")
    assert [t.speaker for t in parsed.turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00",
                                                 "SPEAKER_01"]
    assert said_by(parsed, "two of the special schools") == "SPEAKER_01"
    assert said_by(parsed, "That's a lot of schools") == "SPEAKER_00"
    assert parsed.spoken_words() == 46  # "[laughs]" is not a word said


def test_speech_to_text_json_segments():
    """WhisperX's segments (start in seconds, a segment with no speaker continues the
    one before) and AssemblyAI's utterances (start in milliseconds)."""
    parsed = read("whisperx_segments.json")
    assert [t.speaker for t in parsed.turns] == ["SPEAKER_00", "SPEAKER_01"]
    assert said_by(parsed, "two of the special schools") == "SPEAKER_01"
    assert said_by(parsed, "That's a lot of schools") == "SPEAKER_01"  # no speaker: continues
    assert [t.timestamp for t in parsed.turns] == ["00:00:00", "00:00:03"]
    parsed = read("assemblyai_utterances.json")
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("A", "00:00:00"), ("B", "00:00:03"), ("A", "00:01:05")]
    assert said_by(parsed, "about eight months") == "B"


def test_table_speakers_are_taken_as_written(tmp_path):
    """A speaker cell is that speaker whatever it holds: "Surname, Given", a name opening
    with a digit, a role in brackets (which becomes the role)."""
    path = tmp_path / "export.csv"
    path.write_text('Speaker,Start,Text\n"Okafor, Grace",00:00:01,Hello there.\n'
                    '"Lindqvist, Tom",00:00:03,Hi Grace.\n'
                    '"Dr. Ama Bello-Smith (SENCo, Northmoor)",00:00:05,Morning all.\n'
                    '5th year student,00:00:07,Hello.\n', encoding="utf-8")
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["Okafor, Grace", "Lindqvist, Tom",
                                                 "Dr. Ama Bello-Smith", "5th year student"]
    assert parsed.roles == {"Dr. Ama Bello-Smith": "SENCo, Northmoor"}
    assert said_by(parsed, "Hi Grace.") == "Lindqvist, Tom"
