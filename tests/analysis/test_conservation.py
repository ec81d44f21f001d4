"""Conservation: every final coding appears in every output that claims to cover its code,
and never twice. Checked over generated projects (random code trees, codings at every
level, several coders, interviewer turns) and over the demo, against an independent
reading of which codings count (those that touch a participant's turn)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.analysis.framework import WHOLE_THEME
from qual_coder.services import reading
from qual_coder.services.analyses import find_quotes, framework_matrix, frequency_matrix
from qual_coder.storage import init_project, open_project

SPEAKERS = ["Interviewer", "Ann", "Bob", "Cat"]


def _transcript(n_turns: int) -> str:
    return "\n".join(f"{SPEAKERS[i % 4]}: Turn {i} says several words about the theme here."
                     for i in range(n_turns)) + "\n"


TREES = st.lists(st.integers(0, 20), min_size=1, max_size=9)  # parent picks, see _codes
CODINGS = st.lists(st.tuples(st.integers(0, 8), st.integers(0, 11), st.integers(0, 40),
                             st.integers(3, 90), st.sampled_from(["ana", "ben", "cai"])),
                   min_size=1, max_size=25)


def _codes(picks: list[int]) -> list[tuple[str, str | None]]:
    """(key, parent) for a tree: code i's parent is an earlier code, or none."""
    out: list[tuple[str, str | None]] = []
    for i, pick in enumerate(picks):
        parent = None if i == 0 or pick % (i + 1) == i else f"c{pick % i}"
        out.append((f"c{i}", parent))
    return out


def _build(path, picks, codings):
    project = init_project(path)
    file = path.parent / "fg.txt"
    file.write_text(_transcript(12))
    services.import_transcripts(project, [file])
    codes = _codes(picks)
    for key, parent in codes:
        services.add_code(project, key, key.upper(), parent=parent, coder="lead")
    doc = reading.load_doc(project, "fg")
    for code_i, turn_i, offset, length, coder in codings:
        key = codes[code_i % len(codes)][0]
        turn = doc.turns[turn_i % len(doc.turns)]
        start = min(turn.start + offset, len(doc.text) - 2)
        services.add_coding(project, "fg", key, start, min(start + length, len(doc.text)),
                            coder=coder)
    return project, codes


def _counting(project) -> list[dict]:
    """Final codings that touch a participant's (not an interviewer's) turn: the ones every
    output draws from (an independent reading of the turns, not excerpt_links)."""
    out = []
    for g in services.list_codings(project, status="final"):
        doc = reading.load_doc(project, g["transcript"])
        if any(t.start < g["end"] and g["start"] < t.end and t.participant and
               not t.is_interviewer for t in doc.turns):
            out.append(g)
    return out


def _subtree(codes, key):
    found, frontier = {key}, [key]
    while frontier:
        k = frontier.pop()
        for child, parent in codes:
            if parent == k and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _check(project, codes):
    counting = _counting(project)
    tops = [k for k, p in codes if p is None]
    for theme in tops:
        chart = framework_matrix(project, theme, cases="transcript")
        children = [k for k, p in codes if p == theme]
        for g in counting:
            if g["code"] not in _subtree(codes, theme):
                continue
            column = (theme if not children or g["code"] == theme else
                      next(c for c in children if g["code"] in _subtree(codes, c)))
            # a passage several coders coded is one excerpt: the coding's words are inside
            # one excerpt of its own column
            held = [link for link in chart.links.get((g["transcript"], column), [])
                    if link["start"] <= g["start"] and g["end"] <= link["end"]]
            assert len(held) == 1, (g, column, held)
        for (case, code), links in chart.links.items():  # never twice in a cell
            spans = sorted((link["start"], link["end"]) for link in links)
            assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:])), (case, code)
        if children and any(g["code"] == theme for g in counting):
            assert WHOLE_THEME in chart.frame.columns
    for key, _ in codes:
        for alone in (False, True):
            quotes = find_quotes(project, [("=" if alone else "") + key])
            members = {key} if alone else _subtree(codes, key)
            spans = sorted((q.transcript, q.start, q.end) for q in quotes)
            for (t1, _, e1), (t2, s2, _) in zip(spans, spans[1:]):
                assert t1 != t2 or e1 <= s2  # no passage quoted twice
            for g in counting:
                if g["code"] in members:
                    assert any(t == g["transcript"] and s <= g["start"] and g["end"] <= e
                               for t, s, e in spans), (key, alone, g)
    m = frequency_matrix(project, "stakeholder_type", "excerpts")
    for key, _ in codes:
        covered = [g for g in counting if g["code"] in _subtree(codes, key)]
        assert (m.frame.loc[key, "Total"] > 0) == bool(covered), key


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(TREES, CODINGS)
def test_every_coding_is_in_every_output_that_covers_its_code_once(tmp_path_factory, picks,
                                                                    codings):
    project, codes = _build(tmp_path_factory.mktemp("conserve") / "p.db", picks, codings)
    try:
        _check(project, codes)
    finally:
        project.close()


def test_the_demo_report_quotes_every_theme_that_has_codings(demo_path, tmp_path, run):
    """On the demo with a coding at a theme that has sub-codes: the framework chart and
    the report have it, the report's headings count every code's own passages."""
    with open_project(demo_path) as p:
        doc = reading.load_doc(p, "northmoor_school_lead_interview")
        turn = next(t for t in doc.turns if t.participant and not t.is_interviewer)
        services.add_coding(p, doc.id, "design_setup", turn.start, turn.end, coder="ana")
        codes = [(c["key"], c["parent"]) for c in services.tree(p)]
        _check(p, codes)
        expected = {c["name"]: len(find_quotes(p, ["=" + c["key"]])) for c in services.tree(p)}
    out = tmp_path / "report.md"
    assert run("report", demo_path, "-o", out).exit_code == 0
    headings = re.findall(r"^### (.+?)(?: \(theme as a whole\))? \((\d+) excerpts?\)$",
                          out.read_text(), re.M)
    assert {name: int(n) for name, n in headings} == {k: v for k, v in expected.items() if v}
    assert "Designing and setting up the trainings (theme as a whole)" in out.read_text()
