"""Pre/post surveys: one row per respondent and wave; summaries per item and wave,
matched respondents, and paired tests on those who answered at both waves.

Blank answers are missing, never zero. Likert levels are scored 1..k in the order
the items file gives them, for means, SDs and the paired tests.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.limits import ITEMS
from ..errors import ImportRefused, QualCoderError
from ..storage import Project
from .stats import paired_t, wilcoxon_spss
from .tabular import read_table

TYPES = ("numeric", "likert", "categorical")


@dataclass
class Item:
    key: str
    label: str
    type: str
    levels: list[str]
    groups: dict[str, list[str]]


def _number(value: str) -> float | None:
    try:
        f = float(value.replace(",", ""))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def read_items(path: Path) -> dict[str, Item]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as err:
        raise ImportRefused(f"{path}: cannot read ({err})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ImportRefused(f"{path}{f' line {mark.line + 1}' if mark else ''}: not valid YAML "
                            f"({getattr(err, 'problem', err)})") from None
    if not isinstance(data, dict):
        raise ImportRefused(f"{path}: an items file maps each item column to its label, type, "
                            "levels and groups")
    if len(data) > ITEMS.value:
        raise ITEMS.refuse(str(path), f"{len(data):,} items")
    # Line numbers of each item, for messages (the composed tree keeps them).
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in root.value} \
        if isinstance(root, yaml.MappingNode) else {}
    items = {}
    for key, spec in data.items():
        where = f"{path} line {lines.get(str(key), '?')}: item '{key}'"
        spec = spec or {}
        if not isinstance(spec, dict):
            raise ImportRefused(f"{where}: expected its label, type, levels and groups as "
                                f"'name: value' lines, not {type(spec).__name__}")
        kind = str(spec.get("type", "categorical"))
        if kind not in TYPES:
            raise ImportRefused(f"{where}: type '{kind}' is not one of " + ", ".join(TYPES))
        raw_levels = spec.get("levels") or []
        if not isinstance(raw_levels, list):
            raise ImportRefused(f"{where}: levels must be a list (- Strongly disagree ...), "
                                f"not {type(raw_levels).__name__}")
        levels = [str(v) for v in raw_levels]
        if kind == "likert" and len(levels) < 2:
            raise ImportRefused(f"{where}: a likert item needs its ordered levels")
        raw_groups = spec.get("groups") or {}
        if not isinstance(raw_groups, dict) or not all(
                isinstance(m, list) for m in raw_groups.values()):
            raise ImportRefused(f"{where}: groups must map each group's name to a list of "
                                "levels")
        groups = {str(g): [str(v) for v in members] for g, members in raw_groups.items()}
        for g, members in groups.items():
            unknown = [m for m in members if levels and m not in levels]
            if unknown:
                raise ImportRefused(f"{where}, group '{g}': {unknown[0]!r} is not one of its "
                                    "levels")
        items[str(key)] = Item(str(key), str(spec.get("label", key)), kind, levels, groups)
    return items


def import_survey(project: Project, path: str | Path, items_path: str | Path | None = None):
    path = Path(path)
    df = read_table(path)
    lower = {c.lower(): c for c in df.columns}
    for need in ("respondent_id", "wave"):
        if need not in lower:
            raise ImportRefused(f"{path} row 1: no '{need}' column; a survey file has "
                                "respondent_id, wave and one column per item")
    item_cols = [c for c in df.columns if c.lower() not in ("respondent_id", "wave")]
    items = read_items(Path(items_path)) if items_path else {}
    for key in items:
        if key not in item_cols:
            raise ImportRefused(f"{items_path}: item '{key}' is not a column of {path}")
    for col in item_cols:
        if col not in items:
            values = [v for v in df[col] if v != ""]
            numeric = values and all(_number(v) is not None for v in values)
            items[col] = Item(col, col, "numeric" if numeric else "categorical",
                              [] if numeric else sorted(set(values)), {})
    errors, seen, rows, waves = [], {}, [], {}
    for i, r in df.iterrows():
        row_no = i
        rid, wave = r[lower["respondent_id"]], r[lower["wave"]]
        if not rid or not wave:
            errors.append(f"{path} row {row_no}: respondent_id and wave must not be empty")
            continue
        if (rid, wave) in seen:
            errors.append(f"{path} row {row_no}: respondent {rid} answers wave {wave} twice "
                          f"(first at row {seen[(rid, wave)]})")
            continue
        seen[(rid, wave)] = row_no
        waves.setdefault(wave, len(waves))
        for col in item_cols:
            value, item = r[col], items[col]
            if value == "":
                rows.append((rid, wave, waves[wave], col, None))
                continue
            if item.type == "numeric" and _number(value) is None:
                errors.append(f"{path} row {row_no}, column '{col}': '{value}' is not a number")
                continue
            if item.type != "numeric" and item.levels and value not in item.levels:
                match = [lv for lv in item.levels if lv.lower() == value.lower()]
                if not match:
                    errors.append(f"{path} row {row_no}, column '{col}': '{value}' is not one "
                                  f"of {', '.join(item.levels)}")
                    continue
                value = match[0]
            rows.append((rid, wave, waves[wave], col, value))
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportRefused("\n".join(errors[:10]) + more + "\nnothing was imported")
    with project.transaction():
        conn = project.conn
        conn.execute("DELETE FROM survey_responses")
        conn.execute("DELETE FROM survey_items")
        conn.executemany(
            "INSERT INTO survey_items (key, label, type, levels, groups, sort) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(it.key, it.label, it.type, json.dumps(it.levels), json.dumps(it.groups), n)
             for n, it in enumerate(items[c] for c in item_cols)])
        conn.executemany(
            "INSERT INTO survey_responses (respondent_id, wave, wave_order, item, value) "
            "VALUES (?, ?, ?, ?, ?)", rows)
    return {"respondents": len({k[0] for k in seen}), "waves": list(waves),
            "items": len(item_cols)}


def _score(item: dict, value: str | None) -> float | None:
    if value is None:
        return None
    if item["type"] == "numeric":
        return _number(value)
    if item["type"] == "likert":
        return float(item["levels"].index(value) + 1)
    return None


def _mean_sd(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return round(mean, 3), None
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    return round(mean, 3), round(sd, 3)


def survey_summary(project: Project) -> dict:
    conn = project.conn
    items = [dict(zip(("key", "label", "type", "levels", "groups"), r)) for r in conn.execute(
        "SELECT key, label, type, levels, groups FROM survey_items ORDER BY sort")]
    if not items:
        raise QualCoderError("no survey in the project; import one with "
                             "`qual-coder survey import PROJECT FILE`")
    for it in items:
        it["levels"], it["groups"] = json.loads(it["levels"]), json.loads(it["groups"])
    waves = [w for w, in conn.execute(
        "SELECT wave FROM survey_responses GROUP BY wave ORDER BY MIN(wave_order)")]
    answers: dict[tuple[str, str, str], str | None] = {
        (rid, w, item): v for rid, w, item, v in conn.execute(
            "SELECT respondent_id, wave, item, value FROM survey_responses")}
    by_wave = {w: sorted({rid for (rid, ww, _) in answers if ww == w}) for w in waves}
    first, last = waves[0], waves[-1]
    matched = sorted(set(by_wave[first]) & set(by_wave[last])) if len(waves) > 1 else []
    respondents = {w: len(by_wave[w]) for w in waves}
    respondents["matched"] = len(matched)
    respondents["match_rate"] = (round(100 * len(matched) / len(by_wave[first]), 1)
                                 if by_wave[first] else None)
    out_items = []
    for it in items:
        entry = {"key": it["key"], "label": it["label"], "type": it["type"], "waves": []}
        for w in waves:
            values = [answers.get((rid, w, it["key"])) for rid in by_wave[w]]
            present = [v for v in values if v is not None]
            n = len(present)
            wave = {"label": w, "n": n}
            if it["type"] in ("likert", "categorical"):
                levels = it["levels"] or sorted(set(present))
                wave["percent"] = {lv: round(100 * present.count(lv) / n, 1) if n else None
                                   for lv in levels}
                wave["groups"] = {g: round(100 * sum(present.count(m) for m in members) / n, 1)
                                  if n else None for g, members in it["groups"].items()}
            if it["type"] in ("numeric", "likert"):
                scores = [_score(it, v) for v in present]
                wave["mean"], wave["sd"] = _mean_sd([s for s in scores if s is not None])
            entry["waves"].append(wave)
        if it["type"] in ("numeric", "likert") and len(waves) > 1:
            pairs = [(_score(it, answers.get((rid, first, it["key"]))),
                      _score(it, answers.get((rid, last, it["key"])))) for rid in matched]
            pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
            t = paired_t([a for a, _ in pairs], [b for _, b in pairs])
            w = wilcoxon_spss([a for a, _ in pairs], [b for _, b in pairs])
            nan = lambda x: None if x != x else round(x, 4)  # noqa: E731
            entry["paired"] = {"n": t.n, "t": nan(t.t), "df": t.df, "p": nan(t.p),
                               "mean_difference": nan(t.mean_difference),
                               "wilcoxon": {"z": nan(w.z), "p": nan(w.p), "n_pairs": w.n_pairs},
                               "compares": [first, last]}
        out_items.append(entry)
    return {"waves": waves, "respondents": respondents, "items": out_items}


def format_summary(s: dict) -> str:
    r = s["respondents"]
    first = s["waves"][0]
    lines = ["Respondents: " + ", ".join(f"{w} {r[w]}" for w in s["waves"])
             + (f"; matched {r['matched']} of {r[first]} ({r['match_rate']}%)"
                if len(s["waves"]) > 1 else "")]
    for it in s["items"]:
        lines.append(f"\n{it['label']} [{it['type']}]")
        for w in it["waves"]:
            bits = [f"  {w['label']}: n={w['n']}"]
            if w.get("mean") is not None:
                bits.append(f"mean {w['mean']:.2f}" + (f" (SD {w['sd']:.2f})" if w.get("sd")
                                                       is not None else ""))
            if w.get("percent"):
                bits.append(", ".join(f"{k} {v:.1f}%" for k, v in w["percent"].items()
                                      if v is not None))
            if w.get("groups"):
                bits.append("; ".join(f"{k}: {v:.1f}%" for k, v in w["groups"].items()
                                      if v is not None))
            lines.append(" · ".join(bits))
        p = it.get("paired")
        if p and p["t"] is not None:
            wz, wp = p["wilcoxon"]["z"], p["wilcoxon"]["p"]
            lines.append(f"  paired t({p['df']}) = {p['t']:.2f}, p = {p['p']:.3f} (n = {p['n']})"
                         + (f"; Wilcoxon Z = {wz:.2f}, p = {wp:.3f}" if wz is not None else ""))
    return "\n".join(lines)
