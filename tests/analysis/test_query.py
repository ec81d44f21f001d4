"""Coding queries: every operator checked against an independent computation over sets
of character offsets, on projects built in the test (nested codes, overlapping codings,
several coders, two transcripts); the parser's errors name the position and the problem."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.analysis.query import QueryError, parse
from qual_coder.services import reading
from qual_coder.services.query import answer_query as query
from qual_coder.services.query import code_results, save_query
from qual_coder.storage import init_project

SPEAKERS = ["Interviewer", "Ann", "Bob", "Cat"]
KEYS = ["a", "a1", "a2", "b", "c"]  # a1, a2 under a
CODERS = ["ana", "ben"]


def _build(path, codings):
    project = init_project(path)
    for name, n in (("one", 9), ("two", 6)):
        file = path.parent / f"{name}.txt"
        file.write_text("\n".join(f"{SPEAKERS[i % 4]}: Turn {i} says a few words on it, "
                                  f"then some more words." for i in range(n)) + "\n")
        services.import_transcripts(project, [file])
    services.add_code(project, "a", "Alpha theme", coder="lead")
    services.add_code(project, "a1", "Alpha one", parent="a", coder="lead")
    services.add_code(project, "a2", "Alpha two", parent="a", coder="lead")
    services.add_code(project, "b", "Beta", coder="lead")
    services.add_code(project, "c", "Gamma", coder="lead")
    for name, key, turn_i, offset, length, coder in codings:
        doc = reading.load_doc(project, name)
        turn = doc.turns[turn_i % len(doc.turns)]
        start = min(turn.start + offset, len(doc.text) - 2)
        services.add_coding(project, name, key, start, min(start + length, len(doc.text)),
                            coder=coder)
    return project


CODINGS = st.lists(st.tuples(st.sampled_from(["one", "two"]), st.sampled_from(KEYS),
                             st.integers(0, 8), st.integers(0, 45), st.integers(2, 120),
                             st.sampled_from(CODERS)), min_size=1, max_size=22)

TERMS = st.sampled_from(["a", "=a", "a1", "a2", "b", "c", '"Alpha one"', "Beta"])


def _exprs():
    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["AND", "OR", "AND NOT"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})")
        relation = st.tuples(inner, st.sampled_from(
            ["NEAR/0", "NEAR/4", "NEAR", "SAME TURN", "FOLLOWED BY", "FOLLOWED BY/1"]),
            inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        negation = inner.map(lambda t: f"NOT {t}")
        return binary | relation | negation
    return st.recursive(TERMS, extend, max_leaves=4)


# --- the independent computation: Python sets of offsets ------------------------------------

def _members(term: str) -> tuple[set[str], str]:
    name = term.strip('"')
    alone = name.startswith("=")
    name = name.lstrip("=")
    key = {"Alpha one": "a1", "Beta": "b"}.get(name, name)
    if alone or key != "a":
        return {key}, key
    return {"a", "a1", "a2"}, key


class Oracle:
    def __init__(self, project, coders=None):
        self.docs = {n: reading.load_doc(project, n) for n in ("one", "two")}
        self.codings = [g for g in services.list_codings(project, status="final")
                        if not coders or g["coder"] in coders]

    def code(self, term):
        keys, _ = _members(term)
        out = {n: set() for n in self.docs}
        for g in self.codings:
            if g["code"] in keys:
                out[g["transcript"]] |= set(range(g["start"], g["end"]))
        return out

    def turn_of(self, name, offset):
        starts = [t.start for t in self.docs[name].turns]
        return max([i for i, s in enumerate(starts) if s <= offset] or [0])

    def words_between(self, name, a, b):
        return len(re.findall(r"\w+(?:['’]\w+)*", self.docs[name].text[a:b]))

    def evaluate(self, node):
        from qual_coder.analysis.query import Binary, Not, Relation, Term

        if isinstance(node, Term):
            return self.code(("=" if node.alone else "") + node.name)
        if isinstance(node, Not):
            inner = self.evaluate(node.operand)
            return {n: set(range(len(d.text))) - inner[n] for n, d in self.docs.items()}
        left, right = self.evaluate(node.left), self.evaluate(node.right)
        if isinstance(node, Binary):
            op = {"AND": set.__and__, "OR": set.__or__, "AND NOT": set.__sub__}[node.op]
            return {n: op(left[n], right[n]) for n in self.docs}
        assert isinstance(node, Relation)
        out = {}
        for n in self.docs:
            others = runs(right[n])
            kept = set()
            for s, e in runs(left[n]):
                if any(self._related(node, n, (s, e), o) for o in others):
                    kept |= set(range(s, e))
            out[n] = kept
        return out

    def _related(self, node, n, p, q):
        if node.op == "NEAR":
            limit = 10 if node.n is None else node.n
            if p[0] < q[1] and q[0] < p[1]:
                return True
            gap = (q[1], p[0]) if q[1] <= p[0] else (p[1], q[0])
            return self.words_between(n, *gap) <= limit
        pf, pl = self.turn_of(n, p[0]), self.turn_of(n, p[1] - 1)
        qf, ql = self.turn_of(n, q[0]), self.turn_of(n, q[1] - 1)
        if node.op == "SAME TURN":
            return qf <= pl and pf <= ql
        return qf > pl and (node.n is None or qf - pl <= node.n)


def runs(offsets: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in sorted(offsets):
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _found(result):
    return {n: [(q.start, q.end) for q in result.quotes if q.transcript == n]
            for n in ("one", "two")}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(codings=CODINGS, expr=_exprs(), only=st.sampled_from([None, ["ana"]]))
def test_every_operator_matches_a_computation_over_character_sets(tmp_path_factory, codings,
                                                                 expr, only):
    project = _build(tmp_path_factory.mktemp("q") / "p.db", codings)
    try:
        oracle = Oracle(project, only)
        if only and not oracle.codings:
            return
        result = query(project, expr, coders=only, include_interviewer=True)
        expected = {n: runs(s) for n, s in oracle.evaluate(parse(expr)).items()}
        assert _found(result) == expected, expr
        for q in result.quotes:  # the codes present are the expression's codes that cover it
            for label in q.codes:
                sets = oracle.code(label)
                assert sets[q.transcript] & set(range(q.start, q.end)), (expr, label)
    finally:
        project.close()


@pytest.fixture
def built(tmp_path):
    codings = [("one", "a1", 1, 0, 30, "ana"), ("one", "b", 1, 10, 40, "ben"),
               ("one", "a2", 2, 5, 20, "ana"), ("one", "c", 3, 0, 25, "ana"),
               ("one", "b", 5, 0, 20, "ana"), ("two", "a1", 1, 0, 20, "ben"),
               ("two", "c", 2, 0, 10, "ben")]
    project = _build(tmp_path / "p.db", codings)
    yield project
    project.close()


def test_and_or_not_on_a_worked_example(built):
    doc = reading.load_doc(built, "one")
    t1 = doc.turns[1].start
    both = query(built, "a AND b")
    assert [(q.start, q.end) for q in both.quotes] == [(t1 + 10, t1 + 30)]
    assert both.quotes[0].codes == ["a", "b"]
    only_a = query(built, "Alpha theme AND NOT Beta")
    assert (t1, t1 + 10) in [(q.start, q.end) for q in only_a.quotes]
    # a code includes its sub-codes; =a is the code alone (nobody coded at a itself)
    assert query(built, "=a").quotes == []
    assert len(query(built, "a OR c").quotes) == 5


def test_precedence_and_labels(built):
    tree = parse('NOT x AND y OR z NEAR/3 "Alpha one"')
    assert type(tree).__name__ == "Binary" and tree.op == "OR"
    assert tree.left.op == "AND" and type(tree.left.left).__name__ == "Not"
    assert tree.right.op == "NEAR" and tree.right.n == 3 and tree.right.right.name == "Alpha one"
    multi = parse("Alpha one AND NOT Beta")
    assert multi.op == "AND NOT" and multi.left.name == "Alpha one"


@pytest.mark.parametrize("expr, position, problem", [
    ("a AND", 6, "ends where a code, NOT or ( was expected"),
    ("(a OR b", 1, "never closed"),
    ("a OR b)", 7, "closes nothing"),
    ("AND a", 1, "expected a code, NOT or (, found 'AND'"),
    ('a AND "b', 7, "quotation mark"),
    ('"a" "b"', 5, "expected an operator"),
    ("a NEAR/2", 9, "ends where a code"),
])
def test_parser_errors_name_the_position(expr, position, problem):
    with pytest.raises(QueryError) as err:
        parse(expr)
    message = str(err.value)
    assert f"position {position}:" in message and problem in message
    caret = message.splitlines()[-1]
    assert caret.index("^") - 2 == position - 1  # the caret stands under the problem


def test_an_unknown_code_is_named_with_its_position_and_a_hint(built):
    with pytest.raises(QueryError) as err:
        query(built, "a AND beat")
    assert "position 7" in str(err.value) and "did you mean 'b" in str(err.value).lower()
    with pytest.raises(QueryError) as err:
        query(built, "beta and gamma")
    assert "operators are written in capitals" in str(err.value)


def test_where_is_and_across_fields_or_within_one(built):
    types = {"Ann": "school_staff", "Bob": "nhs_cypmhs", "Cat": "commissioner"}
    for person in reading.participants(built):
        label = person["name"].split()[0]
        if label in types:
            services.set_participant(built, person["name"], stakeholder_type=types[label])
    hits = query(built, "a OR b OR c")
    types = {tuple(q.stakeholder_types) for q in hits.quotes}
    assert len(types) > 1
    school = query(built, "a OR b OR c", where={"stakeholder_type": ["school_staff"]})
    either = query(built, "a OR b OR c", where={"stakeholder_type": ["school_staff", "nhs_cypmhs"]})
    assert all("school_staff" in q.stakeholder_types for q in school.quotes)
    assert len(school.quotes) < len(either.quotes) <= len(hits.quotes)
    assert all({"school_staff", "nhs_cypmhs"} & set(q.stakeholder_types) for q in either.quotes)


def test_coder_filter_keeps_only_their_codings(built):
    assert {q.transcript for q in query(built, "a", coders=["ben"]).quotes} == {"two"}


def test_saved_queries_rerun_with_their_options(built):
    save_query(built, "alpha by ben", "a OR c", coders=["ben"], coder="ana")
    again = query(built, "@alpha by ben")
    assert [(q.transcript, q.start) for q in again.quotes] == [
        (q.transcript, q.start) for q in query(built, "a OR c", coders=["ben"]).quotes]
    with pytest.raises(Exception, match="no saved query 'nope'; saved: alpha by ben"):
        query(built, "@nope")
    with pytest.raises(QueryError):
        save_query(built, "broken", "a AND")
    with pytest.raises(QueryError, match="position 7: no code 'beat'"):
        save_query(built, "misspelt", "a AND beat")  # not saved to fail later
    with pytest.raises(Exception, match="no such stakeholder type"):
        save_query(built, "bad filter", "a", where={"stakeholder_type": ["nobody"]})
    from qual_coder.services.query import saved_queries

    assert [q["name"] for q in saved_queries(built)] == ["alpha by ben"]


def test_results_coded_at_a_new_code_are_one_undoable_action(built):
    result = query(built, "a AND NOT b")
    done = code_results(built, result, "alpha_only", coder="ana")
    assert done["created"] and done["passages"] == len(result.quotes) > 0
    coded = services.list_codings(built, code="alpha_only")
    assert sorted((g["start"], g["end"]) for g in coded) == sorted(
        (q.start, q.end) for q in result.quotes)
    before = len(services.list_codings(built))
    services.undo(built, coder="ana")
    assert len(services.list_codings(built)) == before - len(coded)
    assert "alpha_only" not in {c["key"] for c in services.tree(built)}


def test_cli_query_json_matrix_save_and_code_as(built, run):
    path = built.path
    built.close()
    out = run("query", path, "a OR b", "--format", "json")
    assert out.exit_code == 0, out.output
    hits = json.loads(out.output)
    assert hits and {"transcript", "start", "end", "text", "attribution", "codes"} <= set(hits[0])
    matrix = run("query", path, "a OR b", "--matrix", "kind", "--format", "json")
    data = json.loads(matrix.output)
    assert data["rows"] == ["passages", "participants", "transcripts"]
    assert data["cells"][0][-1] == len(hits)
    assert run("query", path, "a OR b", "--save", "ab").exit_code == 0
    listed = run("query", path, "--saved")
    assert "@ab: a OR b" in listed.output
    coded = run("query", path, "@ab", "--code-as", "ab_hits", "--as", "ana")
    assert coded.exit_code == 0 and "coded" in coded.output
    bad = run("query", path, "a AND (b")
    assert bad.exit_code == 1 and "position 7" in bad.output


def test_saved_queries_travel_in_a_qdpx(built, tmp_path):
    save_query(built, "alpha not beta", "a AND NOT b", where={"kind": ["interview"]},
               coder="ana")
    out = tmp_path / "p.qdpx"
    from qual_coder.services.exchange import export_qdpx, import_qdpx

    export_qdpx(built, out)
    other = init_project(tmp_path / "other.db")
    try:
        import_qdpx(other, out)
        from qual_coder.services.query import saved_queries

        [q] = saved_queries(other)
        assert (q["name"], q["expression"], q["options"]) == (
            "alpha not beta", "a AND NOT b", {"where": {"kind": ["interview"]}})
        assert [(x.start, x.end) for x in query(other, "@alpha not beta").quotes] == [
            (x.start, x.end) for x in query(built, "@alpha not beta").quotes]
    finally:
        other.close()
