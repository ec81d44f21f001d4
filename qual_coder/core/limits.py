"""How much an import will read: bounded, so a hostile or broken file is refused with a
message instead of taking the machine's memory or minutes of time.

Each limit has a default generous for real research data (a two-hour focus group is
about 2 MB of text; the largest real .qdpx we have seen is 40 MB) and an environment
variable that lifts it, named in the message.
"""

from __future__ import annotations

import os
import zipfile
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
TURNS = Limit("QUAL_CODER_MAX_TURNS", 1_000_000, "turns in one transcript")
ROWS = Limit("QUAL_CODER_MAX_ROWS", 1_000_000, "rows in a table")
CODEBOOK_DEPTH = Limit("QUAL_CODER_MAX_CODEBOOK_DEPTH", 100, "levels of codes")
ITEMS = Limit("QUAL_CODER_MAX_ITEMS", 10_000, "items")


def check_size(where: str, size: int) -> None:
    if size > FILE_BYTES.value:
        raise FILE_BYTES.refuse(where, f"{size:,} bytes")


def check_archive(where: str, archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose members would inflate past the limits (a zip bomb). The sizes
    checked are the ones the archive declares; zipfile never reads past a member's
    declared size, so a lying header cannot inflate further."""
    members = archive.infolist()
    if len(members) > ARCHIVE_MEMBERS.value:
        raise ARCHIVE_MEMBERS.refuse(where, f"{len(members):,} members")
    total = 0
    for info in members:
        if info.file_size > MEMBER_BYTES.value:
            raise MEMBER_BYTES.refuse(
                where, f"'{info.filename}' inflates to {info.file_size:,} bytes")
        total += info.file_size
    if total > ARCHIVE_BYTES.value:
        raise ARCHIVE_BYTES.refuse(where, f"its members inflate to {total:,} bytes")
