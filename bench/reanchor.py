"""Re-anchoring accuracy on edited transcripts.

    python bench/reanchor.py

Takes every demo transcript with its hand codings, makes the edits a transcriber makes
to a corrected version (typos fixed, [inaudible] filled in, turns split, sentences
added and removed, seeded), re-anchors each coding, and reports the share placed
exactly in place, moved exactly, changed (words edited) and unplaced. A placement counts
as right when it covers at least 80% of where the coded words went (old offsets mapped
through the edits), and no more than 20% besides.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qual_coder.core.anchoring import at_word_boundary, reanchor  # noqa: E402
from qual_coder.demo import build_demo  # noqa: E402
from qual_coder.storage import open_project  # noqa: E402

EDITS = ("typo", "inaudible", "split", "insert", "delete")


def edit(text: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """Apply ~15 edits; return the new text and the edits as (start, end, replacement)
    on the old text, sorted, non-overlapping."""
    words = [m.span() for m in re.finditer(r"[A-Za-z]{4,}", text)]
    chosen = sorted(rng.sample(words, min(15, len(words))))
    edits, last = [], -1
    for start, end in chosen:
        if start <= last:
            continue
        kind = rng.choice(EDITS)
        word = text[start:end]
        if kind == "typo":
            i = rng.randrange(len(word))
            new = word[:i] + word[i + 1:]  # the old version had a dropped letter
        elif kind == "inaudible":
            new = "[inaudible]"
        elif kind == "split":
            new = word + ".\nInterviewer: Sorry?\nSpeaker:"
        elif kind == "insert":
            new = word + " (and I want to add something here, actually)"
        else:
            new = ""
        edits.append((start, end, new))
        last = end
    out, pos = [], 0
    for s, e, new in edits:
        out += [text[pos:s], new]
        pos = e
    out.append(text[pos:])
    return "".join(out), edits


def main() -> None:
    rng = random.Random(4)
    totals = {"same": 0, "moved": 0, "changed": 0, "unplaced": 0}
    right = {"same": 0, "moved": 0, "changed": 0}
    touched = 0
    mid_word = 0  # placed spans whose edge falls inside a word the coder's edge did not
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        build_demo(path)
        with open_project(path) as project:
            docs = project.conn.execute("SELECT id, text FROM transcripts").fetchall()
            spans = project.conn.execute('SELECT transcript_id, start, "end" FROM codings')\
                .fetchall()
    by_doc = {}
    for tid, s, e in spans:
        by_doc.setdefault(tid, []).append((s, e))
    for tid, old in docs:
        new, edits = edit(old, rng)
        for s, e in by_doc.get(tid, []):
            es_, ee_ = _map(edits, s), _map(edits, e)
            anchor = reanchor(old, new, s, e)
            totals[anchor.how] += 1
            if any(es < e and ee > s for es, ee, _ in edits):
                touched += 1
            if anchor.how != "unplaced":
                mid_word += any(at_word_boundary(old, a) and not at_word_boundary(new, b)
                                for a, b in ((s, anchor.start), (e, anchor.end)))
                overlap = max(0, min(anchor.end, ee_) - max(anchor.start, es_))
                union = max(anchor.end, ee_) - min(anchor.start, es_)
                if union and overlap / union >= 0.8:
                    right[anchor.how] += 1
    n = sum(totals.values())
    print(f"{n} codings in {len(docs)} edited transcripts ({touched} with an edit inside "
          "the coded words)")
    for how in ("same", "moved", "changed", "unplaced"):
        extra = (f", {right[how]} on the right words" if how in right else "")
        print(f"  {how:<8} {totals[how]:>4} ({100 * totals[how] / n:.1f}%){extra}")
    print(f"  placed spans with an edge inside a word (the coder's was not): {mid_word}")


def _map(edits, offset: int) -> int:
    """Where an old offset lies in the edited text."""
    shift = 0
    for es, ee, new in edits:
        if ee <= offset:
            shift += len(new) - (ee - es)
        elif es < offset:  # inside an edit: its end in the new text
            return es + shift + len(new)
    return offset + shift


if __name__ == "__main__":
    main()
