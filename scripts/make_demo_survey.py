"""Write the demo's illustrative pre/post survey (transcripts/survey.csv and
transcripts/survey_items.yaml), shaped like the CASCADE evaluation's: 166 school leads at
baseline, 49 of them (29.5%) again at follow-up, contact with NHS CYPMHS rising from about a
quarter to about half 'monthly or continuous'. Random but seeded; run it to regenerate."""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "transcripts"
LEVELS = ["never", "a few times a year", "every few months", "monthly", "continuous"]
ITEMS = """# Illustrative survey items for the demo (see transcripts/README.md).
contact_cypmhs:
  label: Contact with NHS CYPMHS
  type: likert
  levels: [never, a few times a year, every few months, monthly, continuous]
  groups:
    monthly or continuous: [monthly, continuous]
contact_school_support:
  label: Contact with specialist mental health support within the school
  type: likert
  levels: [never, a few times a year, every few months, monthly, continuous]
  groups:
    monthly or continuous: [monthly, continuous]
confidence:
  label: Confidence talking with students about mental health (1-10)
  type: numeric
role:
  label: Role in school
  type: categorical
  levels: [Inclusion co-ordinator, SENCo, Assistant head, Deputy head, Headteacher, Learning mentor]
"""
ROLES = ["Inclusion co-ordinator"] * 29 + ["SENCo"] * 27 + ["Assistant head"] * 18 + \
    ["Deputy head"] * 8 + ["Headteacher"] * 8 + ["Learning mentor"] * 8


def pick(rng: random.Random, weights: list[float]) -> str:
    return rng.choices(LEVELS, weights=weights)[0]


def main() -> None:
    rng = random.Random(2016)
    rows = []
    followers = set(rng.sample(range(1, 167), 49))
    for i in range(1, 167):
        rid = f"S{i:03d}"
        role = rng.choice(ROLES)
        base_contact = pick(rng, [30, 28, 18, 16, 8])
        base_school = pick(rng, [20, 30, 21, 19, 10])
        confidence = rng.randint(3, 8)
        rows.append([rid, "baseline", base_contact, base_school,
                     "" if rng.random() < 0.04 else confidence, role])
        if i in followers:
            up = min(LEVELS.index(base_contact) + rng.choice([0, 1, 1, 2]), 4)
            school_up = min(LEVELS.index(base_school) + rng.choice([0, 0, 1]), 4)
            rows.append([rid, "follow-up", LEVELS[up], LEVELS[school_up],
                         min(10, confidence + rng.choice([0, 1, 1, 2])), role])
    with open(OUT / "survey.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["respondent_id", "wave", "contact_cypmhs", "contact_school_support",
                    "confidence", "role"])
        w.writerows(rows)
    (OUT / "survey_items.yaml").write_text(ITEMS, encoding="utf-8")


if __name__ == "__main__":
    main()
