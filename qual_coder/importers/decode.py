"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM (reported), else the most plausible
of the common single-byte encodings (reported by name), and refusal of binaries.

Only line endings are normalised (CRLF and CR become LF); every other character
is kept as it was, so offsets into the stored text match what the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ImportRefused

# Longest line we accept. A transcript line is a turn at most; a 10 MB line is a
# dump of something else, and refusing it early keeps memory and time bounded.
MAX_LINE_CHARS = 1_000_000

_MAGIC = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a zip archive (perhaps a .docx saved with the wrong extension)",
    b"\xd0\xcf\x11\xe0": "an old Word/Office binary file",
    b"SQLite format 3": "an SQLite database",
}


def sniff_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 saved without a byte-order mark (some
    Windows tools and exports do): text in Latin script has a zero in every other byte,
    on the odd side for little-endian, the even side for big-endian, and next to none
    on the other. None for anything else (binary data keeps its zeros everywhere)."""
    sample = data[:8192]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.4 and zero_even < 0.02:
        return "utf-16-le"
    if zero_even > 0.4 and zero_odd < 0.02:
        return "utf-16-be"
    return None


def read_text_file(path: Path, what: str = "file") -> tuple[str, list[str]]:
    """A CSV or text file's text (any encoding decode_text accepts) and what was noted:
    the one reading of text for every importer, table and list of codings."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportRefused(f"{path}: cannot read the {what} ({err.strerror})") from None
    text, _, notes = decode_text(data, str(path), what=f"a {what}",
                                 remedy=f"save the {what} as CSV or text and import that")
    return text, notes


