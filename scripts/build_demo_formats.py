"""Build the demo corpus's Word and caption files from their plain drafts.

The drafts in scripts/demo_sources/ are `Name: text` turns (header lines first).
This writes them into transcripts/ in the layouts real tools produce, so the demo
exercises every importer: Word turn tables, Word paragraphs with bold labels,
Teams-style WebVTT voice tags, Zoom-style WebVTT `Name:` prefixes and SubRip.
Run it after editing a draft: `python scripts/build_demo_formats.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "demo_sources"
OUT = HERE.parent / "transcripts"
LABEL = re.compile(r"^([A-Z][\w'’.]*(?: [A-Z][\w'’.]*){0,2}):\s+(.*)$")
WORDS_PER_SECOND = 2.6
WORDS_PER_CUE = 14

LAYOUTS = {
    "northmoor_ccg_commissioner_interview": "docx-table",
    "kelsey_vale_school_staff_focus_group": "docx-table",
    "kelsey_vale_ep_interview": "docx-paragraphs",
    "northmoor_secondary_head_interview": "docx-paragraphs",
    "eastbridge_camhs_lead_interview": "vtt-voice",
    "kelsey_vale_whole_system_focus_group": "vtt-prefix",
    "kelsey_vale_commissioner_interview": "srt",
}


def read_draft(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
    header, turns = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = LABEL.match(line)
        if m:
            turns.append((m.group(1), m.group(2)))
        elif line.strip() and not turns:
            header.append(line)
        elif line.strip():
            speaker, said = turns[-1]
            turns[-1] = (speaker, said + "\n" + line)
    return header, turns


def write_docx(name: str, header: list[str], turns, table: bool) -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for i, line in enumerate(header):
        paragraph = document.add_paragraph(line)
        if i == 0:
            paragraph.runs[0].bold = True
    if table:
        grid = document.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        for speaker, said in turns:
            cells = grid.add_row().cells
            cells[0].text = speaker
            cells[1].text = said
    else:
        for speaker, said in turns:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{speaker}:").bold = True
            paragraph.add_run(f" {said}")
    document.save(OUT / f"{name}.docx")


def _stamp(seconds: float, sep: str) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}".replace(".", sep)


def _cues(turns):
    clock = 1.0
    for speaker, said in turns:
        words = said.split()
        for i in range(0, len(words), WORDS_PER_CUE):
            chunk = words[i:i + WORDS_PER_CUE]
            length = len(chunk) / WORDS_PER_SECOND
            yield speaker, " ".join(chunk), clock, clock + length, i == 0
            clock += length + 0.2
        clock += 0.6


def write_vtt(name: str, turns, voice: bool) -> None:
    lines = ["WEBVTT", ""]
    for n, (speaker, text, start, end, _) in enumerate(_cues(turns), start=1):
        lines.append(f"{n}")
        lines.append(f"{_stamp(start, '.')} --> {_stamp(end, '.')}")
        lines.append(f"<v {speaker}>{text}</v>" if voice else f"{speaker}: {text}")
        lines.append("")
    (OUT / f"{name}.vtt").write_text("\n".join(lines), encoding="utf-8")


def write_srt(name: str, turns) -> None:
    lines = []
    for n, (speaker, text, start, end, first) in enumerate(_cues(turns), start=1):
        lines += [str(n), f"{_stamp(start, ',')} --> {_stamp(end, ',')}",
                  f"{speaker}: {text}" if first else text, ""]
    # SubRip files from Windows tools usually have CRLF line endings.
    (OUT / f"{name}.srt").write_bytes("\r\n".join(lines).encode("utf-8"))


def main() -> None:
    for name, layout in LAYOUTS.items():
        header, turns = read_draft(SOURCES / f"{name}.txt")
        if layout.startswith("docx"):
            write_docx(name, header, turns, table=layout == "docx-table")
        elif layout.startswith("vtt"):
            write_vtt(name, turns, voice=layout == "vtt-voice")
        else:
            write_srt(name, turns)
        print(f"wrote {name} ({layout}, {len(turns)} turns)")


if __name__ == "__main__":
    main()
