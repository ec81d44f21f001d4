"""The Methods section: every figure in its prose equals what the command that reports it
prints (summary, codings, agreement, saturation, audit), and the report opens with it."""

from __future__ import annotations

import json
import re
import time

from qual_coder import services
from qual_coder.storage import open_project


def _json(run, *args):
    out = run(*args)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_methods_figures_equal_the_commands_own(demo_path, run, tmp_path):
    time.sleep(1.1)  # the project's clock counts seconds: the change comes after the coding
    with open_project(demo_path) as p:  # a codebook change after coding began
        services.add_code(p, "peer_support", "Peer support", coder="ana")
    facts = _json(run, "methods", demo_path, "--format", "json")
    prose = run("methods", demo_path).output
    summary = _json(run, "summary", demo_path, "--json")
    assert facts["transcripts"] == summary["transcripts"]
    assert f"{summary['transcripts']} transcripts" in prose
    assert f"{summary['words']:,} words" in prose
    assert sum(facts["participants"].values()) == summary["participants"]
    assert f"with {summary['participants']} participants" in prose
    for kind, n in summary["kinds"].items():
        assert f"{n} {kind.replace('_', ' ')}" in prose
    codings = _json(run, "codings", demo_path, "--json")
    final = [c for c in codings if c.get("status", "final") == "final"]
    assert facts["codings"]["final"] == len(final)
    assert f"{len(final)} final codings" in prose
    coders = sorted({c["coder"] for c in final})
    agreement = _json(run, "agreement", demo_path, "--coders", *coders, "--json")
    assert facts["double_coded"] == len(agreement["transcripts"])
    kappa = agreement["overall"]["kappa"]
    assert f"pooled Cohen's kappa of {kappa:.2f}" in prose
    per_code = [c["kappa"] for c in agreement["codes"] if c["kappa"] is not None]
    assert f"from {min(per_code):.2f} to {max(per_code):.2f}" in prose
    saturation = _json(run, "saturation", demo_path, "--format", "json")
    assert saturation["statement"] in prose
    assert facts["codebook"]["inductive"] == 1 and "and 1 inductive" in prose
    assert "changed 1 time after coding began" in prose
    trail = _json(run, "audit", demo_path, "--format", "json")
    assert [r["detail"] for r in trail if r["what"] == "codebook"][-1].startswith("peer_support")
    dates = sorted(t["date"] for t in _json(run, "transcripts", demo_path, "--json"))
    assert f"({dates[0]} to {dates[-1]})" in prose
    out = tmp_path / "report.md"
    assert run("report", demo_path, "-o", out).exit_code == 0
    text = out.read_text()
    assert text.index("## Methods") < text.index("## Sample")
    assert saturation["statement"] in text
    assert not re.search(r"\b1 \w+s were\b", prose)
