"""Pre/post surveys: one row per respondent and wave; summaries per item and wave,
matched respondents, and paired tests on those who answered at both waves.

Blank answers are missing, never zero. Likert levels are scored 1..k in the order
the items file gives them, for means, SDs and the paired tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.limits import ITEMS
from ..errors import ImportRefused, QualCoderError
from ..exchange.yaml_codebook import YamlTooLarge, load_yaml
from ..storage import Project, survey_rows
from .stats import apa_p, paired_t, wilcoxon_spss
from .tabular import read_rows

TYPES = ("numeric", "likert", "categorical")


@dataclass
class Item:
    key: str
    label: str
    type: str
    levels: list[str]
    groups: dict[str, list[str]]
    column: str | None = None  # the export's column (name or question text), else the key


@dataclass
class ItemsFile:
    items: dict[str, Item]
    respondent: str | None = None  # the column holding respondent codes


def _number(value: str) -> float | None:
    try:
        f = float(value.replace(",", ""))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def read_items(path: Path) -> dict[str, Item]:
    return read_items_file(path).items


def read_items_file(path: Path, notes: list[str] | None = None) -> ItemsFile:
    """Items by key (label, type, levels, groups, and the `column` they come from); a
    top-level `respondent: COLUMN` names the column of respondent codes. The file is read
    as every text file is (importers.decode); what that guessed goes in `notes`."""
    from ..importers.decode import read_text_file

    text, found = read_text_file(path, "list of items")
    if notes is not None:
        notes.extend(found)
    try:
        data = load_yaml(text)
        root = yaml.compose(text)
    except YamlTooLarge as err:
        raise ImportRefused(f"{path}: {err}") from None
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
    respondent = None
    for key, spec in data.items():
        where = f"{path} line {lines.get(str(key), '?')}: item '{key}'"
        if key == "respondent" and isinstance(spec, str | int):
            respondent = str(spec)
            continue
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
        column = spec.get("column")
        items[str(key)] = Item(str(key), str(spec.get("label", key)), kind, levels, groups,
                               str(column) if column is not None else None)
    return ItemsFile(items, respondent)


@dataclass
class SurveyFile:
    """A survey file read and checked, ready to store (services.quant.import_survey)."""
    tool: str
    waves: list[str]  # the waves it holds, in file order
    items: list[Item]  # its items, in column order
    rows: list[tuple[str, str, str, str | None]]  # (respondent, wave, item, answer)
    respondents: set[str]  # its respondents' codes, case-folded
    incomplete: int
    blank: int
    incomplete_rule: str | None


def read_survey(project: Project, path: str | Path, items_path: str | Path | None = None,
                wave: str | None = None, include_incomplete: bool = False,
                notes: list[str] | None = None) -> SurveyFile:
    """Read one survey file: a tidy table (respondent_id, wave, one column per item) or
    a tool's raw export (Qualtrics, SurveyMonkey, Microsoft Forms, JISC Online Surveys)
    holding one wave, named with `wave`. Responses of the waves in the file replace
    those waves; other waves stay, so each wave's file is imported in turn.

    Respondent codes match across waves after trimming and case-folding; answers match
    an item's levels ignoring case and spacing. Unfinished responses are left out (and
    counted) unless `include_incomplete`. Any error refuses the whole file."""
    from .survey_layouts import detect, find_column, normalised

    path = Path(path)
    layout = detect(read_rows(path, notes))
    spec = read_items_file(Path(items_path), notes) if items_path else ItemsFile({})
    where_items = str(items_path)
    columns = layout.columns

    def column_for(wanted: str, what: str) -> str:
        found = find_column(layout, wanted)
        if found is None:
            shown = ", ".join(c for c in columns if c not in layout.metadata)
            raise ImportRefused(f"{where_items}: {what} column '{wanted}' is not in {path} "
                                f"(read as {layout.tool}; its columns: {shown})")
        return found

    if spec.respondent:
        rid_col = column_for(spec.respondent, "respondent")
    else:
        found_rid = find_column(layout, "respondent_id")
        if found_rid is None:
            raise ImportRefused(
                f"{path} row 1: no respondent_id column (read as {layout.tool}); name the column "
                "holding respondent codes in the items file, e.g. `respondent: Q1`")
        rid_col = found_rid
    if wave is None:
        wave_col = find_column(layout, "wave")
        if wave_col is None:
            raise ImportRefused(f"{path}: no 'wave' column; give the file's wave with --wave "
                                "(e.g. --wave baseline), or add a wave column")
    else:
        wave_col = None
        wave = wave.strip()
        if not wave:
            raise ImportRefused("--wave: give the wave a name, e.g. baseline")
    item_cols: dict[str, str] = {}  # item key -> column
    for key, item in spec.items.items():
        item_cols[key] = column_for(item.column or key, f"item '{key}':")
    # a wave column is never an item, even when --wave names the file's wave
    used = set(item_cols.values()) | {rid_col} | {find_column(layout, "wave")} - {None}
    for col in columns:
        if col not in used and col not in layout.metadata:
            item_cols[col] = col
    items = dict(spec.items)
    for key, col in item_cols.items():
        if key not in items:
            values = [r[columns.index(col)] for _, r in layout.rows if r[columns.index(col)]]
            numeric = bool(values) and all(_number(v) is not None for v in values)
            items[key] = Item(key, layout.texts.get(col) or key,
                              "numeric" if numeric else "categorical",
                              [] if numeric else sorted(set(values)), {})

    conn = project.conn
    known = {rid.casefold(): rid for rid in survey_rows.respondents(conn)}
    errors: list[str] = []
    seen: dict[tuple[str, str], list[int]] = {}
    rows: list[tuple[str, str, str, str | None]] = []
    waves: list[str] = []
    incomplete = blank = 0
    for row_no, cells in layout.rows:
        record = dict(zip(columns, cells, strict=False))
        answers = [record[c] for c in item_cols.values()]
        if not any(answers):
            blank += 1
            if not include_incomplete:
                continue
        elif layout.unfinished(record) and not include_incomplete:
            incomplete += 1
            continue
        rid = " ".join(record[rid_col].split())
        this_wave = wave if wave is not None else record[wave_col or ""]
        if not rid or not this_wave:
            errors.append(f"{path} row {row_no}: the respondent code"
                          + ("" if wave else " and wave") + " must not be empty")
            continue
        rid = known.setdefault(rid.casefold(), rid)
        seen.setdefault((rid.casefold(), this_wave), []).append(row_no)
        if len(seen[(rid.casefold(), this_wave)]) > 1:
            continue
        if this_wave not in waves:
            waves.append(this_wave)
        for key, col in item_cols.items():
            value, item = record[col], items[key]
            if value == "":
                rows.append((rid, this_wave, key, None))
                continue
            if item.type == "numeric" and _number(value) is None:
                errors.append(f"{path} row {row_no}, column '{col}': '{value}' is not a number")
                continue
            if item.type != "numeric" and item.levels and value not in item.levels:
                match = [lv for lv in item.levels if normalised(lv) == normalised(value)]
                if not match:
                    errors.append(f"{path} row {row_no}, column '{col}': '{value}' is not one "
                                  f"of {', '.join(item.levels)}")
                    continue
                value = match[0]
            rows.append((rid, this_wave, key, value))
    for (rid, w), at in seen.items():
        if len(at) > 1:
            errors.insert(0, f"{path} rows {', '.join(map(str, at))}: respondent "
                             f"{known[rid]} answers wave {w} more than once")
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ImportRefused("\n".join(errors[:10]) + more + "\nnothing was imported")
    if not rows:
        raise ImportRefused(f"{path}: no responses to import ({incomplete} unfinished, "
                            f"{blank} blank)")
    return SurveyFile(layout.tool, waves, [items[key] for key in item_cols], rows,
                      {rid for rid, w in seen if w in waves}, incomplete,
                      blank if not include_incomplete else 0, layout.incomplete_reason)


def import_outcome(survey: SurveyFile, by_wave: dict[str, set[str]],
                   all_waves: list[str]) -> dict[str, Any]:
    """What an import did, for the user: respondents, waves, items, those left out, and
    how this file's respondents match the other waves' (`by_wave`, after the import)."""
    others = set().union(*(by_wave.get(w, set()) for w in all_waves if w not in survey.waves))
    here = survey.respondents
    return {"tool": survey.tool, "respondents": len(here), "waves": survey.waves,
            "items": len(survey.items), "incomplete": survey.incomplete,
            "blank": survey.blank, "incomplete_rule": survey.incomplete_rule,
            "all_waves": all_waves,
            "matched": len(here & others) if others else None,
            "only_here": len(here - others) if others else None,
            "only_other": len(others - here) if others else None}


def _scale(item: dict[str, Any]) -> str:
    """The scale an item's mean is on: a Likert item's 1..k with its end labels; a number
    as answered (items on different scales are never drawn on one axis)."""
    if item["type"] == "likert" and item["levels"]:
        levels = item["levels"]
        return f"1 = {levels[0]} … {len(levels)} = {levels[-1]}"
    if item["type"] == "numeric":
        return f"as answered: {item['label']}"
    return ""


def _score(item: dict[str, Any], value: str | None) -> float | None:
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


def _rounded(x: float) -> float | None:
    return None if x != x else round(x, 4)  # NaN -> None


def _full(x: float) -> float | None:
    return None if x != x else x  # a p value at full precision


def survey_summary(project: Project) -> dict[str, Any]:
    """The survey as stored, summarised (see `summary_from`)."""
    conn = project.conn
    items = survey_rows.items(conn)
    if not items:
        raise QualCoderError("no survey in the project; import one with "
                             "`qual-coder survey import PROJECT FILE`")
    return summary_from(items, survey_rows.waves(conn), survey_rows.answers(conn))


def summary_from(items: list[dict[str, Any]], waves: list[str],
                 answers: dict[tuple[str, str, str], str | None]) -> dict[str, Any]:
    """Per item and wave: n, the share at each level and group, mean and SD (Likert
    scored 1..k); and over the respondents who answered at the first and last waves, the
    paired t test and the Wilcoxon signed-rank test as SPSS reports it. `items` are
    (key, label, type, levels, groups) records, `answers` (respondent, wave, item) ->
    answer, None for a blank."""
    by_wave = {w: sorted({rid for (rid, ww, _) in answers if ww == w}) for w in waves}
    first, last = waves[0], waves[-1]
    matched = sorted(set(by_wave[first]) & set(by_wave[last])) if len(waves) > 1 else []
    respondents: dict[str, float | None] = {w: len(by_wave[w]) for w in waves}
    respondents["matched"] = len(matched)
    respondents["match_rate"] = (round(100 * len(matched) / len(by_wave[first]), 1)
                                 if by_wave[first] else None)
    out_items = []
    for it in items:
        entry = {"key": it["key"], "label": it["label"], "type": it["type"], "waves": [],
                 "scale": _scale(it)}
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
            scored = [(_score(it, answers.get((rid, first, it["key"]))),
                       _score(it, answers.get((rid, last, it["key"])))) for rid in matched]
            pairs = [(a, b) for a, b in scored if a is not None and b is not None]
            t = paired_t([a for a, _ in pairs], [b for _, b in pairs])
            wx = wilcoxon_spss([a for a, _ in pairs], [b for _, b in pairs])
            before_ms, after_ms = _mean_sd([a for a, _ in pairs]), _mean_sd([b for _, b in pairs])
            entry["paired"] = {"n": t.n, "t": _rounded(t.t), "df": t.df, "p": _full(t.p),
                               "p_log10": _rounded(t.log10_p),
                               "mean_difference": _rounded(t.mean_difference),
                               "matched_means": [None if m is None else round(m, 4)
                                                 for m in (before_ms[0], after_ms[0])],
                               "matched_sds": [None if m is None else round(m, 4)
                                               for m in (before_ms[1], after_ms[1])],
                               "undefined": t.undefined or None,
                               "wilcoxon": {"z": _rounded(wx.z), "p": _full(wx.p),
                                            "p_log10": _rounded(wx.log10_p),
                                            "p_exact": _full(wx.p_exact),
                                            "n_pairs": wx.n_pairs},
                               "compares": [first, last]}
        out_items.append(entry)
    return {"waves": waves, "respondents": respondents, "items": out_items}


def _paired_line(p: dict[str, Any]) -> str:
    """The matched respondents' means and difference beside the paired tests; a t that
    is undefined says why; the Wilcoxon's exact p under 20 pairs (as SPSS offers it)."""
    a, b = p.get("matched_means") or [None, None]
    first, last = p["compares"]
    means = (f"  matched respondents (n = {p['n']}): {first} {a:.2f}, {last} {b:.2f}, "
             f"difference {p['mean_difference']:+.2f}" if a is not None and b is not None
             else f"  matched respondents (n = {p['n']})")
    test = (f"; paired t({p['df']}) = {p['t']:.2f}, {apa_p(p['p'])}" if p["t"] is not None
            else f"; paired t undefined ({p.get('undefined') or 'too few pairs'})")
    w = p["wilcoxon"]
    if w["z"] is not None:
        exact = w.get("p_exact") is not None and w["n_pairs"] < 20
        test += (f"; Wilcoxon Z = {w['z']:.2f}, " + (f"exact {apa_p(w['p_exact'])}" if exact
                                                     else apa_p(w["p"])))
    return means + test


def format_summary(s: dict[str, Any]) -> str:
    r = s["respondents"]
    first = s["waves"][0]
    lines = ["Respondents: " + ", ".join(f"{w} {r[w]}" for w in s["waves"])
             + (f"; matched {r['matched']} of {r[first]} ({r['match_rate']}%)"
                if len(s["waves"]) > 1 else "")]
    if len(s["waves"]) > 1 and r.get("match_rate") is not None and r["match_rate"] < 70:
        lines.append(f"Attrition: only {r['match_rate']}% of {first}'s respondents answered "
                     "every wave; the paired tests and matched means describe them alone, and "
                     "the all-respondent means below are of different people at each wave.")
    for it in s["items"]:
        lines.append(f"\n{it['label']} ({it['type']})")
        for w in it["waves"]:
            bits = [f"  {w['label']}, all respondents: n={w['n']}"]
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
        if p and p["n"]:
            lines.append(_paired_line(p))
    return "\n".join(lines)
