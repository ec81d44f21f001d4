"""CASCADE framework ratings: import (long or wide layout) and the paper's Table 1.

Domains are the keys of codebooks/cascade.yaml (full names accepted); ratings are
0-3 or their labels. The table gives, per domain, the percentage of areas at each
level at each workshop, a Wilcoxon signed-rank test over areas rated at both (SPSS
conventions), the Bonferroni threshold and Cronbach's alpha across domains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..core.cascade import LEVELS
from ..errors import ImportRefused, QualCoderError
from ..paths import DEMO_CODEBOOKS
from ..storage import Project, code_rows, rating_rows
from .stats import apa_p, cronbach_alpha, wilcoxon_spss
from .tabular import read_table

LABELS = {"major challenge": 0, "good elements of practice": 1,
          "elements of good practice": 1, "widespread good practice": 2, "gold standard": 3}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower().replace(",", ""))


def domains(project: Project) -> list[tuple[str, str]]:
    """(key, name) of the CASCADE domains: from the project's 'cascade' codebook if
    loaded, else the shipped codebooks/cascade.yaml."""
    rows = code_rows.top_codes(project.conn, "cascade")
    if rows:
        return [(k, n) for k, n in rows]
    from ..exchange.yaml_codebook import load_codebook_file

    book, _ = load_codebook_file(DEMO_CODEBOOKS / "cascade.yaml")
    return [(c.key, c.name) for c in book.children(None)]


def _domain_lookup(project: Project) -> dict[str, str]:
    lookup = {}
    for key, name in domains(project):
        lookup[_norm(key)] = key
        lookup[_norm(name)] = key
    return lookup


def parse_rating(value: str) -> int | None:
    v = _norm(value)
    if v in LABELS:
        return LABELS[v]
    if re.fullmatch(r"\d+(\.0+)?", v):
        n = int(float(v))
        return n if 0 <= n <= 3 else None
    return None


@dataclass
class CascadeImport:
    ratings: int
    areas: int
    workshops: list[str]
    replaced: int
    notes: list[str] = field(default_factory=list)  # what reading the file had to guess


def read_ratings(project: Project, path: str | Path, notes: list[str] | None = None,
                 ) -> tuple[list[tuple[str, str, int, str, int]], list[str]]:
    """A ratings file read and checked: (area, workshop, workshop order, domain, rating)
    rows and the workshops in file order; what reading it had to guess goes in `notes`.
    Any error refuses the whole file."""
    path = Path(path)
    df = read_table(path, notes)
    cols = {c.lower(): c for c in df.columns}
    lookup = _domain_lookup(project)
    for need in ("area", "workshop"):
        if need not in cols:
            raise ImportRefused(f"{path} row 1: no '{need}' column; a ratings file has area, "
                                "workshop and either domain + rating or one column per domain")
    long = "domain" in cols and "rating" in cols
    records: list[tuple[int, str, str, str, str, str]] = []  # row, col, area, ws, domain, value
    if long:
        for i, r in df.iterrows():  # the index is the file's row numbers
            records.append((cast(int, i), cols["rating"], r[cols["area"]], r[cols["workshop"]],
                            r[cols["domain"]], r[cols["rating"]]))
    else:
        domain_cols = [c for c in df.columns if c.lower() not in ("area", "workshop")]
        for c in domain_cols:
            if _norm(c) not in lookup:
                raise ImportRefused(f"{path} row 1, column '{c}': not a CASCADE domain; use "
                                    "the keys of codebooks/cascade.yaml (e.g. clarity_roles) or "
                                    "the domains' full names")
        for i, r in df.iterrows():
            for c in domain_cols:
                records.append((cast(int, i), c, r[cols["area"]], r[cols["workshop"]], c, r[c]))
    errors: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}  # (area, workshop, domain) -> first row
    rows: list[tuple[str, str, int, str, int]] = []
    order: dict[str, int] = {}
    for row, col, area, workshop, domain, value in records:
        where = f"{path} row {row}, column '{col}'"
        if not area or not workshop:
            errors.append(f"{path} row {row}: area and workshop must not be empty")
            continue
        key = lookup.get(_norm(domain))
        if key is None:
            errors.append(f"{path} row {row}, column 'domain': unknown domain '{domain}'")
            continue
        if value == "":
            continue  # not rated
        rating = parse_rating(value)
        if rating is None:
            errors.append(f"{where}: '{value}' is not a rating; use 0-3 or "
                          + ", ".join(LEVELS))
            continue
        if (area, workshop, key) in seen:
            errors.append(f"{where}: {area}, workshop {workshop}, {key} is rated twice "
                          f"(first at row {seen[(area, workshop, key)]})")
            continue
        seen[(area, workshop, key)] = row
        order.setdefault(workshop, len(order))
        rows.append((area, workshop, order[workshop], key, rating))
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportRefused("\n".join(errors[:10]) + more + "\nnothing was imported")
    if not rows:
        raise ImportRefused(f"{path}: no ratings found")
    return rows, list(order)


@dataclass
class DomainRow:
    key: str
    name: str
    workshops: list[dict[str, Any]] = field(default_factory=list)
    wilcoxon: dict[str, Any] = field(default_factory=dict)


def cascade_table(project: Project, alpha: float = 0.05) -> dict[str, Any]:
    """Table 1 of the paper from the project's ratings (see `table_from`)."""
    ratings = rating_rows.ratings(project.conn)
    if not ratings:
        raise QualCoderError("no CASCADE ratings in the project; import them with "
                             "`qual-coder cascade import PROJECT FILE`")
    return table_from(ratings, domains(project), alpha)


