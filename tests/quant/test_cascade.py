"""`qual-coder cascade import` and `cascade table`, against the paper's Table 1."""

import json

import pandas as pd
import pytest

from tests.conftest import FIXTURES, snapshot_db

# Table 1 of the CASCADE paper: percent per level at workshops I and II, and Z.
TABLE1 = {
    "clarity_roles": ([40.0, 60.0, 0, 0], [3.9, 69.2, 26.9, 0], -3.58),
    "agreed_contact": ([32.0, 68.0, 0, 0], [0.0, 53.9, 46.2, 0], -3.88),
    "shared_planning": ([88.0, 12.0, 0, 0], [19.2, 69.2, 11.5, 0], -3.88),
    "common_outcomes": ([84.0, 16.0, 0, 0], [46.2, 42.3, 11.5, 0], -2.97),
    "ability_to_learn": ([68.0, 32.0, 0, 0], [15.4, 80.8, 3.9, 0], -3.87),
    "development_integrated": ([60.0, 40.0, 0, 0], [23.1, 57.7, 19.2, 0], -3.74),
    "evidence_based": ([68.0, 32.0, 0, 0], [11.5, 88.5, 0, 0], -3.74),
}


def test_reproduces_table_1(project_path, run):
    assert run("cascade", "import", project_path, FIXTURES / "cascade_table1.csv").exit_code == 0
    table = json.loads(run("cascade", "table", project_path, "--json").output)
    assert [d["key"] for d in table["domains"]] == list(TABLE1)
    assert table["bonferroni_alpha"] == pytest.approx(0.05 / 7, abs=1e-4)
    for d in table["domains"]:
        first, second, z = TABLE1[d["key"]]
        w1, w2 = d["workshops"]
        assert (w1["label"], w1["n"], w2["label"], w2["n"]) == ("I", 25, "II", 26)
        # The paper rounds twice (3.846 -> 3.85 -> 3.9): compare within 0.1.
        assert w1["percent"] == pytest.approx(first, abs=0.11)
        assert w2["percent"] == pytest.approx(second, abs=0.11)
        assert round(d["wilcoxon"]["z"], 2) == z
        assert d["wilcoxon"]["n_pairs"] <= 25 and d["wilcoxon"]["significant"]
    assert list(table["cronbach_alpha"]) == ["I", "II", "pooled"]  # per workshop first
    from qual_coder.quant.cascade import alpha_sentence

    said = alpha_sentence(table)
    assert said.index("workshop I ") < said.index("workshop II ") < said.index("pooled")
    assert "independent cases" in said  # the pooled figure carries its caveat


def test_wide_layout_labels_and_xlsx(tmp_path, project_path, run):
    df = pd.DataFrame({
        "Area": ["North", "North", "South", "South"],
        "Workshop": ["I", "II", "I", "II"],
        "clarity_roles": ["Major challenge", "elements of good practice", "0", "2"],
        "Agreed best use of key points of contact in schools and CYP mental health services":
            ["1", "Widespread  good practice", "GOLD STANDARD", "3"],
    })
    df.to_excel(tmp_path / "wide.xlsx", index=False)
    result = run("cascade", "import", project_path, tmp_path / "wide.xlsx")
    assert result.exit_code == 0, result.output
    table = json.loads(run("cascade", "table", project_path, "--json").output)
    clarity = table["domains"][0]
    assert clarity["workshops"][0]["percent"] == [100.0, 0.0, 0.0, 0.0]
    assert clarity["workshops"][1]["percent"] == [0.0, 50.0, 50.0, 0.0]


