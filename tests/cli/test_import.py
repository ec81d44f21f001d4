"""`qual-coder import`, `transcripts`, `show`, `participants`, `attributes`."""

import json

import docx

from qual_coder.importers import read_transcript
from qual_coder.storage import open_project
from tests.conftest import shared_transcripts, snapshot_db

MANIFEST = """file,kind,site,date,speaker,participant,stakeholder_type,role
a.txt,interview,Site A,2016-07-01,Interviewer,Interviewer,interviewer,Interviewer
a.txt,,,,Sarah,Sarah Whitfield,school_staff,School lead
b.txt,focus_group,Site B,2016-09-01,Facilitator,Facilitator,interviewer,
b.txt,,,,Mark,Mark Davies,NHS CYPMHS,CAMHS lead
b.txt,,,,Sarah,Sarah Whitfield,school_staff,School lead
"""


def write_pair(tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Hello?\nSarah: Hi. It was, um, good.\n")
    (tmp_path / "b.txt").write_text(
        "Facilitator: Welcome.\nMark: Thanks.\nSarah: [cross-talk] Yes.\nMark: Ok.\n")
    (tmp_path / "manifest.csv").write_text(MANIFEST)


def test_import_with_manifest_sets_participants_and_attributes(tmp_path, project_path, run):
    write_pair(tmp_path)
    result = run("import", project_path, "--manifest", tmp_path / "manifest.csv")
    assert result.exit_code == 0, result.output
    assert "2 transcripts" in result.output
    listing = json.loads(run("transcripts", project_path, "--json").output)
    assert [(t["name"], t["kind"], t["site"], t["turns"]) for t in listing] == [
        ("a", "interview", "Site A", 2), ("b", "focus_group", "Site B", 4)]
    assert set(listing[0]) == {"id", "name", "kind", "site", "date", "words", "turns",
                               "speakers"}
    speakers = {s["label"]: s for s in listing[1]["speakers"]}
    assert speakers["Mark"] == {"label": "Mark", "participant": "Mark Davies",
                                "stakeholder_type": "nhs_cypmhs", "role": "CAMHS lead",
                                "turns": 2}
    assert speakers["Facilitator"]["stakeholder_type"] == "interviewer"
    people = json.loads(run("participants", project_path, "--json").output)
    sarah = next(p for p in people if p["name"] == "Sarah Whitfield")
    assert sarah["transcripts"] == 2 and sarah["turns"] == 2


def test_import_without_manifest_uses_options_and_default_participants(
        tmp_path, project_path, run):
    (tmp_path / "x.txt").write_text("Q: Why?\nA: Because.\nQ: Ok.\n")
    (tmp_path / "y.txt").write_text("Q: Why?\nA: Not sure.\n")
    result = run("import", project_path, tmp_path / "x.txt", tmp_path / "y.txt",
                 "--kind", "interview", "--site", "Eastbridge")
    assert result.exit_code == 0, result.output
    with open_project(project_path) as proj:
        names = [r[0] for r in proj.conn.execute(
            "SELECT p.name FROM speakers s JOIN participants p ON p.id = s.participant_id "
            "ORDER BY s.id")]
        sites = {r[0] for r in proj.conn.execute("SELECT site FROM transcripts")}
    # "A" in x is not the same person as "A" in y; the interviewer is one person.
    assert names == ["Interviewer", "A (x)", "Interviewer", "A (y)"]
    assert sites == {"Eastbridge"}


def test_importing_the_same_file_twice_is_refused_or_skipped(tmp_path, project_path, run):
    write_pair(tmp_path)
    assert run("import", project_path, tmp_path / "a.txt").exit_code == 0
    copy = tmp_path / "copy-of-a.txt"
    copy.write_bytes((tmp_path / "a.txt").read_bytes())
    before = snapshot_db(project_path)
    result = run("import", project_path, copy, tmp_path / "b.txt")
    assert result.exit_code == 1
    assert "copy-of-a.txt: already imported as 'a'" in result.output
    assert snapshot_db(project_path) == before
    result = run("import", project_path, copy, tmp_path / "b.txt", "--skip-existing")
    assert result.exit_code == 0
    assert "skipped" in result.output and "1 transcript," in result.output


def test_one_bad_file_leaves_the_project_unchanged_and_names_every_problem(
        tmp_path, project_path, run):
    write_pair(tmp_path)
    (tmp_path / "fake.txt").write_bytes(b"%PDF-1.4 not text")
    (tmp_path / "empty.txt").write_bytes(b"")
    before = snapshot_db(project_path)
    result = run("import", project_path, tmp_path / "a.txt", tmp_path / "fake.txt",
                 tmp_path / "b.txt", tmp_path / "empty.txt")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert any("fake.txt: this is a PDF" in line for line in lines)
    assert any("empty.txt: the file is empty" in line for line in lines)
    assert "nothing was imported" in result.output
    assert snapshot_db(project_path) == before


def test_manifest_errors_name_row_and_column(tmp_path, project_path, run):
    write_pair(tmp_path)
    bad_column = tmp_path / "m1.csv"
    bad_column.write_text("file,speaker,age\na.txt,Sarah,40\n")
    result = run("import", project_path, "--manifest", bad_column)
    assert result.exit_code == 1
    assert "m1.csv row 1, column 3: unknown column 'age'" in result.output
    missing = tmp_path / "m2.csv"
    missing.write_text("file,speaker\na.txt,Sarah\nnope.txt,Sam\n")
    result = run("import", project_path, "--manifest", missing)
    assert "m2.csv row 3: file 'nope.txt' not found" in result.output
    assert snapshot_db(project_path)["transcripts"] == []
    # a stakeholder type the project lacks is this study's own: created, and said
    new_type = tmp_path / "m3.csv"
    new_type.write_text("file,speaker,stakeholder_type\na.txt,Sarah,Youth worker\n")
    result = run("import", project_path, "--manifest", new_type)
    assert result.exit_code == 0, result.output
    assert "manifest row 2): new stakeholder type 'youth_worker' (Youth worker) created" \
        in result.output


def test_import_every_format_in_one_go(tmp_path, project_path, run):
    (tmp_path / "one.md").write_text("**Ali:** Hi\n\n**Divya:** Hello\n")
    (tmp_path / "two.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jo>Hi</v>\n")
    (tmp_path / "three.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nJo: Hi\n")
    d = docx.Document()
    d.add_paragraph("Jo: Hello from Word")
    d.add_paragraph("Sam: Hi")
    d.save(tmp_path / "four.docx")
    files = [tmp_path / n for n in ("one.md", "two.vtt", "three.srt", "four.docx")]
    result = run("import", project_path, *files)
    assert result.exit_code == 0, result.output
    with open_project(project_path) as proj:
        formats = dict(proj.conn.execute("SELECT name, format FROM transcripts"))
    assert formats == {"one": "markdown", "two": "vtt", "three": "srt", "four": "docx"}


def test_real_podcasts_import_through_the_cli(project_path, run):
    files = shared_transcripts()
    result = run("import", project_path, *files, "--kind", "focus_group")
    assert result.exit_code == 0, result.output
    listing = json.loads(run("transcripts", project_path, "--json").output)
    # words said: the files' 36,455 words less labels, timestamps and stage directions
    spoken = sum(t["words"] for t in listing)
    assert spoken == sum(read_transcript(f).spoken_words() for f in files)
    assert 30_000 < spoken < 12_913 + 8_826 + 6_995 + 7_721
    show = run("show", project_path, "go-time-163")
    assert show.exit_code == 0 and "Marcel van Lohuizen" in show.output


def test_participants_and_attributes_can_be_changed_later(tmp_path, project_path, run):
    write_pair(tmp_path)
    run("import", project_path, "--manifest", tmp_path / "manifest.csv")
    result = run("participants", project_path, "Mark Davies", "--role", "Team lead",
                 "--stakeholder-type", "commissioner")
    assert result.exit_code == 0, result.output
    assert run("attributes", "set", project_path, "--transcript", "a",
               "site=Northmoor", "kind=focus group", "lsoa=E01").exit_code == 0
    assert run("attributes", "set", project_path, "--participant", "Sarah Whitfield",
               "years_in_post=6").exit_code == 0
    data = json.loads(run("attributes", "list", project_path, "--json").output)
    a = next(t for t in data["transcripts"] if t["name"] == "a")
    assert (a["site"], a["kind"], a["lsoa"]) == ("Northmoor", "focus_group", "E01")
    mark = next(p for p in data["participants"] if p["name"] == "Mark Davies")
    assert (mark["role"], mark["stakeholder_type"]) == ("Team lead", "commissioner")
    sarah = next(p for p in data["participants"] if p["name"] == "Sarah Whitfield")
    assert sarah["years_in_post"] == "6"
    bad = run("attributes", "set", project_path, "--transcript", "a", "kind=party")
    assert bad.exit_code == 1 and "interview or focus_group" in bad.output
    missing = run("participants", project_path, "Nobody", "--role", "x")
    assert missing.exit_code == 1 and "no participant named 'Nobody'" in missing.output


def test_assign_maps_a_speaker_label_to_a_participant(tmp_path, project_path, run):
    (tmp_path / "x.txt").write_text("Q: Why?\nA: Because.\n")
    run("import", project_path, tmp_path / "x.txt")
    assert run("assign", project_path, "x", "A", "Claire Watson").exit_code == 0
    listing = json.loads(run("transcripts", project_path, "--json").output)
    assert listing[0]["speakers"][1]["participant"] == "Claire Watson"


def test_stakeholder_types_are_the_projects_and_editable(project_path, run):
    result = run("stakeholder-types", project_path, "--add", "local_authority",
                 "Local authority")
    assert "local_authority" in result.output and "school_staff" in result.output
    assert run("stakeholder-types", project_path, "--add", "Bad Key", "x").exit_code == 1


def test_missing_project_and_unknown_transcript(tmp_path, run):
    result = run("transcripts", tmp_path / "nope.db")
    assert result.exit_code == 1 and "no such project" in result.output
    path = tmp_path / "p.db"
    run("init", path)
    assert run("init", path).exit_code == 1
    result = run("show", path, "ghost")
    assert result.exit_code == 1 and "no transcript 'ghost'" in result.output


def test_a_manifest_speaker_missing_from_the_file_is_an_error(tmp_path, project_path, run):
    write_pair(tmp_path)
    (tmp_path / "b.txt").write_text("Facilitator: Welcome.\nMark: Thanks.\nMark: Ok.\n")
    before = snapshot_db(project_path)
    result = run("import", project_path, "--manifest", tmp_path / "manifest.csv")
    assert result.exit_code == 1
    assert "b.txt: manifest row 6 names speaker 'Sarah'" in result.output
    assert "speakers found: 'Facilitator' (1 turn), 'Mark' (2 turns)" in result.output
    assert snapshot_db(project_path) == before
    result = run("import", project_path, "--manifest", tmp_path / "manifest.csv",
                 "--allow-missing-speakers")
    assert result.exit_code == 0, result.output
    assert "names speaker 'Sarah'" in result.output  # still said, as a warning


def test_dry_run_previews_and_writes_nothing(tmp_path, project_path, run):
    (tmp_path / "oh.txt").write_text(
        "INTERVIEWEE: Doreen Walsh\nINTERVIEWER: Peter Hale\nDATE: 14 March 2003\n\n"
        "HALE: Where were you working then?\nWALSH: At the clinic. [laughs]\n"
        "HALE: And before?\nWALSH: Teaching, for years.\nWALSE: A slip.\n"
        "WALSH: Then more.\n")
    before = snapshot_db(project_path)
    result = run("import", project_path, tmp_path / "oh.txt", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert snapshot_db(project_path) == before
    [f] = json.loads(result.output)
    by = {s["label"]: s for s in f["speakers"]}
    assert list(by) == ["HALE", "WALSH"]
    assert by["WALSH"]["turns"] == 4 and by["WALSH"]["words"] == 3 + 3 + 2 + 2
    assert by["WALSH"]["first_words"] == "At the clinic. [laughs]"
    assert by["HALE"]["role"] == "Interviewer" and by["HALE"]["stakeholder_type"] == "interviewer"
    # the header names them: WALSH is Doreen Walsh, HALE is Peter Hale
    assert (by["WALSH"]["participant"], by["HALE"]["participant"]) == ("Doreen Walsh",
                                                                      "Peter Hale")
    assert by["WALSH"]["how"] == "label (Name:)"
    assert any("WALSE" in a for a in f["ambiguous"])
    text = run("import", project_path, tmp_path / "oh.txt", "--dry-run").output
    assert "HALE" in text and "check: label 'WALSE'" in text
    # the reader's decisions: the slip is someone else, HALE is a named participant
    result = run("import", project_path, tmp_path / "oh.txt", "--speaker", "WALSE=Wendy Walse",
                 "--speaker", "HALE=Peter Hale")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("show", project_path, "oh", "--json").output)
    who = {(t["speaker"], t["participant"], t["role"]) for t in shown["turns"] if t["speaker"]}
    assert who == {("HALE", "Peter Hale", "Interviewer"),
                   ("WALSH", "Doreen Walsh", "Interviewee"), ("WALSE", "Wendy Walse", None)}
    listing = json.loads(run("transcripts", project_path, "--json").output)
    assert listing[0]["words"] == 5 + 2 + 10  # labels, header and [laughs] are not words


def test_not_speaker_makes_a_label_no_ones(tmp_path, project_path, run):
    (tmp_path / "s.txt").write_text("Host: Hi.\nGuest: Hello.\nNarration: Later...\n"
                                    "Host: Bye.\nNarration: The end.\n")
    result = run("import", project_path, tmp_path / "s.txt", "--not-speaker", "Narration")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("show", project_path, "s", "--json").output)
    assert [t["speaker"] for t in shown["turns"]] == ["Host", "Guest", None, "Host", None]
    assert run("import", project_path, tmp_path / "s.txt", "--speaker", "Host").exit_code == 1
