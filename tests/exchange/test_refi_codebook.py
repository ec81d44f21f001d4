from pathlib import Path

import pytest
import xmlschema

from qual_coder.exchange.refi_codebook import QdcError, read_qdc, write_qdc
from qual_coder.exchange.yaml_codebook import load_codebook_file

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
REPO = HERE.parents[1]
OFFICIAL = xmlschema.XMLSchema(str(FIXTURES / "refi-qda" / "Codebook.xsd"))


def test_export_validates_against_the_official_schema(tmp_path):
    books = [load_codebook_file(REPO / "codebooks" / n)[0]
             for n in ("cascade.yaml", "local_area_review.yaml")]
    out = tmp_path / "all.qdc"
    write_qdc(books, out, "qual-coder test")
    OFFICIAL.validate(str(out))
    single = tmp_path / "one.qdc"
    write_qdc(books[:1], single, "qual-coder test")
    OFFICIAL.validate(str(single))


def test_qdc_round_trip_keeps_hierarchy_names_criteria_colours_and_guids(tmp_path):
    book, _ = load_codebook_file(REPO / "codebooks" / "local_area_review.yaml")
    out = tmp_path / "lar.qdc"
    write_qdc([book], out, "qual-coder test")
    back, notes = read_qdc(out)
    assert notes == []
    names = {c.name: c for c in book.codes}
    by_key = {c.key: c for c in book.codes}
    assert [c.name for c in back.codes] == [c.name for c in book.codes]
    for code in back.codes:
        original = names[code.name]
        assert code.description == original.description
        assert (code.include, code.exclude, code.example) == (
            original.include, original.exclude, original.example)
        parent_name = by_key[original.parent].name if original.parent else None
        assert (next(c.name for c in back.codes if c.key == code.parent)
                if code.parent else None) == parent_name
        if original.color:
            assert code.color == original.color
    # Exported GUIDs are kept on import, so a re-import matches the same codes.
    write_qdc([back], tmp_path / "again.qdc", "x")
    again, _ = read_qdc(tmp_path / "again.qdc")
    assert [c.guid for c in again.codes] == [c.guid for c in back.codes]


def test_other_tools_files_import_with_their_quirks():
    taguette, notes = read_qdc(FIXTURES / "qdc" / "taguette.qdc")
    assert [c.name for c in taguette.codes] == ["interesting", "people", "interesting.places"]
    assert any("empty <Sets/>" in n for n in notes)
    assert taguette.codes[0].guid == "0D62985D-B147-5D01-A9B5-CAE5DCD98342"  # case as written

    atlas, _ = read_qdc(FIXTURES / "qdc" / "atlasti.qdc")
    assert [(c.name, c.color, c.description) for c in atlas.codes] == [
        ("Waiting times", "#46AA00", "Time from referral to first appointment."),
        ("Release time", "#0046AA", "")]

    qualcoder, _ = read_qdc(FIXTURES / "qdc" / "qualcoder.qdc")
    assert [(c.name, c.parent) for c in qualcoder.codes] == [
        ("Relationships", None), ("Trust", "relationships"),
        ("Café conversations", "relationships")]

    maxqda, notes = read_qdc(FIXTURES / "qdc" / "maxqda.qdc")
    assert [c.color for c in maxqda.codes] == ["#FF0000", "#00FF00", "#0000FF"]
    assert sum("alpha channel" in n for n in notes) == 2

    nvivo, _ = read_qdc(FIXTURES / "qdc" / "nvivo.qdc")
    themes, referral = nvivo.codes
    assert (themes.codable, themes.guid.lower()) == (False, "3c7e1f9a-2b4d-4e6f-8a1c-5d7e9f0a2b4c")
    assert (referral.description, referral.include, referral.exclude) == (
        "How schools refer.", "GP routing, direct referral", "waiting times")


@pytest.mark.parametrize("body,message", [
    (b"not xml at all", "line 1: not well-formed XML"),
    (b"<?xml version='1.0'?>\n<Project xmlns='urn:QDA-XML:project:1.0'/>",
     "not a REFI-QDA codebook"),
    (b"<?xml version='1.0'?>\n<CodeBook xmlns='urn:QDA-XML:codebook:1.0'>\n<Codes>\n"
     b"<Code name='no guid' isCodable='true'/>\n</Codes></CodeBook>",
     "line 4: does not follow the REFI-QDA schema"),
])
def test_bad_qdc_files_are_refused_with_a_line(tmp_path, body, message):
    path = tmp_path / "bad.qdc"
    path.write_bytes(body)
    with pytest.raises(QdcError) as err:
        read_qdc(path)
    assert message in str(err.value) and "bad.qdc" in str(err.value)
