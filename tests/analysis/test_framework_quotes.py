import json

from openpyxl import load_workbook

from qual_coder.analysis.cooccurrence import cooccurrence
from qual_coder.analysis.framework import framework_matrix
from qual_coder.analysis.quotes import find_quotes
from qual_coder.services.framework import set_summary


def test_framework_cells_show_excerpts_until_summarised(small):
    fm = framework_matrix(small, "t", "participant", group_by="stakeholder_type")
    assert list(fm.frame.index) == ["Cal", "Dee", "Ann", "Bea"]  # grouped by type
    assert list(fm.frame.columns) == ["stakeholder_type", "role", "site", "Code one", "Code two"]
    assert fm.frame.loc["Ann", "Code one"] == "‘We refer directly now.’"
    assert fm.frame.loc["Dee", "Code one"] == ""
    links = fm.links[("Bea", "c2")]
    assert [(link["transcript"], link["start"]) for link in links] == [
        ("group", links[0]["start"]), ("group", links[1]["start"])]
    set_summary(small, "t", "participant", "Bea", "c2", "Refers directly; stays involved.")
    again = framework_matrix(small, "t", "participant")
    assert again.frame.loc["Bea", "Code two"] == "Refers directly; stays involved."
    assert len(again.links[("Bea", "c2")]) == 2  # the summary keeps its evidence
    by_site = framework_matrix(small, "t", "site")
    assert list(by_site.frame.index) == ["Site A", "Site B"]


def test_framework_xlsx_has_a_sheet_per_theme_frozen_and_wrapped(small, tmp_path, run):
    out = tmp_path / "fw.xlsx"
    result = run("framework", small.path, "--theme", "t", "--cases", "transcript", "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    ws = wb["Theme"]
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    assert header == ["transcript", "site", "kind", "date", "Code one", "Code two"]
    assert ws["E2"].alignment.wrap_text


def test_cooccurrence_overlap_and_turn(small):
    m, pairs = cooccurrence(small, "overlap")
    assert m.loc["c1", "c2"] == 1 and m.loc["c2", "c1"] == 1  # #3 overlaps #4 in Cal's turn
    assert pairs[0]["codes"] == ["c1", "c2"]
    m_turn, _ = cooccurrence(small, "turn")
    assert m_turn.loc["c1", "c2"] == 0  # #3 starts in Bea's turn, #4 in Cal's


def test_quotes_merge_filter_search_and_attribute(small):
    any_ = find_quotes(small, ["c1", "c2"], "any")
    group = [q for q in any_ if q.transcript == "group"]
    # #3 and #4 overlap: merged into one quote spanning both speakers.
    assert len(group) == 2 and group[0].participants == ["Bea", "Cal"]
    assert group[0].attribution == "SENCo / CAMHS lead, Site B"
    all_ = find_quotes(small, ["c1", "c2"], "all")
    assert [q.text for q in all_] == ["Yes, and"]  # what was said, without trailing space
    school = find_quotes(small, ["t"], where={"stakeholder_type": "school_staff"})
    assert {q.transcript for q in school} == {"interview", "group"}
    found = find_quotes(small, ["t"], search="involved")
    assert [q.text for q in found] == ["And we stay involved after referral."]
    assert found[0].formatted() == "‘And we stay involved after referral.’ (SENCo, Site B)"


def test_quotes_cli_formats(small, tmp_path, run):
    data = json.loads(run("quotes", small.path, "--code", "c1", "--format", "json").output)
    assert [q["attribution"] for q in data] == ["CAMHS lead, Site B", "School lead, Site A"]
    md = run("quotes", small.path, "--code", "c1").output
    assert "> We refer directly now." in md and "— School lead, Site A" in md
    out = tmp_path / "q.docx"
    assert run("quotes", small.path, "--code", "t", "-o", out).exit_code == 0
    import docx
    texts = [p.text for p in docx.Document(out).paragraphs]
    assert "‘We refer directly now.’ (School lead, Site A)" in texts
    matrix = json.loads(run("matrix", small.path, "--json").output)
    assert matrix["measure"] == "excerpts" and matrix["cols"][-1] == "Total"


def test_a_quote_is_what_was_said_without_labels_or_timestamps():
    from qual_coder.analysis.quotes import spoken_text

    text = ("Sarah (06:06): We had the link worker. [00:02:00] Then it stopped.\n"
            "Interviewer: Why?\nSarah: 00:07:10 Money, mostly.")
    turns = [(len("Sarah (06:06): "), text.index("\nInterviewer")),
             (text.index("Why?"), text.index("\nSarah:")),
             (text.index("00:07:10"), len(text))]
    quote = spoken_text(text, 0, turns[0][0], len(text), turns)
    assert quote == "We had the link worker. Then it stopped. Why? Money, mostly."
    assert "Sarah" not in quote and ":0" not in quote
