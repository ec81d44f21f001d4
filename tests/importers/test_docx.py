import io
import zipfile

import docx
import pytest

from qual_coder.errors import ImportRefused
from qual_coder.importers import read_transcript


def save(document, path):
    document.save(path)
    return path


def test_paragraphs_with_bold_labels(tmp_path):
    d = docx.Document()
    d.add_paragraph("Interview with a CAMHS lead")
    for who, said in [("Interviewer", "Tell me."), ("Nadia", "Well, um, it was good."),
                      ("Interviewer", "And then?")]:
        p = d.add_paragraph()
        p.add_run(f"{who}:").bold = True
        p.add_run(f" {said}")
    d.add_paragraph("A continuation paragraph.")
    parsed = read_transcript(save(d, tmp_path / "i.docx"))
    assert parsed.format == "docx"
    assert [(t.speaker, parsed.text[t.start:t.end]) for t in parsed.turns] == [
        (None, "Interview with a CAMHS lead"),
        ("Interviewer", "Tell me."),
        ("Nadia", "Well, um, it was good."),
        ("Interviewer", "And then?\nA continuation paragraph."),
    ]


def test_two_and_three_column_turn_tables(tmp_path):
    d = docx.Document()
    d.add_paragraph("Focus group, Site B")
    table = d.add_table(rows=0, cols=2)
    for who, said in [("Facilitator", "Welcome."), ("Dev", "Thanks.\nSecond para."),
                      ("Ben", "Hi")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = who, said
    timed = d.add_table(rows=0, cols=3)
    cells = timed.add_row().cells
    cells[0].text, cells[1].text, cells[2].text = "Dev", "00:12:03", "Later on."
    parsed = read_transcript(save(d, tmp_path / "fg.docx"))
    turns = [(t.speaker, parsed.text[t.start:t.end], t.timestamp) for t in parsed.turns]
    assert turns == [
        (None, "Focus group, Site B", None),
        ("Facilitator", "Welcome.", None),
        ("Dev", "Thanks.\nSecond para.", None),
        ("Ben", "Hi", None),
        ("Dev", "Later on.", "00:12:03"),
    ]


def test_a_zip_that_is_not_word_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("notes.txt", "hello")
    path = tmp_path / "fake.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportRefused, match="fake.docx: a zip archive but not a Word document"):
        read_transcript(path)


def test_a_text_file_named_docx_is_refused(tmp_path):
    path = tmp_path / "plain.docx"
    path.write_text("Interviewer: hi\n")
    with pytest.raises(ImportRefused, match="plain.docx: not a Word document"):
        read_transcript(path)


def test_empty_document_is_refused(tmp_path):
    with pytest.raises(ImportRefused, match="no text"):
        read_transcript(save(docx.Document(), tmp_path / "empty.docx"))


def test_a_document_without_a_body_is_refused_not_a_traceback(tmp_path):
    # Found by bench/fuzz.py: python-docx opens it, then fails reading the content.
    d = docx.Document()
    d.add_paragraph("Interviewer: hi")
    good = tmp_path / "good.docx"
    d.save(good)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == "word/document.xml":
                body = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
                        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
            dst.writestr(name, body)
    with pytest.raises(ImportRefused, match="broken.docx: the Word document is damaged"):
        read_transcript(broken)


def test_bold_names_without_colons_and_with_a_role(tmp_path):
    d = docx.Document()
    d.add_paragraph("Interview 7, Site C")
    for who, said in [("Interviewer", "How is the pathway?"), ("Ruth Amos (SENCo)", "Slow."),
                      ("Interviewer", "Why?"), ("Ruth Amos (SENCo)", "Capacity. It matters.")]:
        p = d.add_paragraph()
        p.add_run(who).bold = True
        p.add_run(f"  {said}")
    parsed = read_transcript(save(d, tmp_path / "b.docx"))
    assert parsed.speakers == ["Interviewer", "Ruth Amos"]
    assert parsed.roles == {"Ruth Amos": "SENCo"}
    assert [parsed.text[t.start:t.end] for t in parsed.turns][-1] == "Capacity. It matters."
