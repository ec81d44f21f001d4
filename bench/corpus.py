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
