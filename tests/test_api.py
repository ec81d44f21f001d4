"""The notebook API: every method's DataFrame equals what the matching command prints as
JSON, and a read-only Study never changes the file."""

from __future__ import annotations

import hashlib
import json
import math

import pytest

import qual_coder


def _json(run, *args):
    out = run(*args)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)
    if a is None and isinstance(b, float) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _records_equal(frame, records):
    got = frame.to_dict("records")
    assert len(got) == len(records)
    for g, r in zip(got, records):
        assert set(r) <= set(g), set(r) - set(g)
        for k in set(g) - set(r):  # a key some records lack is empty in the frame
            assert g[k] is None or (isinstance(g[k], float) and math.isnan(g[k])), k
        for k in r:
            assert _same(r[k], g[k]), (k, r[k], g[k])


def test_every_method_equals_the_cli_json(demo_warm_path, run):
    path = demo_warm_path
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with qual_coder.open(path) as p:
        _records_equal(p.codings(), _json(run, "codings", path, "--json"))
        _records_equal(p.codings(code="timescale_capacity"),
                       _json(run, "codings", path, "--code", "timescale_capacity", "--json"))
        _records_equal(p.quotes("outcomes_sustainability", where={"site": "Northmoor"}),
                       _json(run, "quotes", path, "--code", "outcomes_sustainability",
                             "--where", "site=Northmoor", "--format", "json"))
        expr = "timescale_capacity OR sustainability AND NOT =referral_routes"
        _records_equal(p.query(expr), _json(run, "query", path, expr, "--format", "json"))
        m = _json(run, "matrix", path, "--cols", "site", "--measure", "participants", "--json")
        frame = p.matrix(cols="site", measure="participants")
        assert list(frame.index) == m["rows"] and list(frame.columns) == m["cols"]
        assert frame.to_numpy().tolist() == m["cells"]
        fw = _json(run, "framework", path, "--theme", "outcomes_sustainability", "--format",
                   "json")["themes"][0]
        _records_equal(p.framework("outcomes_sustainability"), fw["rows"])
        ag = _json(run, "agreement", path, "--coders", "ana", "ben", "--json")
        frame = p.agreement(["ana", "ben"])
        _records_equal(frame, [{k: v for k, v in c.items() if k != "transcripts"}
                               for c in ag["codes"]])
        assert frame.attrs["overall"] == ag["overall"]
        table = _json(run, "cascade", "table", path, "--json")
        cascade = p.cascade()
        assert len(cascade) == sum(len(d["workshops"]) for d in table["domains"])
        first = table["domains"][0]
        assert cascade.iloc[0]["n"] == first["workshops"][0]["n"]
        assert cascade.iloc[0][table["levels"][0]] == first["workshops"][0]["percent"][0]
        _records_equal(p.survey(), _json(run, "survey", "summary", path, "--json")["items"])
        sat = _json(run, "saturation", path, "--format", "json")
        frame = p.saturation()
        _records_equal(frame.drop(columns="group"), sat["order"])
        assert frame.attrs["statements"][None] == sat["statement"]
        words = _json(run, "words", path, "--format", "json")["words"]
        _records_equal(p.words(), words)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # read-only


def test_a_read_only_study_refuses_to_write_and_a_writable_one_writes(demo_path):
    from qual_coder import services

    with qual_coder.open(demo_path) as p:
        services.add_code(p.project, "in_memory_only", "In memory only")
    with qual_coder.open(demo_path) as p:
        assert "in_memory_only" not in set(p.codings()["code"])
        assert all(c["key"] != "in_memory_only" for c in services.tree(p.project))
    with qual_coder.open(demo_path, writable=True) as p:
        services.add_code(p.project, "kept", "Kept")
    with qual_coder.open(demo_path) as p:
        assert any(c["key"] == "kept" for c in services.tree(p.project))
    assert qual_coder.__version__ != "0+unknown"
