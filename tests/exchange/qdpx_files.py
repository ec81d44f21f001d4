"""Small .qdpx archives with the quirks other tools are known to write, built in code
so each quirk is visible in the test that uses it."""

from __future__ import annotations

import io
import zipfile

SOURCE_GUID = "5b1f0d3e-1c2a-4e0b-9a51-2d0c6b8e4a11"
CODE_GUID = "7c2e1f4a-2b3c-4d5e-8f90-a1b2c3d4e5f6"
USER_GUID = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"

# An emoji (two UTF-16 units) and CRLF line endings before the coded words: a tool that
# counts UTF-16 units with CR included puts "referral route" at these positions.
TEXT = "Interviewer: Where do you start?\r\nSam: 🙂 Honestly, the referral route is a maze.\r\n"
CODED = "referral route"


def utf16_span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    before = len(text[:start].encode("utf-16-le")) // 2
    return before, before + len(words.encode("utf-16-le")) // 2


def project_qde(origin: str = "NVivo for Windows 12.6", color: str = "#FF0000",
                sets: str = "", start: int | None = None, end: int | None = None) -> bytes:
    if start is None:
        start, end = utf16_span(TEXT, CODED)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Quirks" origin="{origin}">
  <Users><User guid="{USER_GUID}" name="Robin"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_GUID}" name="Referral routes" isCodable="true" color="{color}"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE_GUID}" name="Sam interview"
                plainTextPath="internal://{SOURCE_GUID}.txt">
      <PlainTextSelection guid="2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f60" name=""
                          startPosition="{start}" endPosition="{end}" creatingUser="{USER_GUID}">
        <Coding guid="3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6071" creatingUser="{USER_GUID}">
          <CodeRef targetGUID="{CODE_GUID}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  {sets}
</Project>
""".encode("utf-8")


def qdpx(qde_name: str = "project.qde", folder: str = "Sources", extra: dict | None = None,
         **qde) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(qde_name, project_qde(**qde))
        archive.writestr(f"{folder}/{SOURCE_GUID}.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()
