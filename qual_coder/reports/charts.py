"""Figures for reports, drawn with matplotlib (Agg, imported only when a figure is made):
the CASCADE ratings shift per domain, themes by stakeholder type as a heat map, and the
survey's paired items before and after with 95% confidence intervals.

Each figure is a `Chart`: the matplotlib figure, a title a report can keep, alt text that
states the figure's numbers (for screen readers and for anyone reading the .md), and the
data it plots, so tests (and readers) can check a figure against the table beside it.
Colours are colour-blind safe (Okabe-Ito for the four levels, viridis for the heat map).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.files import private_output
from ..errors import QualCoderError
from ..quant.stats import apa_p

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ..analysis.matrix import Matrix


# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
# The four CASCADE levels are ordered (major challenge ... gold standard): a sequential,
# colour-blind-safe ramp (viridis' stops), told apart by lightness in any colour vision.
LEVEL_COLOURS = ("#440154", "#31688E", "#35B779", "#FDE725")
# Figures are drawn at the width of an A4 text block (160 mm), so a Word report shows
# their type at its own size: nothing below 8 pt.
WIDTH_IN = 6.3
KINDS = ("cascade", "themes", "survey", "relations", "saturation")


@dataclass
class Chart:
    kind: str
    title: str
    alt: str
    figure: Any
    data: dict[str, Any] = field(default_factory=dict)

    def png(self, dpi: int = 300) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()

    def svg(self) -> str:
        buffer = io.StringIO()
        self.figure.savefig(buffer, format="svg", bbox_inches="tight")
        text = buffer.getvalue()
        return text[text.index("<svg"):]  # inline: no XML declaration or doctype

    def save(self, out: Path) -> None:
        suffix = out.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise QualCoderError(f"{out}: a figure is written as .png or .svg")
        with private_output(out):
            if suffix == ".png":
                out.write_bytes(self.png())
            else:
                out.write_text(self.svg(), encoding="utf-8")


def wrap_label(text: str, width: int, lines: int = 2) -> str:
    """A long label on up to `lines` lines, broken between words; past that, an ellipsis
    after the last whole word (never "…mental heal")."""
    import textwrap

    parts = textwrap.wrap(" ".join(text.split()), width, break_long_words=False)
    if len(parts) <= lines:
        return "\n".join(parts)
    kept = parts[:lines]
    last = kept[-1]
    while len(last) > width - 1 and " " in last:
        last = last.rsplit(" ", 1)[0]
    kept[-1] = last.rstrip(" ,;:") + "…"
    return "\n".join(kept)


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    """A figure outside pyplot's registry (nothing global to close or leak); saving it
    uses matplotlib's Agg and SVG writers, no display."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def cascade_chart(table: dict[str, Any]) -> Chart:
    """Stacked bars per domain, one per workshop: the share of areas at each level, with
    the Wilcoxon Z and p beside the domain (* below the Bonferroni threshold)."""
    domains = table["domains"]
    if not domains:
        raise QualCoderError("no CASCADE ratings in the project; import them first")
    levels = table["levels"]
    rows, labels, notes = [], [], []
    for d in domains:
        w = d.get("wilcoxon", {})
        star = "*" if w.get("significant") else ""
        z = w.get("z")
        notes.append(f"Z = {z:.2f}, {apa_p(w.get('p'))}{star}" if z is not None and z == z
                     else "")
        for ws in d["workshops"]:
            rows.append([p or 0.0 for p in ws["percent"]])
            labels.append(f"{wrap_label(d['name'], 48)}  ·  {ws['label']}")
    fig, ax = _figure(WIDTH_IN, 0.5 * len(rows) + 2.2)
    y = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for i, level in enumerate(levels):
        widths = [r[i] for r in rows]
        ax.barh(y, widths, left=left, color=LEVEL_COLOURS[i % 4], label=level,
                edgecolor="white", height=0.8)
        left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(y, [wrap_label(lab, 30, 3) for lab in labels], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of areas rated at each level", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    per = len(rows) // len(domains)
    for k, note in enumerate(notes):
        if note:
            ax.text(101, y[k * per] - (per - 1) / 2, note, va="center", fontsize=8)
    ax.legend(ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8, frameon=False)
    title = "CASCADE ratings by domain, workshop I and II"
    ax.set_title(title, pad=34, fontsize=10)
    sizes = sorted({ws["n"] for d in domains for ws in d["workshops"]})
    n = f"{sizes[0]}" if len(sizes) == 1 else f"{sizes[0]}-{sizes[-1]}"
    fig.text(0.01, 0.005, f"n = {n} areas at each workshop. Wilcoxon signed-rank test (as SPSS "
                          f"reports it); * p < {str(table['bonferroni_alpha']).lstrip('0')}, "
                          "the Bonferroni "
                          f"threshold (.05 / {len(domains)} domains).", fontsize=8,
             wrap=True)
    alt = title + ": " + "; ".join(
        f"{d['name']}: " + ", ".join(
            f"{ws['label']} " + "/".join(f"{p or 0:.0f}%" for p in ws["percent"])
            for ws in d["workshops"]) + (f" ({notes[i]})" if notes[i] else "")
        for i, d in enumerate(domains)) + f" (levels: {', '.join(levels)})."
    return Chart("cascade", title, alt, fig, {"rows": rows, "labels": labels,
                                              "levels": list(levels)})


def themes_chart(matrix: Matrix) -> Chart:
    """A heat map of codes by stakeholder type: groups of 3 and 16 people are compared by
    the share of each group's participants who raised the theme (a percent matrix), each
    column labelled with its n; the counts behind them in the cells' text."""
    import numpy as np

    keep = [i for i, k in enumerate(matrix.cols) if k != "Total"]
    frame = matrix.frame.drop(index="Total", columns="Total", errors="ignore")
    sizes = getattr(matrix, "population", {}) or {}
    frame.columns = [matrix.col_names[i] for i in keep]  # labels, as the tables say
    group_n = [sizes.get(matrix.cols[i]) for i in keep]
    names = [n for n, k in zip(matrix.row_names, matrix.rows) if k != "Total"]
    if frame.empty:
        raise QualCoderError("no codings to chart yet")
    values = frame.to_numpy(dtype=float)
    fig, ax = _figure(WIDTH_IN, 0.4 * len(frame) + 2.4)
    image = ax.imshow(values, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(frame.columns)),
                  [wrap_label(str(c), 18, 2) + (f"\n(n = {n})" if n else "")
                   for c, n in zip(frame.columns, group_n, strict=True)],
                  rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), [wrap_label(n, 40) for n in names], fontsize=8)
    ax.set_xlabel("Stakeholder type (participants in the group)", fontsize=8)
    ax.set_ylabel("Theme", fontsize=8)
    top = values.max() if values.size else 0
    unit = "%" if matrix.measure == "percent" else ""
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.0f}{unit}" if unit else f"{v:g}", ha="center", va="center",
                fontsize=8, color="black" if top and v > top * 0.6 else "white")
    what = {"percent": "% of the group's participants", "participants": "participants",
            "excerpts": "excerpts"}.get(matrix.measure, matrix.measure)
    bar = fig.colorbar(image, ax=ax, fraction=0.04)
    bar.set_label(what, fontsize=8)
    bar.ax.tick_params(labelsize=8)
    title = f"Themes by stakeholder type ({what})"
    ax.set_title(title, fontsize=10)
    alt = title + ": " + "; ".join(
        f"{name}: " + ", ".join(f"{c} {v:g}" for c, v in zip(frame.columns, row) if v)
        for name, row in zip(names, values) if row.any()) + "."
    return Chart("themes", title, alt, fig, {"cells": values.tolist(), "rows": names,
                                             "cols": [str(c) for c in frame.columns]})


