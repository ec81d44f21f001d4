"""Coding queries, as NVivo's coding query and MAXQDA's complex coding query ask them:
where codes meet, where one occurs without the other, near another, in the same turn or
followed by it.

Each code is the set of characters its final codings cover (everyone's, or only the
coders named), a code with its sub-codes unless written `=key`. `A AND B` is where both
sets hold, `A OR B` where either does, `A AND NOT B` where A holds and B does not, `NOT A`
everything uncoded with A. Results are the merged spans. `A NEAR/n B` (within n words, same
transcript), `A SAME TURN B` and `A FOLLOWED BY B` (in a later turn of the same transcript;
`FOLLOWED BY/n`: within n turns) keep A's passages that qualify. Relations bind tighter
than NOT, NOT tighter than AND, AND tighter than OR; parentheses group.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from ..core.intervals import Spans, intersect, overlaps, subtract, union
from ..errors import NotFound, QualCoderError
from ..storage import Project, code_rows, coding_rows, transcript_rows
from .quotes import Quote, Where, attributed, resolve_where

if TYPE_CHECKING:
    import pandas as pd

Sets = dict[int, Spans]  # transcript id -> spans

NEAR_DEFAULT = 10
RELATIONS = ("NEAR", "SAME TURN", "FOLLOWED BY")
OPERATORS_HELP = ("AND, OR, NOT, AND NOT, NEAR/n, SAME TURN, FOLLOWED BY[/n] and "
                  "parentheses; a code by its key or label (quoted when it has spaces or "
                  "an operator's name), =key for the code without its sub-codes")


class QueryError(QualCoderError):
    """A query that cannot be read: the message names the position and the problem."""


@dataclass(frozen=True)
class Term:
    name: str  # as typed, without a leading "="
    alone: bool  # "=key": the code without its sub-codes
    pos: int


@dataclass(frozen=True)
class Not:
    operand: Node
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str  # AND, OR, AND NOT
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Relation:
    op: str  # NEAR, SAME TURN, FOLLOWED BY
    n: int | None  # NEAR: words; FOLLOWED BY: turns (None: any later turn)
    left: Node
    right: Node
    pos: int


Node = Union[Term, Not, Binary, Relation]


# --- reading an expression -------------------------------------------------------------

_TOKEN = re.compile(r"""\s+|(?P<open>\()|(?P<close>\))|"(?P<dq>[^"]*)"?|'(?P<sq>[^']*)'?"""
                    r"""|“(?P<cq>[^”]*)”?|(?P<word>[^\s()"'“]+)""")
_NEAR = re.compile(r"NEAR(?:/(\d+))?", re.IGNORECASE)
_BY = re.compile(r"BY(?:/(\d+))?")


@dataclass
class _Tok:
    kind: str  # op, rel, open, close, term
    value: str
    pos: int
    n: int | None = None
    quoted: bool = False


def _fail(expr: str, pos: int, problem: str) -> QueryError:
    return QueryError(f"query, position {pos + 1}: {problem}\n  {expr}\n  {' ' * pos}^")


def _tokens(expr: str) -> list[_Tok]:
    raw: list[_Tok] = []
    for m in _TOKEN.finditer(expr):
        if m.group("open"):
            raw.append(_Tok("open", "(", m.start()))
        elif m.group("close"):
            raw.append(_Tok("close", ")", m.start()))
        elif m.group("word") is not None:
            raw.append(_Tok("word", m.group("word"), m.start()))
        elif m.lastgroup in ("dq", "sq", "cq"):
            quote = expr[m.start()]
            closing = {"“": "”"}.get(quote, quote)
            if not m.group(0).endswith(closing) or len(m.group(0)) < 2:
                raise _fail(expr, m.start(), f"the quotation mark {quote} is never closed")
            value = m.group(m.lastgroup)
            if not value.strip():
                raise _fail(expr, m.start(), "empty quotation marks: put a code's name in them")
            raw.append(_Tok("term", " ".join(value.split()), m.start(), quoted=True))
    out: list[_Tok] = []
    i = 0
    while i < len(raw):
        t = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        near = _NEAR.fullmatch(t.value) if t.kind == "word" else None
        if t.kind == "word" and t.value in ("AND", "OR", "NOT"):
            out.append(_Tok("op", t.value, t.pos))
        elif near:
            out.append(_Tok("rel", "NEAR", t.pos, int(near.group(1) or NEAR_DEFAULT)))
        elif t.kind == "word" and t.value == "SAME" and nxt and nxt.kind == "word" \
                and nxt.value == "TURN":
            out.append(_Tok("rel", "SAME TURN", t.pos))
            i += 1
        elif t.kind == "word" and t.value == "FOLLOWED" and nxt and nxt.kind == "word" \
                and _BY.fullmatch(nxt.value):
            by = _BY.fullmatch(nxt.value)
            n = by.group(1) if by else None
            out.append(_Tok("rel", "FOLLOWED BY", t.pos, int(n) if n else None))
            i += 1
        elif t.kind == "word" and out and out[-1].kind == "term" and not out[-1].quoted:
            # Words in a row are one code's label: Referral pathways AND Waiting times.
            out[-1].value += " " + t.value
        elif t.kind == "word":
            out.append(_Tok("term", t.value, t.pos))
        else:
            out.append(t)
        i += 1
    return out