def csv_records(text: str, delimiter: str = ",") -> Iterator[list[str]]:
    """The one way a CSV's text becomes records: the csv module reading the text as a
    file (newline=""), so a quoted line break stays in its cell and record n is the
    spreadsheet's row n, whatever the cells hold."""
    import csv
    import io

    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def csv_dicts(text: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    """A CSV's header and its records as dicts by column name (csv_records); a short
    record lacks its missing columns' keys."""
    records = csv_records(text)
    header = next(records, [])
    return header, (dict(zip(header, record)) for record in records)


TRANSCRIPT_REMEDY = "export it as .txt, .docx, .vtt or .srt and import that"


def decode_text(data: bytes, filename: str, what: str = "a text transcript",
                remedy: str = TRANSCRIPT_REMEDY) -> tuple[str, str, list[str]]:
    """Return (text with LF line endings, encoding name, warnings). `what` the file
    should have been and `remedy` word the refusals."""
    warnings: list[str] = []
    if not data.strip():
        raise ImportRefused(f"{filename}: the file is empty; nothing to import")
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body = "utf-16", data
    elif bare := utf16_without_bom(data):
        encoding, body = bare, data
        warnings.append(f"{filename}: UTF-16 without a byte-order mark; read as {bare.upper()}"
                        f" ({'little' if bare.endswith('le') else 'big'}-endian)")
    else:
        encoding, body = "utf-8", data
        found = sniff_binary(data)
        if found:
            raise ImportRefused(
                f"{filename}: this is {found}, not {what}; {remedy}"
            )
        if b"\x00" in data[:65536]:
            raise ImportRefused(
                f"{filename}: binary data (NUL bytes), not {what}; {remedy}"
            )
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding != "utf-8":
            raise ImportRefused(
                f"{filename}: not valid {encoding} at byte {err.start}; "
                "re-save the file as UTF-8 and import it again"
            ) from None
        text, encoding, why = single_byte(body)
        sample = text[:SCORED_SAMPLE]
        if len(_NON_ASCII.findall(sample)) > 0.3 * len(_INK.findall(sample)):
            raise ImportRefused(
                f"{filename}: undecodable: not UTF-8, and it reads as words in none of "
                f"{', '.join(SINGLE_BYTE.values())} (another alphabet?); re-save the file "
                "as UTF-8 and import it again"
            ) from None
        warnings.append(
            f"{filename}: not UTF-8; read as {SINGLE_BYTE[encoding]} ({encoding}), "
            f"{why}. Check accented characters and quotes look right, or re-save the file "
            "as UTF-8"
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A binary file is binary from its start: a sample decides (the whole text is
    # scanned again later, when every control character left is dropped and counted).
    controls = len(_C0.findall(text, 0, BINARY_SAMPLE))
    if controls > max(8, min(len(text), BINARY_SAMPLE) // 100):
        raise ImportRefused(
            f"{filename}: mostly control characters, not {what}; {remedy}"
        )
    if not text.strip():
        raise ImportRefused(f"{filename}: the file holds only white space; nothing to import")
    _check_line_lengths(text, filename)
    return text, encoding, warnings


# The single-byte encodings a file that is not UTF-8 is tried in, most common first (a tie
# goes to the earlier): Western European Windows, Central European Windows and ISO, and
# the Mac's own. Every byte means something in Latin-2 and Mac Roman, so none is refused;
# each reading is scored instead (_plausibility).
SINGLE_BYTE = {"cp1252": "Windows-1252 (Western European)",
               "cp1250": "Windows-1250 (Central European)",
               "iso-8859-2": "ISO-8859-2 (Latin-2, Central European)",
               "mac_roman": "Mac Roman"}
_TYPOGRAPHY = frozenset("‘’“”–—…•")
_RARE = frozenset("ˆ˜¤¦¨¯´¸˘˙˝˛ˇ‰†‡ƒ¬ªº¹²³◊∂∑∏π∫Ω≈≠≤≥√∆ﬁﬂıÐÞðþ±÷×¥¢§¶µ·®©¼½¾")
# Letters whose place in a word gives a reading away: Polish writes "ni", "si", "ci", "zi"
# before a vowel, never ń ś ć ź (so "Peńa" is Spanish "Peña" misread); Italian and French
# put ì ò ù at the end of a word (così, però, où), where Czech ě ň ů sit inside one.
_NEVER_BEFORE_VOWEL = frozenset("ńśćźŃŚĆŹ")
_AT_WORD_END = frozenset("ìòùÌÒÙ")
_VOWELS = frozenset("aeiouyąęóAEIOUYĄĘÓ")
_UNCOMMON = frozenset("ľĺŕĽĹŔ")  # Slovak alone: where ISO-8859-2 has Czech ž and š


def single_byte(data: bytes) -> tuple[str, str, str]:
    """(text, encoding, why) for bytes that are not UTF-8: each encoding of SINGLE_BYTE
    that can read them is scored on what it makes of the bytes above 127 (letters inside
    words with their case right, quotes and dashes where punctuation goes, no stray
    symbols) and the most plausible reading wins: "don’t" is Mac Roman's when Windows
    would read "donÕt", "Łódź" Windows-1250's when Windows-1252 reads "£ódŸ"."""
    readings: list[tuple[int, int, str, str]] = []
    for encoding in SINGLE_BYTE:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_plausibility(text), -len(readings), text, encoding))
    # cp1250 and cp1252 leave a few bytes undefined; ISO-8859-2 and Mac Roman read all
    score, _, text, encoding = max(readings)
    rivals = [SINGLE_BYTE[e] for s, _, t, e in readings
              if e != encoding and s == score and t != text]
    why = ("which reads its letters and quotes as words" if not rivals else
           f"though {' and '.join(rivals)} would read it as plausibly")
    return text, encoding, why


# The evidence weighed: the first characters above 127 in the first stretch of the text
# (a 10 MB file is judged as fast as a page; its first pages say what its encoding is).
SCORED_SAMPLE = 1_000_000
SCORED_CHARACTERS = 20_000
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_INK = re.compile(r"\S")


def _plausibility(text: str) -> int:
    """How much like written words the characters above 127 are, in this reading."""
    import unicodedata

    score = 0
    for n, m in enumerate(_NON_ASCII.finditer(text, 0, SCORED_SAMPLE)):
        if n == SCORED_CHARACTERS:
            break
        c, at = m.group(), m.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if c in "£€":
            score += 3 if after.isdigit() else -2  # "£5", not "£ódź"
        elif c == "°":
            score += 3 if before.isdigit() else -2
        elif c in _TYPOGRAPHY:
            score += 3
        elif c in "¿¡":  # Spanish opens a question or exclamation with it
            score += 3 if after.isalpha() and not before.isalpha() else -3
        elif c in _RARE:
            score -= 3 if before.isalpha() and after.isalpha() else 2
        elif c.isalpha():
            in_word = before.isalpha() or after.isalpha()
            if not in_word:
                score -= 1
            elif c.isupper() and before.islower():
                score -= 3  # "donÕt", "cafŽ": a capital inside a lower-case word
            elif (c in _NEVER_BEFORE_VOWEL and after in _VOWELS
                  or c in _AT_WORD_END and after.isalpha()):
                score -= 1
            else:
                score += 1 if c in _UNCOMMON else 2
        elif unicodedata.category(c).startswith("C"):
            score -= 5
    return score


BINARY_SAMPLE = 8192  # characters
_C0 = re.compile(r"[\x00-\x08\x0e-\x1f]")  # C0 controls but tab, newline, \v, \f, \r


def _check_line_lengths(text: str, filename: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    start, line_no = 0, 1
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        if end - start > MAX_LINE_CHARS:
            raise ImportRefused(
                f"{filename}: line {line_no} is {end - start:,} characters long "
                f"(limit {MAX_LINE_CHARS:,}); this is not a transcript, or it needs "
                "line breaks between turns"
            )
        start, line_no = end + 1, line_no + 1
