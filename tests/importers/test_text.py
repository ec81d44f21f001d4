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
            "Note: the transcriber's, not Sarah's.\nInterviewer: Thanks.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Interviewer", "Sarah"]
    assert parsed.turns[0].speaker is None  # the header is kept, as no one's turn
    assert [(t.speaker, parsed.text[t.start:t.end]) for t in parsed.turns[2:4]] == [
        ("Sarah", "For example: the referral form."),
        (None, "Note: the transcriber's, not Sarah's.")]


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


def said_by(parsed, sentence):
    at = parsed.text.index(sentence)
    return next(t.speaker for t in parsed.turns if t.start <= at < t.end)


def test_a_role_in_brackets_is_the_role_not_part_of_the_name():
    text = ("[00:00:02] Interviewer: What does the school offer?\n"
            "[00:00:09] Sarah Okafor (CCG lead): We commission the team.\n"
            "Ashlee Kupor (SL): And we refer to it.\n"
            "Interviewer: Thanks.\n"
            "Ashlee Kupor (SL): Twice a term.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Interviewer", "Sarah Okafor", "Ashlee Kupor"]
    assert parsed.roles == {"Sarah Okafor": "CCG lead", "Ashlee Kupor": "SL"}
    assert said_by(parsed, "We commission") == "Sarah Okafor"
    assert said_by(parsed, "Twice a term") == "Ashlee Kupor"
    assert parsed.turns[1].timestamp == "00:00:09"


def test_rev_labels_with_bare_timestamp_continuations():
    text = ("Speaker 1 (00:00):\nWelcome, and thanks for joining.\n\n"
            "Dr Amina Rahman (00:04):\nHappy to.\n\n"
            "(00:41):\nAs I was saying, the waiting list.\n\n"
            "Speaker 1 (01:10):\nRight.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Speaker 1", "Dr Amina Rahman"]
    assert [t.speaker for t in parsed.turns] == ["Speaker 1", "Dr Amina Rahman", "Speaker 1"]
    assert said_by(parsed, "the waiting list") == "Dr Amina Rahman"
    assert parsed.spoken_words() == 5 + 2 + 7 + 1  # "(00:41):" is not a word said


def test_speaker_with_timestamp_alone_and_otter_single_space():
    text = ("Speaker 1 [00:00:05]\nHow did the referral go?\n\nSpeaker 2 [00:00:09]\n"
            "Slowly.\n\nTom Pravda 0:15\nOtter puts words below.\n")
    assert spans(parse_text(text)) == [
        ("Speaker 1", "How did the referral go?", "00:00:05"),
        ("Speaker 2", "Slowly.", "00:00:09"),
        ("Tom Pravda", "Otter puts words below.", "0:15"),
    ]