def parse(expr: str) -> Node:
    """The expression read into a tree; QueryError names the position of a problem."""
    if not expr.strip():
        raise QueryError(f"the query is empty: write codes joined by {OPERATORS_HELP}")
    toks = _tokens(expr)
    at = 0

    def peek() -> _Tok | None:
        return toks[at] if at < len(toks) else None

    def take() -> _Tok:
        nonlocal at
        at += 1
        return toks[at - 1]

    def expected(what: str) -> QueryError:
        t = peek()
        if t is None:
            return _fail(expr, len(expr.rstrip()), f"the query ends where {what} was expected")
        return _fail(expr, t.pos, f"expected {what}, found '{t.value}'")

    def either() -> Node:
        left = both()
        while (t := peek()) and t.kind == "op" and t.value == "OR":
            take()
            left = Binary("OR", left, both(), t.pos)
        return left

    def both() -> Node:
        left = unary()
        while (t := peek()) and t.kind == "op" and t.value == "AND":
            take()
            n = peek()
            if n and n.kind == "op" and n.value == "NOT":
                take()
                left = Binary("AND NOT", left, unary(), t.pos)
            else:
                left = Binary("AND", left, unary(), t.pos)
        return left

    def negatable(inner: Callable[[], Node]) -> Node:
        """NOT before `inner` (any number of times), or `inner` alone."""
        t = peek()
        if t and t.kind == "op" and t.value == "NOT":
            take()
            return Not(negatable(inner), t.pos)
        return inner()

    def unary() -> Node:  # NOT binds looser than a relation: NOT (A NEAR B)
        return negatable(related)

    def related() -> Node:
        left = primary()
        while (t := peek()) and t.kind == "rel":
            take()  # a relation's right side may be negated: A NEAR NOT B
            left = Relation(t.value, t.n, left, negatable(primary), t.pos)
        return left

    def primary() -> Node:
        t = peek()
        if t is None or t.kind not in ("open", "term"):
            raise expected("a code, NOT or (")
        take()
        if t.kind == "open":
            inner = either()
            close = peek()
            if close is None or close.kind != "close":
                if close is None:
                    raise _fail(expr, t.pos, "this parenthesis is never closed")
                raise expected("an operator or )")
            take()
            return inner
        alone = t.value.startswith("=")
        name = t.value[1:].strip() if alone else t.value
        if not name:
            raise _fail(expr, t.pos, "= stands before a code's key: =key is the code "
                                     "without its sub-codes")
        return Term(name, alone, t.pos)

    tree = either()
    rest = peek()
    if rest is not None:
        if rest.kind == "close":
            raise _fail(expr, rest.pos, "this parenthesis closes nothing that was opened")
        raise expected("an operator (AND, OR, NEAR/n, SAME TURN, FOLLOWED BY)")
    return tree


def terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return terms(node.operand)
    return terms(node.left) + terms(node.right)


# --- character sets --------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class Result:
    expression: str
    spans: dict[int, list[tuple[int, int, set[str]]]]  # transcript id -> spans with codes
    quotes: list[Quote]