def table_from(ratings: list[tuple[str, str, int, str, int]], all_domains: list[tuple[str, str]],
               alpha: float = 0.05) -> dict[str, Any]:
    """Table 1 from (area, workshop, workshop order, domain key, rating 0-3) rows and the
    domains' (key, name) in order: per domain and workshop the share of areas at each
    level, the first-to-last Wilcoxon signed-rank test as SPSS reports it (Bonferroni
    over the domains rated), and Cronbach's alpha pooled and per workshop."""
    workshops = [w for w, _ in sorted({(w, o) for _, w, o, _, _ in ratings},
                                      key=lambda x: x[1])]
    by = {(a, w, d): r for a, w, _, d, r in ratings}
    doms = [(k, n) for k, n in all_domains if any(d == k for _, _, _, d, _ in ratings)]
    bonferroni = alpha / len(doms)
    out = []
    for key, name in doms:
        row: dict[str, Any] = {"key": key, "name": name, "workshops": []}
        for w in workshops:
            values = [r for (a, ws, d), r in by.items() if ws == w and d == key]
            n = len(values)
            row["workshops"].append({
                "label": w, "n": n,
                "percent": [round(100 * values.count(level) / n, 1) if n else None
                            for level in range(4)]})
        if len(workshops) >= 2:
            first, last = workshops[0], workshops[-1]
            areas = sorted({a for (a, ws, d) in by if d == key and ws == first}
                           & {a for (a, ws, d) in by if d == key and ws == last})
            test = wilcoxon_spss([by[(a, first, key)] for a in areas],
                                 [by[(a, last, key)] for a in areas])
            row["wilcoxon"] = {"n_pairs": test.n_pairs, "areas": test.n_total,
                               "z": round(test.z, 4) if test.z == test.z else None,
                               "p": test.p if test.p == test.p else None,
                               "p_log10": round(test.log10_p, 4) if test.log10_p == test.log10_p
                               else None,
                               "p_exact": test.p_exact if test.p_exact == test.p_exact
                               else None,
                               "significant": bool(test.p == test.p and test.p < bonferroni),
                               "compares": [first, last]}
        out.append(row)
    alphas = {w: _alpha(by, doms, [w]) for w in workshops}
    alphas["pooled"] = _alpha(by, doms, workshops)
    return {"domains": out, "workshops": workshops, "levels": list(LEVELS),
            "bonferroni_alpha": round(bonferroni, 4), "cronbach_alpha": alphas,
            "cronbach_alpha_note": POOLED_NOTE}


POOLED_NOTE = ("the pooled figure treats each area's ratings at the two workshops as "
               "independent cases, and the change between the workshops inflates it; "
               "report the per-workshop figures")


def alpha_sentence(table: dict[str, Any]) -> str:
    """Cronbach's alpha as a methods section states it: per workshop, the pooled figure
    after them with its caveat."""
    alpha = table["cronbach_alpha"]

    def shown(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}".replace("0.", ".", 1)

    per = ", ".join(f"workshop {w} {shown(alpha.get(w))}" for w in table["workshops"])
    pooled = alpha.get("pooled")
    tail = (f" (pooled {shown(pooled)}: {POOLED_NOTE})" if len(table["workshops"]) > 1
            and pooled is not None else "")
    return f"Cronbach's alpha across domains: {per}{tail}."


def _alpha(by: dict[tuple[str, str, str], int], doms: list[tuple[str, str]],
           workshops: list[str]) -> float | None:
    cases = sorted({(a, w) for (a, w, _) in by if w in workshops})
    rows: list[list[float]] = [[by[(a, w, k)] for k, _ in doms] for a, w in cases
            if all((a, w, k) in by for k, _ in doms)]
    value = cronbach_alpha(rows)
    return round(value, 3) if value == value else None


def format_table(table: dict[str, Any]) -> str:
    """Table 1 as the paper lays it out, for the terminal or Markdown."""
    lines = ["| Domain | Workshop | n | " + " | ".join(table["levels"]) + " | Z | p |",
             "|---|---|---|" + "---|" * len(table["levels"]) + "---|---|"]
    for d in table["domains"]:
        w = d.get("wilcoxon", {})
        for i, ws in enumerate(d["workshops"]):
            pct = " | ".join("–" if p is None else f"{p:.1f}%" for p in ws["percent"])
            z = f"{w['z']:.2f}" if i == 0 and w.get("z") is not None else ""
            p = (apa_p(w["p"], with_p=False) + ("*" if w["significant"] else "")
                 if i == 0 and w.get("p") is not None else "")
            lines.append(f"| {d['name'] if i == 0 else ''} | {ws['label']} | {ws['n']} | {pct} "
                         f"| {z} | {p} |")
    lines += ["", f"* significant at the Bonferroni-adjusted threshold p < "
                  f"{table['bonferroni_alpha']} (.05 / {len(table['domains'])} domains).",
              "Wilcoxon signed-rank test over areas rated at both workshops (zero differences "
              "dropped, ties averaged, normal approximation with tie correction, no continuity "
              "correction), as SPSS reports it.",
              alpha_sentence(table)]
    return "\n".join(lines)
