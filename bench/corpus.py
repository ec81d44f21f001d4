"""Generate a synthetic transcript corpus for benchmarks (written to disk, streamed)."""

from __future__ import annotations

import random
from pathlib import Path

PHRASES = (
    "we had a named link in CAMHS", "the referral came back", "um, I think", "you know",
    "the waiting list was eighteen weeks", "schools were holding a lot", "it was tense",
    "on the second day", "the consultation line helped", "we didn't know the GP route",
    "common outcome measures", "nobody followed up the action plan", "[inaudible]",
    "[laughs]", "the network meeting", "capacity is the problem", "I'd echo that",
    "the voluntary sector", "building relationships", "sharing good practice",
)
SPEAKERS = ("Interviewer", "Sarah", "Mark Davies", "Priya", "Tom", "Kemi", "Owen", "Jo")


def write_corpus(folder: Path, transcripts: int, words_each: int, seed: int = 1) -> int:
    """Write `transcripts` .txt files of about `words_each` words; return total words."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(transcripts):
        speakers = SPEAKERS[: rng.randint(2, len(SPEAKERS))]
        lines, words = [f"Synthetic transcript {n}", ""], 3
        turn = 0
        while words < words_each:
            who = speakers[0] if turn % 2 == 0 else rng.choice(speakers[1:])
            said = " ".join(rng.choice(PHRASES) for _ in range(rng.randint(2, 30)))
            said = said[0].upper() + said[1:] + "."
            lines.append(f"{who}: {said}")
            words += len(who.split()) + len(said.split())
            turn += 1
        (folder / f"t{n:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += words
    return total


# A theme with ten codes: what the analysis benchmarks code at.
THEME = "key: bench\nname: Bench\ncodes:\n  - key: theme\n    name: Theme\n    codes:\n" + "".join(
    f"      - {{key: code_{i}, name: Code {i}}}\n" for i in range(10))
TYPES = ["school_staff", "nhs_cypmhs", "other_cypmhs", "commissioner"]


def theme_project(folder: Path, transcripts: int, words_each: int, rng: random.Random,
                  generic_labels: bool = False):
    """A project of generated transcripts with the ten-code theme loaded and each
    participant (not the interviewer) given a random stakeholder type. `generic_labels`:
    speakers labelled P1…P7, so each transcript's speakers are participants of its own."""
    from qual_coder import services
    from qual_coder.storage import init_project

    corpus = folder / "corpus"
    write_corpus(corpus, transcripts, words_each)
    if generic_labels:
        for path in corpus.glob("*.txt"):
            text = path.read_text()
            for i, name in enumerate(SPEAKERS[1:], start=1):
                text = text.replace(f"\n{name}:", f"\nP{i}:")
            path.write_text(text)
    (folder / "bench.yaml").write_text(THEME)
    project = init_project(folder / "bench.db")
    services.import_transcripts(project, sorted(corpus.glob("*.txt")))
    services.load_codebook(project, folder / "bench.yaml")
    with project.transaction():
        for pid in project.conn.execute(
                "SELECT id FROM participants WHERE name != 'Interviewer'").fetchall():
            project.conn.execute("UPDATE participants SET stakeholder_type = ? WHERE id = ?",
                                 [rng.choice(TYPES), pid[0]])
    return project


# Short interviews for the benchmarks that grow a project to thousands of transcripts:
# an interviewer and a participant taking turns, each turn a few of these sentences.
SENTENCES = ("We talked about the waiting list again.", "The link worker came to the school.",
             "I think the second day was better.", "Nobody knew who to call.",
             "Referrals went up after the workshop.", "We set up a consultation line.",
             "Supervision for the nurses was the gap.", "Parents rang the school first.")


def short_project(path: Path, names: list[str], rng: random.Random, turns: int = 16,
                  sentences: int = 3) -> Path:
    """A project at `path` with one short interview per name (its files in a `corpus`
    folder beside it) and the shipped codebooks; no codings yet (`random_codings`)."""
    from qual_coder import services
    from qual_coder.paths import DEMO_CODEBOOKS
    from qual_coder.storage import init_project

    folder = path.parent / "corpus"
    folder.mkdir()
    files = []
    for name in names:
        lines = [("Interviewer" if t % 2 == 0 else "Participant") + ": "
                 + " ".join(rng.choice(SENTENCES) for _ in range(sentences))
                 for t in range(turns)]
        file = folder / f"{name}.txt"
        file.write_text("\n".join(lines) + "\n")
        files.append(file)
    with init_project(path) as project:
        for start in range(0, len(files), 500):
            services.import_transcripts(project, files[start:start + 500])
        for book in sorted(DEMO_CODEBOOKS.glob("*.yaml")):
            services.load_codebook(project, book)
    return path


def random_codings(project, rng: random.Random, coder: str, per_transcript: int = 40,
                   names_like: str = "%", codes: int = 12) -> list[tuple]:
    """`per_transcript` final codings of random spans (30-80 characters) at the first
    `codes` codes, on every transcript whose name is LIKE `names_like`, inserted in one
    transaction as a bulk import would; returns the rows."""
    import uuid

    conn = project.conn
    code_ids = [r[0] for r in conn.execute("SELECT id FROM codes")][:codes]
    rows = []
    for tid, length in conn.execute("SELECT id, length(text) FROM transcripts "
                                    "WHERE name LIKE ?", [names_like]):
        for _ in range(per_transcript):
            a = rng.randrange(0, length - 80)
            rows.append((tid, rng.choice(code_ids), a, a + rng.randrange(30, 80), coder,
                         str(uuid.UUID(int=rng.getrandbits(128)))))
    with project.transaction():
        conn.executemany(
            'INSERT INTO codings (transcript_id, code_id, start, "end", coder, status, guid, '
            "created_at) VALUES (?, ?, ?, ?, ?, 'final', ?, '2026-01-01T00:00:00')", rows)
    return rows


def run_probe(script: str, *args: str) -> dict:
    """Run a measuring script in a fresh process (from the checkout, the coder "bench", no
    environment beyond PATH); its last line of output is JSON."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
                         env={"PATH": "/usr/bin:/bin", "QUAL_CODER_CODER": "bench"})
    return json.loads(out.stdout.strip().splitlines()[-1])