@pytest.mark.parametrize("body,message", [
    ("area,workshop,domain,rating\nA,I,clarity_roles,Brilliant\n",
     "row 2, column 'rating': 'Brilliant' is not a rating"),
    ("area,workshop,domain,rating\nA,I,clarity_roles,4\n",
     "row 2, column 'rating': '4' is not a rating"),
    ("area,workshop,domain,rating\nA,I,clarity_roles,1\nA,I,clarity_roles,2\n",
     "row 3, column 'rating': A, workshop I, clarity_roles is rated twice (first at row 2)"),
    ("area,workshop,domain,rating\nA,I,teamwork,1\n",
     "row 2, column 'domain': unknown domain 'teamwork'"),
    ("area,workshop,teamwork\nA,I,1\n", "row 1, column 'teamwork': not a CASCADE domain"),
    ("place,workshop,domain,rating\nA,I,clarity_roles,1\n", "row 1: no 'area' column"),
])
def test_bad_rating_files_name_row_and_column_and_change_nothing(tmp_path, project_path, run,
                                                                  body, message):
    run("cascade", "import", project_path, FIXTURES / "cascade_table1.csv")
    before = snapshot_db(project_path)
    path = tmp_path / "bad.csv"
    path.write_text(body)
    result = run("cascade", "import", project_path, path)
    assert result.exit_code == 1
    assert message in result.output
    assert snapshot_db(project_path) == before


def test_row_numbers_count_blank_lines_and_extra_cells_are_refused(tmp_path, project_path, run):
    path = tmp_path / "gaps.csv"
    path.write_text("area,workshop,domain,rating\nA,I,clarity_roles,1\n\n\nA,II,clarity_roles,9\n")
    result = run("cascade", "import", project_path, path)
    assert "gaps.csv row 5, column 'rating': '9' is not a rating" in result.output
    path.write_text("area,workshop,domain,rating\nA,I,clarity_roles,1,oops\n")
    result = run("cascade", "import", project_path, path)
    assert "row 2: 5 cells but 4 columns" in result.output


def test_the_table_is_computed_from_rating_rows_alone():
    from qual_coder.quant.cascade import table_from

    rows = [("North", "I", 0, "clarity", 0), ("North", "II", 1, "clarity", 2),
            ("South", "I", 0, "clarity", 1), ("South", "II", 1, "clarity", 1),
            ("East", "I", 0, "clarity", 0),  # rated once: counted, never paired
            ("North", "I", 0, "contact", 1), ("North", "II", 1, "contact", 1)]
    table = table_from(rows, [("clarity", "Clarity"), ("contact", "Contact"),
                              ("unrated", "Never rated")])
    assert [d["key"] for d in table["domains"]] == ["clarity", "contact"]
    assert table["workshops"] == ["I", "II"]
    assert table["bonferroni_alpha"] == 0.025  # two domains rated
    clarity = table["domains"][0]
    first, second = clarity["workshops"]
    assert (first["n"], second["n"]) == (3, 2)
    assert first["percent"] == [66.7, 33.3, 0.0, 0.0]
    assert second["percent"] == [0.0, 50.0, 50.0, 0.0]
    assert clarity["wilcoxon"]["areas"] == 2  # North and South, rated at both


def test_tables_and_codings_are_read_as_every_text_file_is(demo_path, tmp_path, run):
    """One decoding for every CSV: a ratings file Excel saved as Windows-1252 is read
    and the guess said; a codings list saved as UTF-16 (with its BOM) is read as the
    UTF-8 one is (it was refused as not UTF-8)."""
    from tests.conftest import REPO

    ratings = (REPO / "transcripts" / "cascade_ratings.csv").read_text(encoding="utf-8")
    legacy = tmp_path / "ratings.csv"
    legacy.write_bytes(ratings.replace("Area 01", "St Anne’s").encode("cp1252"))
    result = run("cascade", "import", demo_path, legacy)
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.output and "imported" in result.output
    table = json.loads(run("cascade", "table", demo_path, "--json").output)
    assert table["domains"]

    codings = (REPO / "transcripts" / "codings.csv").read_text(encoding="utf-8")
    wide = tmp_path / "codings.csv"
    wide.write_bytes(codings.replace(",ana\n", ",cat\n").encode("utf-16"))
    result = run("import-codings", demo_path, wide)
    assert result.exit_code == 0, result.output
    assert "applied 193 codings" in result.output