def code_key(project: Project, expr: str, term: Term) -> str:
    """The code key a term names; an unknown name is an error at its position."""
    try:
        return code_rows.code(project.conn, term.name)["key"]
    except NotFound as err:
        hint = ""
        if re.search(r"\b(and|or|not|near|same turn|followed by)\b", term.name):
            hint = " (operators are written in capitals: AND, OR, NOT, NEAR/n, SAME " \
                   "TURN, FOLLOWED BY; a label with an operator's word goes in quotes)"
        raise _fail(expr, term.pos, f"{err}{hint}") from None


def check_query(project: Project, expression: str, where: Where | None = None,
                coders: list[str] | None = None) -> None:
    """Everything a query names exists: it reads, its codes, filters and coders are
    known (what saving a query checks, without running it)."""
    from .matrix import check_coders

    for term in terms(parse(expression)):
        code_key(project, expression, term)
    resolve_where(project.conn, where or {})
    check_coders(project, coders)


class _Evaluator:
    def __init__(self, project: Project, coders: list[str] | None) -> None:
        self.project = project
        self.conn = project.conn
        self.coders = coders
        self.codes: dict[str, Sets] = {}
        self._lengths: dict[int, int] | None = None
        self._turns: dict[int, list[int]] = {}
        self._texts: dict[int, str] = {}

    def resolve(self, expr: str, term: Term) -> str:
        """The term's label (=key for the code alone), its character set read once."""
        key = code_key(self.project, expr, term)
        label = ("=" if term.alone else "") + key
        if label not in self.codes:
            keys = [key] + ([] if term.alone else code_rows.descendant_keys(self.conn, key))
            found: dict[int, list[tuple[int, int]]] = {}
            for tid, start, end in coding_rows.final_spans(self.conn, keys, self.coders):
                found.setdefault(tid, []).append((start, end))
            self.codes[label] = {tid: union(v) for tid, v in found.items()}
        return label

    def lengths(self) -> dict[int, int]:
        if self._lengths is None:
            self._lengths = transcript_rows.lengths_by_id(self.conn)
        return self._lengths

    def turns(self, tid: int) -> list[int]:
        """Where each of a transcript's turns starts, in order ([0] when it has none: the
        transcript is one turn)."""
        if tid not in self._turns:
            self._turns[tid] = transcript_rows.turn_starts_of(self.conn, tid) or [0]
        return self._turns[tid]

    def text(self, tid: int) -> str:
        if tid not in self._texts:
            self._texts[tid] = transcript_rows.text_of(self.conn, tid)
        return self._texts[tid]

    def run(self, node: Node, labels: dict[int, str]) -> Sets:
        if isinstance(node, Term):
            return self.codes[labels[id(node)]]
        if isinstance(node, Not):
            inner = self.run(node.operand, labels)
            return {tid: left for tid, n in self.lengths().items() if n and
                    (left := subtract([(0, n)], inner.get(tid, [])))}
        a = self.run(node.left, labels)
        b = self.run(node.right, labels)
        if isinstance(node, Binary):
            if node.op == "OR":
                return {tid: union(a.get(tid, []) + b.get(tid, [])) for tid in a.keys() | b}
            if node.op == "AND":
                both = {tid: intersect(a[tid], b[tid]) for tid in a.keys() & b}
            else:
                both = {tid: subtract(a[tid], b.get(tid, [])) for tid in a}
            return {tid: v for tid, v in both.items() if v}
        out: Sets = {}
        for tid in a.keys() & b:
            kept = self._related(node, tid, a[tid], b[tid])
            if kept:
                out[tid] = kept
        return out

    def _related(self, node: Relation, tid: int, passages: Spans, others: Spans) -> Spans:
        """The passages that stand in `node`'s relation to one of `others` (both sorted
        and disjoint, so each look-up is a bisection)."""
        if node.op == "NEAR":
            text, limit = self.text(tid), node.n if node.n is not None else NEAR_DEFAULT
            starts = [o[0] for o in others]
            kept = []
            for s, e in passages:
                i = bisect_left(starts, e)  # others[:i] start before this passage ends
                if (i and others[i - 1][1] > s  # they overlap
                        or i and len(_WORD.findall(text[others[i - 1][1]:s])) <= limit
                        or i < len(others)
                        and len(_WORD.findall(text[e:others[i][0]])) <= limit):
                    kept.append((s, e))
            return kept
        turn_starts = self.turns(tid)
        # Others are disjoint and sorted, so their first and last turns never decrease.
        firsts, lasts = zip(*(_turn_range(turn_starts, s, e) for s, e in others))
        kept = []
        for s, e in passages:
            first, last = _turn_range(turn_starts, s, e)
            j = bisect_right(firsts, last)  # others[:j] begin in this passage's last turn or before
            if node.op == "SAME TURN":
                hit = j > 0 and lasts[j - 1] >= first
            else:  # FOLLOWED BY: the next other to begin in a later turn
                hit = j < len(firsts) and (node.n is None or firsts[j] - last <= node.n)
            if hit:
                kept.append((s, e))
        return kept


