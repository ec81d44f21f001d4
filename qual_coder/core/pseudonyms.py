"""Finding names of people, schools and places, and replacing them consistently while
keeping every offset-based coding on the same words. Stdlib only."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor)\.?"
SCHOOL_WORDS = (r"(?:Primary(?: School)?|Academy|Community College|College|High(?: School)?|"
                r"Infants|Junior(?: School)?|School|Secondary)")
_CAP = r"[A-Z][a-z'’\-]+"


@dataclass
class Candidate:
    name: str
    kind: str  # person, school, place
    replacement: str
    occurrences: int = 0


def find_candidates(texts: list[str], people: list[dict[str, Any]], sites: list[str],
                    entities: list[tuple[str, str]] | tuple[()] = ()) -> list[Candidate]:
    """people: [{"name", "label" (the role to number by), "aliases": [...]}];
    entities: (text, kind) found by a named-entity recogniser, kind person/org/place."""
    found: dict[str, Candidate] = {}
    counters: dict[str, int] = {}

    def label_for(role: str) -> str:
        counters[role] = counters.get(role, 0) + 1
        return f"[{role} {counters[role]}]"

    listed = set()
    for person in people:
        label = label_for(person["label"])
        listed.add(person["name"])
        for alias in [person["name"], *person.get("aliases", [])]:
            if alias and len(alias) >= 2 and alias not in found:
                found[alias] = Candidate(alias, "person", label)
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for site in sites:
        if site and site not in found:
            found[site] = Candidate(site, "place", f"[Site {next(letters)}]")
    joined = "\n".join(texts)
    schools = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for m in re.finditer(rf"\b((?:{_CAP} ){{1,3}}){SCHOOL_WORDS}\b", joined):
        name = m.group(0)
        if name not in found and not name.startswith(("The ", "A ", "Our ", "My ")):
            found[name] = Candidate(name, "school", f"[School {next(schools, 'Z')}]")
    for m in re.finditer(rf"\b{TITLES} ({_CAP})\b", joined):
        if m.group(0) not in found and m.group(1) not in found:
            found[m.group(0)] = Candidate(m.group(0), "person", label_for("Person"))
    orgs, places = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for text, kind in entities:
        if text in found or len(text) < 2:
            continue
        if kind == "person":
            found[text] = Candidate(text, "person", label_for("Person"))
        elif kind == "org":
            found[text] = Candidate(text, "organisation", f"[Organisation {next(orgs, 'Z')}]")
        else:
            found[text] = Candidate(text, "place", f"[Place {next(places, 'Z')}]")
    for c in found.values():
        c.occurrences = len(re.findall(rf"(?<![\w]){re.escape(c.name)}(?![\w])", joined))
    # Participants' full names stay even when the text never uses them: they are in the
    # participant list, which the copy renames too.
    return [c for c in found.values() if c.occurrences or c.name in listed]


def replacements_in(text: str, mapping: dict[str, str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) for every whole-word occurrence, longest
    names first so 'Sarah Whitfield' wins over 'Sarah'. A name is found as written, in
    capitals ("EASTBRIDGE" in a header) and in title case; not in lower case, where it is
    more often a word ("mark", "grace") than a name."""
    taken: list[tuple[int, int, str]] = []
    for name in sorted(mapping, key=len, reverse=True):
        forms = "|".join(re.escape(f) for f in dict.fromkeys((name, name.upper(), name.title())))
        for m in re.finditer(rf"(?<![\w])(?:{forms})(?![\w])", text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), mapping[name]))
    return sorted(taken)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for s, e, new in edits:
        out += [text[pos:s], new]
        pos = e
    out.append(text[pos:])
    return "".join(out)


class OffsetMap:
    """Old offsets to new ones through sorted, non-overlapping edits. An offset inside
    a replaced name moves to the replacement's end (or start, for a span's start), so a
    coding that began or ended inside a name still covers the whole replacement."""

    def __init__(self, edits: list[tuple[int, int, str]]):
        self.edits = edits
        self.starts = [s for s, _, _ in edits]
        shift, self.shifts = 0, []
        for s, e, new in edits:
            self.shifts.append(shift)
            shift += len(new) - (e - s)

    def __call__(self, offset: int, is_start: bool = False) -> int:
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return offset
        s, e, new = self.edits[i]
        shift = self.shifts[i]
        if offset >= e:
            return offset + shift + len(new) - (e - s)
        if offset == s or is_start:
            return s + shift
        return s + shift + len(new)
