"""qual-coder -> .qdpx -> a new qual-coder project gives back what qual-coder stores:
stakeholder types, participants' types and roles, speakers and turns of no one's as they
were, code origins, suggestions waiting for review and how accepted codings came,
framework summaries, CASCADE ratings, the survey, links and the codebook's history; the
analyses (summary, every matrix measure, framework, quotes, agreement, Table 1, the survey
summary, the joint display) read the same."""

from __future__ import annotations

import json

from qual_coder import services
from qual_coder.services.suggest import accept, reject
from qual_coder.storage import open_project


def _out(run, *args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def _same_analyses(run, path):
    got = {"summary": json.loads(_out(run, "summary", path, "--json"))}
    for measure in ("excerpts", "participants", "percent", "transcripts", "words", "presence"):
        m = json.loads(_out(run, "matrix", path, "--cols", "stakeholder_type", "--measure",
                            measure, "--json"))
        got[measure] = (m["rows"], m["cols"], m["col_names"], m["cells"])
    got["framework"] = json.loads(_out(run, "framework", path, "--theme",
                                       "outcomes_sustainability", "--format", "json"))
    theme = got["framework"]["themes"][0]
    theme["rows"].sort(key=lambda r: r["case"])  # cases in the order participants were made
    for row in theme["rows"]:
        for links in row["links"].values():
            for link in links:  # ids and transcript numbers are the project's own
                link.pop("coding_id"), link.pop("coding_ids"), link.pop("transcript_id")
    got["quotes"] = json.loads(_out(run, "quotes", path, "--code", "networking",
                                    "--format", "json"))
    agreement = json.loads(_out(run, "agreement", path, "--coders", "ana", "ben", "--json"))
    for code in agreement["codes"]:
        code["transcripts"].sort(key=lambda t: t["transcript"])
    agreement["transcripts"].sort()
    got["agreement"] = agreement
    got["cascade"] = json.loads(_out(run, "cascade", "table", path, "--json"))
    got["survey"] = json.loads(_out(run, "survey", "summary", path, "--json"))
    got["joint"] = json.loads(_out(run, "triangulate", path, "--format", "json"))
    got["history"] = [(h["code"], h["action"], h["detail"], h["at"]) for h in json.loads(
        _out(run, "codebook", "history", path, "--json")) if h["action"] != "created"]
    got["rejected"] = sorted((g["transcript"], g["code"], g["start"], g["end"], g["coder"])
                             for g in json.loads(_out(run, "codings", path, "--json",
                                                      "--status", "rejected")))
    got["suggested"] = sorted((g["transcript"], g["code"], g["start"], g["end"], g["coder"])
                              for g in json.loads(_out(run, "codings", path, "--json",
                                                       "--status", "suggested")))
    with open_project(path) as p:
        got["participants"] = sorted((r["name"], r["stakeholder_type"], r["role"])
                                     for r in services.reading.participants(p))
        got["types"] = sorted(tuple(t.values()) for t in services.reading.stakeholder_types(p))
        got["turns"] = {t["name"]: [(u["speaker"], u["start"], u["end"]) for u in
                                    services.reading.turns(p, t["id"])]
                        for t in services.reading.transcripts(p)}
        got["origins"] = sorted((c["key"], c["origin"]) for c in services.tree(p))
        got["sources"] = sorted(g["guid"] + ":" + str(g.get("source")) for g in
                                services.list_codings(p, status="final"))
    return got


def test_a_round_trip_through_qdpx_gives_back_what_qual_coder_stores(demo_path, tmp_path,
                                                                      run):
    run("autocode", demo_path, "--transcripts", "eastbridge_ep_interview")
    with open_project(demo_path) as p:
        pending = services.list_codings(p, status="suggested")
        accept(p, pending[0]["id"], coder="ana")  # a coding accepted from a suggestion
        reject(p, pending[1]["id"], coder="ana")  # and one rejected
        services.set_participant(p, "Sarah Whitfield", role="Professor")
        services.add_code(p, "grown_here", "Grown here", coder="ana")  # an inductive code
    run("framework", demo_path, "--theme", "outcomes_sustainability", "--set",
        "Sarah Whitfield", "timescale_capacity", "Two days too short")
    before = _same_analyses(run, demo_path)
    assert before["suggested"] and before["rejected"] and before["cascade"]["domains"]
    assert ("grown_here", "inductive") in before["origins"]
    out = tmp_path / "study.qdpx"
    _out(run, "export", demo_path, out)
    fresh = tmp_path / "fresh.db"
    _out(run, "init", fresh, "--template", "none")  # no stakeholder types of its own
    said = _out(run, "import", fresh, out)
    after = _same_analyses(run, fresh)
    for part in before:
        assert after[part] == before[part], part
    assert "keeps role" not in said  # nothing the user set was replaced by a guess
    again = tmp_path / "again.qdpx"
    _out(run, "export", fresh, again)
    assert again.stat().st_size and _qde(again) == _qde(out).replace(
        b"creationDateTime", b"creationDateTime")  # the same project, timestamps aside


def _qde(path):
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        text = z.read("project.qde")
    return re.sub(rb'(creationDateTime|modifiedDateTime)="[^"]*"', b"", re.sub(
        rb'name="[^"]*" origin', b"origin", text))


def test_generated_projects_come_back_the_same(tmp_path_factory):
    """Over generated projects (random code trees, codings at every level by three coders,
    suggestions, a role and a stakeholder type of the project's own), export then import
    into an empty project gives back the same codings, turns, codes and participants."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from qual_coder.services.exchange import export_qdpx, import_qdpx
    from qual_coder.storage import init_project
    from tests.analysis.test_conservation import CODINGS, TREES, _build

    def state(p):
        codings = sorted((g["transcript"], g["code"], g["start"], g["end"], g["coder"],
                          g["status"]) for g in services.list_codings(p))
        turns = {t["name"]: [(u["speaker"], u["start"], u["end"])
                             for u in services.reading.turns(p, t["id"])]
                 for t in services.reading.transcripts(p)}
        codes = sorted((c["key"], c["parent"], c["origin"]) for c in services.tree(p))
        people = sorted((r["name"], r["stakeholder_type"], r["role"])
                        for r in services.reading.participants(p))
        return codings, turns, codes, people

    @settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(TREES, CODINGS, st.sampled_from(["Professor", "SENCo", None]))
    def check(picks, codings, role):
        folder = tmp_path_factory.mktemp("generated")
        project, _ = _build(folder / "p.db", picks, codings)
        try:
            services.add_stakeholder_type(project, "parent_carer", "Parent or carer", False)
            services.set_participant(project, "Ann", stakeholder_type="parent_carer",
                                     role=role)
            g = services.list_codings(project)[0]
            services.add_coding(project, "fg", g["code"], g["start"], g["end"],
                                coder="auto", status="suggested", source="suggest:rules")
            export_qdpx(project, folder / "p.qdpx")
            before = state(project)
        finally:
            project.close()
        fresh = init_project(folder / "fresh.db")
        try:
            import_qdpx(fresh, folder / "p.qdpx")
            assert state(fresh) == before
        finally:
            fresh.close()

    check()


def test_a_damaged_member_is_listed_as_not_carried_never_a_traceback(demo_path, tmp_path,
                                                                      run):
    import zipfile

    out = tmp_path / "study.qdpx"
    _out(run, "export", demo_path, out)
    damaged = tmp_path / "damaged.qdpx"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "qual-coder.json":
                member = json.loads(data)
                member["ratings"] = [["Area", "I", "first", "clarity_roles", "x"]]
                member["survey"]["items"] = [{"label": "no key"}]
                member["turns"] = {g: [["P1", "a", 3]] for g in member["turns"]}
                data = json.dumps(member).encode()
            target.writestr(info, data)
    fresh = tmp_path / "fresh.db"
    _out(run, "init", fresh)
    said = run("import", fresh, damaged)
    assert said.exit_code == 0, said.output
    assert "CASCADE ratings could not be read" in said.output
    assert "survey could not be read" in said.output
    assert json.loads(_out(run, "summary", fresh, "--json"))["transcripts"] == 18
