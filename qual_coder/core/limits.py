"""How much an import will read: bounded, so a hostile or broken file is refused with a
message instead of taking the machine's memory or minutes of time.

Each limit has a default generous for real research data (a two-hour focus group is
about 2 MB of text; the largest real .qdpx we have seen is 40 MB) and an environment
variable that lifts it, named in the message.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass

from ..errors import ImportRefused


@dataclass(frozen=True)
class Limit:
    env: str
    default: int
    what: str

    @property
    def value(self) -> int:
        try:
            return int(os.environ.get(self.env, ""))
        except ValueError:
            return self.default

    def refuse(self, where: str, found: str) -> ImportRefused:
        return ImportRefused(
            f"{where}: {found}, over the limit of {self.value:,} {self.what}; if the file "
            f"is genuine, raise it with {self.env}=N and import again")


FILE_BYTES = Limit("QUAL_CODER_MAX_FILE_BYTES", 200 * 1024 * 1024, "bytes for one file")
MEMBER_BYTES = Limit("QUAL_CODER_MAX_MEMBER_BYTES", 256 * 1024 * 1024,
                     "bytes uncompressed for one member of a .docx/.xlsx/.qdpx archive")
ARCHIVE_BYTES = Limit("QUAL_CODER_MAX_ARCHIVE_BYTES", 1024 * 1024 * 1024,
                      "bytes uncompressed for a whole archive")
ARCHIVE_MEMBERS = Limit("QUAL_CODER_MAX_ARCHIVE_MEMBERS", 100_000, "members in an archive")
# XML is parsed into a tree about 15 times its size: a Word document's text or a
# project.qde is a few MB for a long study (the largest real .qdpx seen: 40 MB in all).
XML_BYTES = Limit("QUAL_CODER_MAX_XML_BYTES", 64 * 1024 * 1024,
                  "bytes uncompressed for one XML part (a .docx's document, a project.qde)")
# A YAML file's nodes once its aliases are expanded (a codebook of 500 codes with 20
# keywords each is about 30,000): a few hundred bytes of nested aliases ("billion laughs")
# expand past any memory.
YAML_NODES = Limit("QUAL_CODER_MAX_YAML_NODES", 1_000_000, "YAML nodes with aliases expanded")
TURNS = Limit("QUAL_CODER_MAX_TURNS", 1_000_000, "turns in one transcript")
ROWS = Limit("QUAL_CODER_MAX_ROWS", 1_000_000, "rows in a table")
CODEBOOK_DEPTH = Limit("QUAL_CODER_MAX_CODEBOOK_DEPTH", 100, "levels of codes")
ITEMS = Limit("QUAL_CODER_MAX_ITEMS", 10_000, "items")


def check_size(where: str, size: int) -> None:
    if size > FILE_BYTES.value:
        raise FILE_BYTES.refuse(where, f"{size:,} bytes")


_XML = (".xml", ".qde", ".rels", ".vml")
_CHUNK = 1 << 20


def check_archive(where: str, archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose members inflate past the limits (a zip bomb), XML parts past
    the XML limit. The declared sizes are checked first (cheap), then every member is
    inflated once, counting what it really gives: a header that claims 1,000 bytes for
    a member that inflates to gigabytes is caught at the limit, not after. Once this has
    passed, every member is as large as it says, and under the limits."""
    members = archive.infolist()
    if len(members) > ARCHIVE_MEMBERS.value:
        raise ARCHIVE_MEMBERS.refuse(where, f"{len(members):,} members")
    for info in members:
        _member_limit(where, info, info.file_size)
    if sum(info.file_size for info in members) > ARCHIVE_BYTES.value:
        raise ARCHIVE_BYTES.refuse(where, f"its members inflate to "
                                          f"{sum(i.file_size for i in members):,} bytes")
    try:
        _inflate_all(where, archive, members)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError,
            ValueError) as err:
        raise ImportRefused(f"{where}: a damaged archive ({err}); export or save it again "
                            "from the program that made it") from None


def _inflate_all(where: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in members:
        if info.is_dir():
            continue
        size = 0
        with archive.open(info) as member:
            # zipfile stops at the declared size, and a header that lies about the size
            # can carry a CRC of just that much: read on past it, to what the member
            # really inflates to (later readers ask zipfile for everything at once, which
            # inflates a lying member whole before cutting it), in 1 MB steps.
            if hasattr(member, "_left") and hasattr(member, "_expected_crc"):
                member._left = 1 << 62
                member._expected_crc = None
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                _member_limit(where, info, size)
                if total + size > ARCHIVE_BYTES.value:
                    raise ARCHIVE_BYTES.refuse(where, f"its members inflate to over "
                                                      f"{total + size:,} bytes")
        total += size


def _member_limit(where: str, info: zipfile.ZipInfo, size: int) -> None:
    if info.filename.lower().endswith(_XML) and size > XML_BYTES.value:
        raise XML_BYTES.refuse(where, f"'{info.filename}' inflates to {size:,} bytes")
    if size > MEMBER_BYTES.value:
        raise MEMBER_BYTES.refuse(where, f"'{info.filename}' inflates to {size:,} bytes")