def _turn_range(turn_starts: list[int], s: int, e: int) -> tuple[int, int]:
    """The numbers of the first and last turn [s, e) lies in (text between turns goes with
    the turn before it, text before the first turn with the first)."""
    first = max(bisect_right(turn_starts, s) - 1, 0)
    return first, max(bisect_left(turn_starts, e) - 1, first)


def run_query(project: Project, expression: str, where: Where | None = None,
              coders: list[str] | None = None, include_interviewer: bool = False) -> Result:
    """The passages `expression` finds, as attributed quotes (see the module's doc for
    the semantics), kept when `where` matches who spoke them; codes present in each
    are the expression's codes that cover some of it."""
    from .matrix import check_coders

    tree = parse(expression)
    evaluator = _Evaluator(project, check_coders(project, coders))
    resolved_where = resolve_where(project.conn, where or {})
    labels = {id(t): evaluator.resolve(expression, t) for t in terms(tree)}
    found = evaluator.run(tree, labels)
    named = list(dict.fromkeys(labels.values()))
    spans: dict[int, list[tuple[int, int, set[str]]]] = {}
    for tid, passages in found.items():
        bounds = {k: ([s for s, _ in v], [e for _, e in v]) for k in named
                  if (v := evaluator.codes[k].get(tid))}
        spans[tid] = [(s, e, {k for k, (starts, ends) in bounds.items()
                              if overlaps(starts, ends, s, e)}) for s, e in passages]
    quotes = attributed(project, spans, resolved_where, include_interviewer)
    return Result(expression, spans, quotes)


MATRIX_FIELDS = ("stakeholder_type", "role", "site", "kind", "participant", "transcript")


def query_matrix(project: Project, quotes: list[Quote], field: str) -> pd.DataFrame:
    """The query's hits by an attribute, as NVivo's matrix coding query lays them out:
    passages, participants and transcripts (rows) for each value (columns, labels as people
    read them) and in all. A passage two kinds of speaker share counts in both columns,
    once in the total."""
    import pandas as pd

    name = "_".join(field.split()).casefold()
    if name not in MATRIX_FIELDS:
        raise QualCoderError(f"--matrix is one of {', '.join(MATRIX_FIELDS)}, not '{field}'")
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    if name == "stakeholder_type":
        labels = {t["key"]: t["label"] or t["key"] for t in
                  transcript_rows.stakeholder_types(project.conn)}
    if name == "kind":
        kinds = {t["name"]: t["kind"] for t in transcript_rows.list_transcripts(project.conn)}

    def values(q: Quote) -> list[str]:
        if name == "stakeholder_type":
            return [labels.get(s, s) for s in q.stakeholder_types] or ["(not recorded)"]
        if name == "role":
            return q.roles or ["(not recorded)"]
        if name == "site":
            return [q.site or "(not recorded)"]
        if name == "kind":
            return [kinds.get(q.transcript, "") or "(not recorded)"]
        if name == "participant":
            return q.participants or ["(no participant)"]
        return [q.transcript]

    cells: dict[str, tuple[int, set[str], set[str]]] = {}
    for q in quotes:
        for v in dict.fromkeys(values(q)):
            n, people, where = cells.get(v, (0, set(), set()))
            cells[v] = (n + 1, people | set(q.participants), where | {q.transcript})
    order = sorted(cells, key=lambda v: (v.startswith("("), v.casefold()))
    frame = pd.DataFrame(
        {v: [cells[v][0], len(cells[v][1]), len(cells[v][2])] for v in order}
        | {"Total": [len(quotes), len({p for q in quotes for p in q.participants}),
                     len({q.transcript for q in quotes})]},
        index=["passages", "participants", "transcripts"])
    return frame