def test_name_alone_above_its_paragraphs():
    text = ("Interview with a school nurse, 2019\n\n"
            "MARGARET ELLIS\nI started in 1998.\n\nThe job was different then.\n\n"
            "JOHN BRAY\nDifferent how?\n\n"
            "MARGARET ELLIS\nFewer referrals, more time.\n\nJOHN BRAY\nI see.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["MARGARET ELLIS", "JOHN BRAY"]
    assert parsed.turns[0].speaker is None  # the title line is no one's
    assert said_by(parsed, "The job was different then.") == "MARGARET ELLIS"
    assert said_by(parsed, "Different how?") == "JOHN BRAY"
    assert parsed.how["JOHN BRAY"].startswith("name alone")


def test_q_dot_and_short_conventional_labels():
    assert parse_text("Q. Where?\nA. Here.\nQ. When?\nA. Now.\n").speakers == ["Q", "A"]
    parsed = parse_text("I: Tell me.\nR: It was fine.\nI: Go on.\n")
    assert parsed.speakers == ["I", "R"]


def test_oral_history_header_is_not_speakers_and_gives_roles():
    text = ("ORAL HISTORY PROJECT: CHILDREN'S SERVICES\n"
            "INTERVIEWEE: Doreen Walsh\nINTERVIEWER: Peter Hale\n"
            "DATE: 14 March 2003\nPLACE: Leeds\nTRANSCRIBER: K. Osei\n\n"
            "HALE: Where were you working then?\n"
            "WALSH: At the child guidance clinic.\n"
            "HALE: And before that?\nWALSH: Teaching.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["HALE", "WALSH"]
    assert parsed.roles == {"HALE": "Interviewer", "WALSH": "Interviewee"}
    assert parsed.turns[0].speaker is None
    assert "PLACE: Leeds" in parsed.text[parsed.turns[0].start:parsed.turns[0].end]


def test_interviewer_label_with_speech_is_still_a_speaker():
    parsed = parse_text("Interviewer: Tell me about your role.\nSam: I lead the team.\n"
                        "Interviewer: Thanks.\nSam: Pleasure.\n")
    assert parsed.speakers == ["Interviewer", "Sam"]


def test_stage_directions_are_not_speakers_and_not_words():
    text = ("**Host:** Welcome back. [laughs]\n\n**Break:** \\[26:20\\]\n\n"
            "**Guest:** Thanks <crew talk> for having me. (laughs)\n\n**Jingle:** \\[27:00\\]\n\n"
            "**Host:** So.\n\n**Host:** Again.\n")
    parsed = parse_text(text, "markdown")
    assert parsed.speakers == ["Host", "Guest"]
    assert [t.speaker for t in parsed.turns] == ["Host", None, "Guest", None, "Host", "Host"]
    assert parsed.how["Break"].startswith("stage direction")
    assert parsed.spoken_words() == 2 + 4 + 1 + 1
    assert "Welcome back. [laughs]" in parsed.text  # kept in the text, unescaped


def test_markdown_markup_is_removed_and_offsets_follow():
    text = ("# Focus group, Site B\n\n**Facilitator:** What *really* helps? See "
            "[the guide](https://example.org/g) \\[crosstalk\\]\n\n"
            "**P1:** The __named__ worker, snake_case_stays.\n\n**P1:** Twice.\n")
    parsed = parse_text(text, "markdown")
    assert parsed.text.startswith("Focus group, Site B\n\nFacilitator: What really helps?")
    assert spans(parsed)[1:] == [
        ("Facilitator", "What really helps? See the guide [crosstalk]", None),
        ("P1", "The named worker, snake_case_stays.", None),
        ("P1", "Twice.", None),
    ]


def test_ocr_slips_are_read_as_the_frequent_speaker_and_listed():
    turns = "".join(f"Yeager: Answer {n}.\nMoss: Question {n}?\n" for n in range(5))
    text = turns + "Yeagei:r: A slip of the scanner.\nMOSS: Shouted once.\n"
    parsed = parse_text(text)
    assert parsed.speakers == ["Yeager", "Moss"]
    assert said_by(parsed, "A slip of the scanner.") == "Yeager"
    assert said_by(parsed, "Shouted once.") == "Moss"
    assert any("Yeagei:r" in a and "Yeager" in a for a in parsed.ambiguous)


def test_front_matter_is_header():
    text = ("---\ntitle: Interview 4\ndate: 2024-01-02\nspeakers: Jo, Ann\n---\n\n"
            "Jo: Hi.\nAnn: Hello.\nJo: Bye.\nAnn: Bye.\n")
    parsed = parse_text(text, "markdown")
    assert parsed.speakers == ["Jo", "Ann"]
    assert parsed.turns[0].speaker is None


def test_parsing_is_linear_in_turns():
    # 40,000 turns: the quadratic heading check took minutes at this size
    import time
    text = "".join(f"Speaker {n % 7}: turn number {n} says something new\n"
                   for n in range(40_000))
    began = time.perf_counter()
    parsed = parse_text(text)
    assert len(parsed.turns) == 40_000
    assert time.perf_counter() - began < 20  # generous: a regression is minutes, not seconds


def test_zoom_text_names_in_brackets_and_bare_timestamps_before_names():
    zoom = ("[Sarah Jones] 10:03:32\nWe started in May.\n\n[Tom Lee] 10:03:40\nRight. [laughs]\n"
            "\n[Sarah Jones] 10:04:01\nYes.\n")
    assert spans(parse_text(zoom)) == [("Sarah Jones", "We started in May.", "10:03:32"),
                                       ("Tom Lee", "Right. [laughs]", "10:03:40"),
                                       ("Sarah Jones", "Yes.", "10:04:01")]
    bare = "00:00:05 Speaker 1: Hello there.\n00:00:09 Speaker 2: Hi.\n00:00:12 Speaker 1: Bye.\n"
    assert [t.timestamp for t in parse_text(bare).turns] == ["00:00:05", "00:00:09", "00:00:12"]
    # an aside alone on a line stays in the turn; it is nobody's label
    asides = "Interviewer: Tell me.\n[laughs]\nSam: Well.\n[Inaudible]\nInterviewer: Go on.\n"
    assert parse_text(asides).speakers == ["Interviewer", "Sam"]


def test_several_voices_at_once_are_no_one_participant():
    text = ("Facilitator: Who found it useful?\nAll: Yes!\nAmy: Very.\nFacilitator: And?\n"
            "Several voices: [crosstalk]\nAmy: Mostly.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Facilitator", "Amy"]
    assert [t.speaker for t in parsed.turns] == ["Facilitator", None, "Amy", "Facilitator",
                                                 None, "Amy"]
    assert "Yes!" in parsed.text  # kept, unattributed


def test_unknown_and_many_voices_are_no_one_participant():
    text = ("Facilitator: Shall we start with introductions?\nParticipant A: School nurse.\n"
            "Participant B: Head of year.\nMultiple: [laughter]\n"
            "Unknown speaker: Sorry, who's that?\nParticipant A: Me again.\n")
    parsed = parse_text(text)
    assert parsed.speakers == ["Facilitator", "Participant A", "Participant B"]
    assert "Sorry, who's that?" in parsed.text  # kept, unattributed
    assert [t.speaker for t in parsed.turns][3:5] == [None, None]


def test_time_marks_and_meeting_notices_are_in_no_ones_turn():
    """Google Meet puts a time alone on a line every five minutes; meeting tools write
    "Sam started transcription". Neither is anyone's words, nor ends who is speaking."""
    text = ("Review - Transcript\n00:00:00\n\nGrace Okafor: Thanks for joining.\n"
            "Tom Lindqvist: Happy to.\nGrace Okafor: Let us start with the form.\n00:05:00\n\n"
            "Tom Lindqvist: It is four pages long.\nAma Bello: Page three, we never fill in.\n"
            "Grace Okafor started transcription\nwhich nobody ever asked about.\n"
            "Grace Okafor: Why is that?\n")
    parsed = parse_text(text)
    said = {parsed.text[t.start:t.end]: t.speaker for t in parsed.turns}
    assert said["Let us start with the form."] == "Grace Okafor"
    assert said["which nobody ever asked about."] == "Ama Bello"
    assert not any("00:05:00" in s or "started transcription" in s
                   for s, who in said.items() if who)
    assert [t.timestamp for t in parsed.turns if t.speaker == "Tom Lindqvist"] == [None,
                                                                                 "00:05:00"]
    assert parsed.spoken_words() == 30


def test_time_then_name_lines_and_name_then_time_lines():
    """Word's Transcribe export puts `00:00:03 Speaker 1` above the words; Teams' web
    transcript, copied, puts the name, then the time, each alone on a line. A diary's
    `09:15 Arrived at school` is not a speaker."""
    word = ("00:00:00 Speaker 1\nThanks for agreeing to talk.\n\n00:00:04 Speaker 2\nHappy to.\n\n"
            "00:00:07 Speaker 1\nYour role?\n\n00:00:11 Speaker 2\nMental health lead.\n")
    parsed = parse_text(word)
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Speaker 1", "00:00:00"), ("Speaker 2", "00:00:04"), ("Speaker 1", "00:00:07"),
        ("Speaker 2", "00:00:11")]
    teams = ("Okafor, Grace\n0:03\nThanks for joining.\n\nLindqvist, Tom\n0:07\nHappy to.\n\n"
             "Okafor, Grace\n0:10\nShall we start?\n\nLindqvist, Tom\n0:12\nYes, go ahead.\n")
    parsed = parse_text(teams)
    assert [(t.speaker, t.timestamp) for t in parsed.turns][:2] == [
        ("Okafor, Grace", "0:03"), ("Lindqvist, Tom", "0:07")]
    assert parsed.spoken_words() == 11  # names and times are not words said
    diary = "Diary\n\n09:15 Arrived at school\nIt was raining.\n\n10:30 Met the head\nBusy.\n"
    assert parse_text(diary).speakers == ["Speaker"]


def test_the_fast_path_for_plain_labels_reads_every_line_as_the_full_pattern_does():
    """`Name: words` is tried with a small pattern before the full one; on lines built
    from the pieces labels are made of, whenever the small one matches, the full one
    matches the same label by its `name` branch, to the same character."""
    import random

    from qual_coder.importers.text import _LABEL, _PLAIN_LABEL

    pieces = ["Sarah", "Dr Smith", "Nadia Hussain", "O'Brien", "Jean-Luc", "Yeagei:r", "Q",
              "A", "SPEAKER 1", "Speaker 2", "Smith, John", "(SL)", "(CCG lead)", "(00:01)",
              "[00:00:09]", "\\[00:01\\]", "0:03", "10:30", "00:00:05", "words here",
              "(laughs)", "[crosstalk]", "**", "&", "the plan", "Q.", "A.", "P1", "I"]
    glue = [":", " :", ": ", "  ", " ", "\t", ":**", "", ". ", ", "]
    rng = random.Random(14)
    plain = 0
    for _ in range(40_000):
        line = "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(rng.randint(1, 5)))
        if not line or line[0] in " \t#" or (line[1:2] == "." and line[0] in "QA"):
            continue
        fast = _PLAIN_LABEL.match(line)
        if fast is None:
            continue
        plain += 1
        full = _LABEL.match(line)
        assert full is not None and full.lastgroup == "name", line
        assert (full.group("name"), full.end()) == (fast.group("name"), fast.end()), line
    assert plain > 3_000  # the lines exercised the fast path (3,6xx of them)


def test_a_header_names_the_interviewer_and_a_surname_with_particles():
    text = ("INTERVIEWER: Jane Smith\nNARRATOR: Maria de la Cruz\nDATE: 12 May 2019\n\n"
            "SMITH: Where were you born?\n\nDE LA CRUZ: In Manila, in 1948.\n\n"
            "SMITH: And your mother?\n\nDE LA CRUZ: She ran a shop.\n")
    parsed = parse_text(text)
    assert (parsed.speakers, parsed.roles, parsed.names) == (
        ["SMITH", "DE LA CRUZ"], {"SMITH": "Interviewer", "DE LA CRUZ": "Narrator"},
        {"SMITH": "Jane Smith", "DE LA CRUZ": "Maria de la Cruz"})


def test_a_key_above_the_first_turn_says_who_each_label_is():
    parsed = parse_text(
        "Key: JS = Jane Smith (interviewer); MC = Mark Carter (SENCo)\n\n"
        "JS: Thanks for joining.\nMC: Six years now.\nJS: And the CAMHS link?\n"
        "MC: Started last spring.\n")
    assert parsed.speakers == ["JS", "MC"]
    assert parsed.names == {"JS": "Jane Smith", "MC": "Mark Carter"}
    assert parsed.roles == {"JS": "Interviewer", "MC": "SENCo"}
    # only the role; a dash as well as an equals sign; a field that is no speaker's
    parsed = parse_text("Labels: I = interviewer, R = respondent; Duration = 40 minutes\n\n"
                        "I: Where do you work?\nR: A primary school.\nI: Thanks.\nR: Yes.\n")
    assert parsed.roles == {"I": "Interviewer", "R": "Respondent"} and parsed.names == {}
    parsed = parse_text("Speakers: AB – Asha Bell (CAMHS lead)\n\nAB: We triage in a week.\n"
                        "Q: And after?\nAB: It depends.\nQ: Right.\n")
    assert parsed.names == {"AB": "Asha Bell"} and parsed.roles == {"AB": "CAMHS lead"}
    # a manifest's speakers are the manifest's to name
    parsed = parse_text("Key: JS = Jane Smith\n\nJS: Hello.\nMC: Hi.\nJS: Bye.\nMC: Bye.\n",
                        known_speakers={"JS", "MC"})
    assert parsed.names == {}


def test_a_key_names_the_participant_an_import_makes(tmp_path, project):
    from qual_coder import services
    from qual_coder.services import reading

    path = tmp_path / "visit.txt"
    path.write_text("Key: JS = Jane Smith (interviewer); MC = Mark Carter (SENCo)\n\n"
                    "JS: Thanks for joining.\nMC: Six years now.\nJS: And the link?\n"
                    "MC: Started last spring.\n", encoding="utf-8")
    services.import_transcripts(project, [path])
    people = {p["name"]: (p["stakeholder_type"], p["role"])
              for p in reading.participants(project)}
    assert people == {"Jane Smith": ("interviewer", "Interviewer"),
                      "Mark Carter": (None, "SENCo")}


def test_a_transcribers_note_between_paragraphs_is_no_ones():
    parsed = parse_text("SMITH: And your mother?\n\nDE LA CRUZ: She ran a shop. Note: she hated "
                        "it.\nNote: the recording cut out here.\nShe sold fabric, mostly.\n\n"
                        "Transcriber's note: inaudible for ten seconds.\nSMITH: Thanks.\n")
    assert spans(parsed) == [
        ("SMITH", "And your mother?", None),
        ("DE LA CRUZ", "She ran a shop. Note: she hated it.", None),  # said, mid-line
        (None, "Note: the recording cut out here.", None),
        ("DE LA CRUZ", "She sold fabric, mostly.", None),
        (None, "Transcriber's note: inaudible for ten seconds.", None),
        ("SMITH", "Thanks.", None)]
    assert parsed.speakers == ["SMITH", "DE LA CRUZ"]
    assert parsed.spoken_words() == 3 + 8 + 4 + 1


def test_a_surname_two_people_in_the_header_share_names_neither():
    parsed = parse_text("INTERVIEWER: Jane Smith\nNARRATOR: John Smith\nDATE: 1 May 2019\n\n"
                        "SMITH: Where were you born?\n\nJS: Leeds.\n\nSMITH: And then?\n\n"
                        "JS: Hull.\n")
    # SMITH could be either: no name, no role (an interviewer's words leave every count)
    assert "SMITH" not in parsed.names and "SMITH" not in parsed.roles


ORAL_HISTORY = """INTERVIEWEE: Jim Bobrow
INTERVIEWER: Selma Šabanovic with Peter Asaro
DATE: 19 June 2011
PLACE: Boston, MA

ŠABANOVIC: So tell us about your background, where you grew up.

BOBROW: I grew up in New York, in Queens, and went to school there.

ŠABANOVIC: And how did you come to robotics?

BOBROW: Through a summer job, really, at a lab near the river.

ASARO: Which lab was that?

BOBROW: The one at the university, on the third floor.
"""


def test_an_oral_history_header_is_no_ones_turn_with_or_without_a_manifest():
    from qual_coder.importers.text import parse_text

    for known in (None, {"ŠABANOVIC", "BOBROW", "ASARO"}):
        parsed = parse_text(ORAL_HISTORY, known_speakers=known)
        assert parsed.speakers == ["ŠABANOVIC", "BOBROW", "ASARO"], known
        assert parsed.turns[0].speaker is None  # the header block
        assert parsed.roles["ASARO"] == "Interviewer" and parsed.roles["BOBROW"] == "Interviewee"
    assert parse_text(ORAL_HISTORY).names["ASARO"] == "Peter Asaro"  # "A with B" names both


OCR_TYPESCRIPT = (
    "Transcript of a meeting, 1982. Typed from the tape.\r\r"
    "French: I think we should begin with the members who were here last year.\r"
    "Jones: Agreed. We have the list.\r"
    "French: Then who is new in this group? Jones: Two, I believe. French: Well, I'm trying "
    "to think who they are.\r"
    "Jones: The teacher from the east side, and the nurse.\r"
    "Fr-eono.h: And the nurse has been with us before, in seventy-nine.\r"
    "Jones: So only one is new. French: Yes, one. Good.\r"
    "French: Then let us go on to the budget.\r")


def test_an_ocr_typescript_splits_labels_run_on_mid_line_and_joins_its_slips(tmp_path):
    from qual_coder.importers import read_transcript

    path = tmp_path / "meeting1982.txt"
    path.write_bytes(OCR_TYPESCRIPT.encode("utf-8"))
    parsed = read_transcript(path, path.read_bytes())
    said = [(t.speaker, parsed.text[t.start:t.end]) for t in parsed.turns if t.speaker]
    assert parsed.speakers == ["French", "Jones"]  # Fr-eono.h is French, listed as a guess
    assert said[2:6] == [("French", "Then who is new in this group?"),
                         ("Jones", "Two, I believe."),
                         ("French", "Well, I'm trying to think who they are."),
                         ("Jones", "The teacher from the east side, and the nurse.")]
    assert ("French", "Yes, one. Good.") in said
    assert any("Fr-eono.h" in a and "French" in a for a in parsed.ambiguous)
    # one "... so. Mark: you remember?" in ordinary speech is left as it was said
    once = parse_text("Mark: We met.\nAnn: Yes. Mark: you remember?\nMark: I do.\n"
                      "Ann: Good.\n")
    assert [t.speaker for t in once.turns] == ["Mark", "Ann", "Mark", "Ann"]
