from qual_coder.importers.text import parse_text


def spans(parsed):
    return [(t.speaker, parsed.text[t.start:t.end], t.timestamp) for t in parsed.turns]


def test_plain_labels_with_continuation_and_paragraphs():
    text = ("Interviewer: How did it go?\n"
            "Jane Smith: Well, it was good.\nAnd more here.\n\nA second paragraph.\n"
            "Interviewer: Thanks.\n")
    assert spans(parse_text(text)) == [
        ("Interviewer", "How did it go?", None),
        ("Jane Smith", "Well, it was good.\nAnd more here.\n\nA second paragraph.", None),
        ("Interviewer", "Thanks.", None),
    ]


def test_text_is_kept_verbatim_and_offsets_are_code_points():
    text = "P1: café 🙂 naïve\nP2: ok 😀\n"
    parsed = parse_text(text)
    assert parsed.text == text
    assert spans(parsed) == [("P1", "café 🙂 naïve", None), ("P2", "ok 😀", None)]
    assert parsed.turns[1].start == text.index("ok")


def test_all_label_forms():
    text = (
        "**Mat Ryer:** Hello \\[04:11\\] there\n\n"
        "**Paul Jolly:** \\[04:12\\] Hi, Mat.\n\n"
        "[00:01:02] Sam Jones: with a bracket stamp\n"
        "Sam Jones (00:01:09): with a paren stamp\n"
        "Dev Patel  00:05\nOtter puts the words below\n\n"
        "NAME: shouting label\n"
        "Q: a question\nA: an answer\n"
    )
    assert spans(parse_text(text)) == [
        ("Mat Ryer", "Hello \\[04:11\\] there", None),
        ("Paul Jolly", "Hi, Mat.", "04:12"),
        ("Sam Jones", "with a bracket stamp", "00:01:02"),
        ("Sam Jones", "with a paren stamp", "00:01:09"),
        ("Dev Patel", "Otter puts the words below", "00:05"),
        ("NAME", "shouting label", None),
        ("Q", "a question", None),
        ("A", "an answer", None),
    ]


def test_one_off_colon_lines_are_not_speakers():
    text = ("Interview, Site A\nDate: 2016-07-01\n\n"
            "Interviewer: Tell me more.\nSarah: For example: the referral form.\n"
            "Note: this line continues Sarah's turn.\nInterviewer: Thanks.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Interviewer", "Sarah"]
    assert parsed.turns[0].speaker is None  # the header is kept, as no one's turn
    assert "Note: this line" in parsed.text[parsed.turns[2].start:parsed.turns[2].end]


def test_known_speakers_from_manifest_are_trusted_over_guesses():
    text = "Kelsey Vale review: notes\nDev: hello\nBen: hi\nDev: bye\n"
    parsed = parse_text(text, known_speakers={"Dev", "Ben"})
    assert parsed.speakers == ["Dev", "Ben"]


def test_times_and_urls_are_not_labels():
    text = "Interviewer: When?\nJo: At 10:30 we met, see https://example.org\nJo: ok\n"
    assert [t.speaker for t in parse_text(text).turns] == ["Interviewer", "Jo", "Jo"]


def test_no_labels_becomes_one_speaker_with_a_warning():
    parsed = parse_text("Just some notes.\nMore notes.\n\nAnother paragraph.\n")
    assert parsed.speakers == ["Speaker"]
    assert len(parsed.turns) == 2
    assert parsed.warnings and "no speaker labels" in parsed.warnings[0]


def test_a_single_speaker_in_a_focus_group_is_found_once_others_are_known():
    text = ("Facilitator: Who wants to start?\nAisha: Me.\nFacilitator: Go on.\n"
            "Aisha: It was good.\nGemma Hart: I only speak once.\nFacilitator: Thanks.\n")
    assert "Gemma Hart" in parse_text(text).speakers


def test_titles_repeated_for_every_record_are_not_speakers():
    # A comment-thread export (as in the real NVivo project): each comment repeats its
    # video's "Topic: title" line. People say something new each turn; titles repeat.
    records = []
    for title in ("Vaccines: what the law says", "Vaccines: a third dose?"):
        for n in range(4):
            records.append(f"{title}\n@user{n}\nComment number {n} about {title[10:]}\n")
    parsed = parse_text("".join(records))
    assert parsed.speakers == ["Speaker"]
    # ...while a participant who keeps saying "Yes." among other things stays a speaker
    group = "".join(f"Moderator: Question {n}?\nP3: Yes.\nP4: Answer {n}.\n" for n in range(6))
    group += "P3: Well, it depends on the school.\n"
    assert parse_text(group).speakers == ["Moderator", "P3", "P4"]
