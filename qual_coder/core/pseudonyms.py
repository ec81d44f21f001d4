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
# Capitalised words before a school word that are not a school's name.
_NOT_NAMES = frozenset({"The", "A", "An", "Our", "My", "Your", "Their", "His", "Her", "This",
                        "That", "Every", "Each", "Local", "Special", "Secondary", "Primary",
                        "Community", "High", "Junior", "Infant", "Free", "Faith", "State"})


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
        if name in found or name.startswith(("The ", "A ", "Our ", "My ")):
            continue
        found[name] = Candidate(name, "school", f"[School {next(schools, 'Z')}]")
        # The name without "Primary" or "Academy" is how people go on to say it
        # ("Hilltop Junior" ... "over at Hilltop"): the same school, the same replacement.
        words = m.group(1).split()
        while words and words[-1] in _NOT_NAMES:  # "Kelsey Vale Community" College
            words.pop()
        bare = " ".join(words)
        if bare and bare not in found and words[0] not in _NOT_NAMES:
            found[bare] = Candidate(bare, "school", found[name].replacement)
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
        c.occurrences = whole_occurrences(c.name, joined)
    # Participants' full names stay even when the text never uses them: they are in the
    # participant list, which the copy renames too.
    return [c for c in found.values() if c.occurrences or c.name in listed]


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def whole_occurrences(name: str, text: str) -> int:
    """How often `name` stands in `text` as a whole (no word character either side), not
    overlapping: what a regex scan with `(?<!\\w)NAME(?!\\w)` counts, by str.find, which
    skips to each occurrence (a regex scan a name took 4 ms of the demo's text, and
    pseudonymisation and discovery count well over a hundred names)."""
    count, at = 0, text.find(name)
    while at != -1 and name:
        end = at + len(name)
        if (at == 0 or not _word_char(text[at - 1])) and (
                end == len(text) or not _word_char(text[end])):
            count += 1
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return count


# Words inside a school's or a service's name that do not name it ("Orchard Lane Primary"
# is named by Orchard and Lane): left in the language where the name is taken out.
_INSTITUTION = frozenset({"school", "schools", "primary", "academy", "college", "high",
                          "junior", "infants", "infant", "community", "secondary", "the", "of",
                          "and", "st", "saint", "centre", "center", "service", "trust"})


def naming_words(name: str) -> list[str]:
    """The words of `name` that name someone or somewhere (not "Primary" or "School")."""
    return [w for w in name.split() if w.lower() not in _INSTITUTION]


def name_pattern(name: str) -> str:
    """A regex for `name` in every form it takes in a file or an identifier: its words
    joined by spaces, underscores or hyphens ("Kelsey Vale", "kelsey_vale", "Kelsey-Vale")."""
    return r"[\s_\-]+".join(re.escape(w) for w in name.split())


def replacements_in(text: str, mapping: dict[str, str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) for every whole-word occurrence, longest
    names first so 'Sarah Whitfield' wins over 'Sarah'. A name is found as written, in
    capitals ("EASTBRIDGE" in a header) and in title case, its words joined by spaces,
    underscores or hyphens, with a possessive; a one-word name not in lower case, where it
    is more often a word ("mark", "grace") than a name; a name of two words or more in any
    case ("kelsey vale" is still the place)."""
    taken: list[tuple[int, int, str]] = []
    for name in sorted(mapping, key=len, reverse=True):
        if len(name.split()) > 1:
            pattern = re.compile(rf"(?<![^\W_])(?:{name_pattern(name)})(?![^\W_])", re.I)
        else:
            forms = "|".join(re.escape(f) for f in dict.fromkeys((name, name.upper(),
                                                                  name.title())))
            pattern = re.compile(rf"(?<![\w])(?:{forms})(?![\w])")
        for m in pattern.finditer(text):
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