def relations_chart(matrix: pd.DataFrame, names: dict[str, str], within: str) -> Chart:
    """Code relations (MAXQDA's code relations browser, QualCoder's code relations): a
    heat map of how often two codes meet, each pair once (the lower triangle), only the
    codes that meet another; the counts in the cells."""
    import numpy as np

    used = [k for k in matrix.index if matrix.loc[k].sum() > 0]
    if len(used) < 2:
        raise QualCoderError("no two codes meet yet: nothing to chart")
    values = matrix.loc[used, used].to_numpy(dtype=float)
    shown = np.where(np.tril(np.ones_like(values), k=-1) > 0, values, np.nan)
    labels = [names.get(k, k) for k in used]
    side = max(3.2, min(WIDTH_IN, 0.32 * len(used) + 2.2))
    fig, ax = _figure(WIDTH_IN, side)
    image = ax.imshow(shown, cmap="viridis", aspect="auto")
    # Columns by number, rows by number and name: long names cannot overlap.
    ax.set_xticks(range(len(used)), [str(i + 1) for i in range(len(used))], fontsize=7)
    ax.set_yticks(range(len(used)), [f"{wrap_label(n, 40)}  {i + 1}"
                                     for i, n in enumerate(labels)], fontsize=7)
    top = np.nanmax(shown) if np.isfinite(shown).any() else 0
    for (i, j), v in np.ndenumerate(shown):
        if np.isfinite(v) and v:
            ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=7,
                    color="black" if top and v > top * 0.6 else "white")
    what = "passages coded with both" if within == "overlap" else "turns holding both"
    from matplotlib.ticker import MaxNLocator

    bar = fig.colorbar(image, ax=ax, fraction=0.04, ticks=MaxNLocator(integer=True))
    bar.set_label(what, fontsize=8)
    bar.ax.tick_params(labelsize=8)
    title = f"Code relations ({what})"
    ax.set_title(title, fontsize=10)
    pairs = sorted(((int(values[i, j]), labels[i], labels[j]) for i in range(len(used))
                    for j in range(i) if values[i, j]), reverse=True)
    alt = title + ": " + "; ".join(f"{a} and {b} {n}" for n, a, b in pairs) + "."
    return Chart("relations", title, alt, fig, {"rows": labels, "cells": values.tolist(),
                                                "within": within})


