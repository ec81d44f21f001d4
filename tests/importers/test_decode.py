import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder.errors import ImportRefused
from qual_coder.importers import read_transcript

TEXT = "Interviewer: Café?\r\nSam: Oui – très bien.\rSam: Encore.\n"
NORMALISED = "Interviewer: Café?\nSam: Oui – très bien.\nSam: Encore.\n"


@pytest.mark.parametrize("encoding,prefix,expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be", b"\xfe\xff", "utf-16"),
])
def test_unicode_encodings_and_line_endings(tmp_path, encoding, prefix, expected):
    path = tmp_path / "t.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    parsed = read_transcript(path)
    assert parsed.text == NORMALISED
    assert parsed.encoding == expected
    assert not parsed.warnings


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_and_said(tmp_path, encoding):
    """Some Windows tools save UTF-16 with no BOM: read as such, and said so, rather than
    refused as binary for its zero bytes."""
    path = tmp_path / "t.txt"
    path.write_bytes(TEXT.encode(encoding))
    parsed = read_transcript(path)
    assert parsed.text == NORMALISED
    assert parsed.encoding == encoding
    assert any("without a byte-order mark" in w for w in parsed.warnings)


def test_binary_with_zero_bytes_everywhere_is_still_refused(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ImportRefused, match="binary|control"):
        read_transcript(path)


def test_cp1252_fallback_is_reported(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Interviewer: It’s “fine”, café.\nSam: Yes.\n".encode("cp1252"))
    parsed = read_transcript(path)
    assert parsed.encoding == "cp1252"
    assert "It’s “fine”, café." in parsed.text
    assert any("Windows-1252" in w and "legacy.txt" in w for w in parsed.warnings)


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"  \n\n \t", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
    (b"abc\x00\x00\x01\x02def", "binary"),
    (b"\x81\x8d\x8f\x90\x9d" * 10, "undecodable"),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13" * 5, "control characters"),
    (b"Sam: hello \x01\x02 there\n" * 10_000, "mostly control characters"),
])
def test_bad_bytes_are_refused_naming_the_file(tmp_path, data, needle):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ImportRefused) as err:
        read_transcript(path)
    assert str(path) in str(err.value)
    assert needle in str(err.value)


def test_a_ten_megabyte_single_line_is_refused_with_its_line_number(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Interviewer: hello\n" + b"x" * 10_000_000)
    with pytest.raises(ImportRefused) as err:
        read_transcript(path)
    assert "line 2" in str(err.value) and "10,000,000" in str(err.value)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ImportRefused, match="unsupported file type '.pdf'"):
        read_transcript(path)


def test_a_few_control_characters_are_dropped_and_counted_not_refused(tmp_path):
    path = tmp_path / "noisy.txt"
    clean = "Sam: we talked about referrals.\n" * 400
    path.write_bytes((clean + "Ali: then the \x1b[2J screen went\x07 blank.\n").encode())
    parsed = read_transcript(path)
    assert "\x1b" not in parsed.text and "\x07" not in parsed.text
    assert any("2 control characters" in w and "noisy.txt" in w for w in parsed.warnings)


# What a careful reader would call each file: the encoding it was saved in. Quotes and
# dashes from Word, accents in names, Central European names and interviews, old Macs.
SINGLE_BYTE_FILES = [
    ("cp1252", "Interviewer: It’s “fine” – café, naïve; Zoë said the £5 fee…"),
    ("cp1252", "Müller: Grüße aus Köln, sagte Jürgen. Straße."),
    ("cp1252", "José: Señora Peña, ¿qué tal? Año."),
    ("cp1252", "François: Ça va, très bien. Élodie est là."),
    ("cp1252", "Giulia: Così è, però lunedì."),
    ("cp1252", "Siobhán Ní Bhriain: Sláinte, Seán."),
    ("cp1252", "Björn Ødegård: Hei på deg, Åse."),
    ("cp1252", "Sarah: We paid £300 for cover, 20° outside."),
    ("mac_roman", "Interviewer: I don’t know — café, résumé; we’re “stuck”."),
    ("mac_roman", "It’s done."),
    ("mac_roman", "François: Ça va, très bien. Élodie est là."),
    ("mac_roman", "Siobhán: Sláinte — Seán’s."),
    ("cp1250", "Tomasz: Zażółć gęślą jaźń, mówi Łukasz z Łodzi. Přesně tak, říká Jiří."),
    ("cp1250", "Ania: Dzień dobry. To było trudne – naprawdę."),
    ("cp1250", "Nováková: Dobrý den, děkuji. Čeština."),
    ("cp1250", "Łódź"),
    ("iso-8859-2", "Tomasz: Zażółć gęślą jaźń, mówi Łukasz z Łodzi."),
    ("iso-8859-2", "Jiří: Můžu říct, že ano."),
    ("iso-8859-2", "Łódź"),
]


@pytest.mark.parametrize("encoding,said", SINGLE_BYTE_FILES)
def test_a_single_byte_file_is_read_in_the_encoding_it_was_saved_in_and_named(
        tmp_path, encoding, said):
    from qual_coder.importers.decode import SINGLE_BYTE

    path = tmp_path / "legacy.txt"
    path.write_bytes(f"{said}\nSam: Yes.\n".encode(encoding))
    parsed = read_transcript(path)
    assert parsed.text == f"{said}\nSam: Yes.\n"
    # named: the encoding chosen, or one that reads these bytes the same
    assert parsed.text == path.read_bytes().decode(parsed.encoding)
    assert any(SINGLE_BYTE[parsed.encoding] in w and "legacy.txt" in w
               for w in parsed.warnings)


def test_another_alphabet_in_a_single_byte_encoding_is_refused(tmp_path):
    path = tmp_path / "cyrillic.txt"
    path.write_bytes("Интервьюер: Как дела в школе?\nСаша: Хорошо.\n".encode("cp1251"))
    with pytest.raises(ImportRefused, match="re-save the file as UTF-8"):
        read_transcript(path)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(st.sampled_from(list('ab ,"\n;’') + ["\t"]), max_size=8),
                         min_size=2, max_size=2), min_size=1, max_size=8))
def test_every_csv_reader_gets_back_the_rows_a_spreadsheet_wrote(rows):
    """What a spreadsheet writes (quoted commas, quotes, line breaks inside a cell) comes
    back cell for cell, one record a row, through the one CSV parse every reader uses."""
    import csv
    import io

    from qual_coder.importers.decode import csv_dicts, csv_records

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["first", "second"], *rows])
    records = list(csv_records(out.getvalue()))
    assert records == [["first", "second"], *rows]
    header, dicts = csv_dicts(out.getvalue())
    assert header == ["first", "second"]
    assert [[d["first"], d["second"]] for d in dicts] == rows