def saturation_chart(results: list[Any]) -> Chart:
    """Cumulative codes by transcript in interview order (one line per stakeholder type
    with --by), new codes per transcript as bars under a single line, the base shaded and
    the point of saturation marked."""
    fig, ax = _figure(WIDTH_IN, 3.6)
    single = len(results) == 1
    colours = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
    alt_parts = []
    for i, r in enumerate(results):
        if not r.order:
            continue
        xs = list(range(1, len(r.order) + 1))
        ys = [o["cumulative"] for o in r.order]
        colour = colours[i % len(colours)]
        label = r.group or "codes seen so far"
        if single:
            ax.bar(xs, [len(o["new_codes"]) for o in r.order], color="#BBBBBB", width=0.6,
                   label="new codes in the transcript")
            ax.axvspan(0.5, min(r.base, len(xs)) + 0.5, color="#EEEEEE", zorder=0,
                       label=f"base ({r.base} transcripts)")
        ax.plot(xs, ys, marker="o", markersize=3, color=colour, label=label)
        if r.saturation_at is not None:
            at = next(n for n, o in enumerate(r.order, 1) if o["transcript"] == r.saturation_at)
            ax.axvline(at, color=colour, linestyle="--", linewidth=1)
            ax.annotate(f"saturation ({at})", (at, ys[at - 1]), textcoords="offset points",
                        xytext=(4, -12), fontsize=7, color=colour)
        alt_parts.append(f"{label}: {ys[-1]} codes over {len(xs)} transcripts, "
                         + (f"saturation at transcript {at}" if r.saturation_at else
                            "saturation not reached"))
    if not alt_parts:
        raise QualCoderError("no transcripts with codings: nothing to chart")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0.5, max(len(r.order) for r in results) + 0.5)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Transcripts in interview order", fontsize=8)
    ax.set_ylabel("Codes", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    r0 = results[0]
    title = (f"Thematic saturation (base {r0.base}, run {r0.run}, threshold "
             f"{r0.threshold:g}%)")
    ax.set_title(title, fontsize=10)
    return Chart("saturation", title, title + ": " + "; ".join(alt_parts) + ".", fig,
                 {"groups": [r.to_json() for r in results]})


def survey_chart(summary: dict[str, Any]) -> Chart:
    """Each numeric or Likert item's mean at the first and last wave with its 95% CI
    (t distribution, n - 1 degrees of freedom), the paired test's p beside it; a panel
    per scale (Likert items of k levels together, each numeric item on its own axis), so
    a 1-4 item and a 1-10 scale never share an axis."""
    items = [it for it in summary["items"] if it["type"] in ("numeric", "likert")]
    waves = summary["waves"]
    if not items or len(waves) < 2:
        raise QualCoderError("no survey items with two waves to chart")
    first, last = waves[0], waves[-1]
    panels: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        panels.setdefault(it.get("scale") or it["type"], []).append(it)
    from matplotlib.figure import Figure

    heights = [0.6 * len(group) + 0.9 for group in panels.values()]
    fig = Figure(figsize=(8, sum(heights) + 0.8))
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        gridspec_kw={"height_ratios": heights, "hspace": 0.9})[:, 0]
    data = []
    for ax, (scale, group) in zip(axes, panels.items(), strict=True):
        data += _survey_panel(ax, group, first, last, scale, show_legend=ax is axes[0])
    matched = summary.get("respondents", {}).get("matched")
    title = (f"Survey items: {first} and {last} means of the {matched} matched respondents, "
             "95% confidence intervals" if matched else
             f"Survey items: {first} and {last} means with 95% confidence intervals")
    fig.suptitle(title, y=1.0, fontsize=10)
    alt = title + ": " + "; ".join(
        f"{r['label']} ({r['scale']}): " + ", ".join(
            f"{w} {r[w][0]:.2f} (±{r[w][1]:.2f})" for w in (first, last) if w in r)
        + (f", {apa_p(r['p'])}" if "p" in r else "") for r in data) + "."
    return Chart("survey", title, alt, fig, {"items": data, "waves": [first, last],
                                             "panels": list(panels)})


def _survey_panel(ax: Any, items: list[dict[str, Any]], first: str, last: str, scale: str,
                  show_legend: bool) -> list[dict[str, Any]]:
    from ..quant.stats import student_t_quantile

    data = []
    for k, it in enumerate(items):
        row: dict[str, Any] = {"label": it["label"], "scale": scale}
        paired = it.get("paired") or {}
        for j, (w, offset, colour) in enumerate(((first, 0.15, "#0072B2"),
                                                 (last, -0.15, "#D55E00"))):
            # The matched respondents' means (the same people at both waves, as the paired
            # test compares them); an item without a pairing, everyone who answered.
            if paired.get("n") and (paired.get("matched_means") or [None])[j] is not None:
                mean, sd, n = (paired["matched_means"][j], paired["matched_sds"][j],
                               paired["n"])
            else:
                wave = next(x for x in it["waves"] if x["label"] == w)
                mean, sd, n = wave.get("mean"), wave.get("sd"), wave.get("n", 0)
            if mean is None:
                continue
            half = student_t_quantile(0.975, n - 1) * sd / math.sqrt(n) if sd and n > 1 else 0.0
            ax.errorbar(mean, len(items) - 1 - k + offset, xerr=half, fmt="o", color=colour,
                        capsize=3, label=w if k == 0 else None)
            row[w] = (mean, half)
        p = (it.get("paired") or {}).get("p")
        if p is not None:
            ax.annotate(apa_p(p), (1.01, len(items) - 1 - k), xycoords=("axes fraction",
                                                                           "data"),
                        va="center", fontsize=8)
            row["p"] = p
        data.append(row)
    ax.set_yticks(range(len(items))[::-1], [wrap_label(it["label"], 50) for it in items],
                  fontsize=8)
    ax.set_ylim(-0.6, len(items) - 0.4)
    shown = "as answered" if scale.startswith("as answered") else wrap_label(scale, 90, 1)
    ax.set_xlabel(f"mean ({shown})", fontsize=8)
    if show_legend:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
    return data
