"""services.add_coding's promise, as NVivo and MAXQDA keep it: one coder's codings of one
code never overlap or touch (a new span joins those it meets), what they cover is exactly
what was coded, and undoing every action leaves the transcript as it was."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.services import reading

spans = st.lists(st.tuples(st.sampled_from(["theme", "other"]), st.sampled_from(["ana", "ben"]),
                           st.floats(0, 1), st.integers(1, 90)), min_size=1, max_size=25)


@settings(max_examples=50, deadline=None)
@given(spans)
def test_codings_of_a_code_by_a_coder_cover_what_was_coded_without_overlapping(steps):
    from qual_coder.storage import init_project

    with TemporaryDirectory() as tmp:
        file = Path(tmp) / "t.txt"
        file.write_text("\n".join(f"Ann: The link worker came on day {n}; nobody knew who to "
                                  "call." for n in range(8)) + "\n")
        with init_project(Path(tmp) / "p.db") as project:
            services.import_transcripts(project, [file])
            for key in ("theme", "other"):
                services.add_code(project, key, key.title(), coder="lead")
            length = len(reading.load_doc(project, 1).text)
            wanted: dict[tuple[str, str], set[int]] = {}
            for code, coder, at, width in steps:
                a = min(int(at * length), length - 1)
                b = min(length, a + width)
                services.add_coding(project, 1, code, a, b, coder=coder)
                wanted.setdefault((code, coder), set()).update(range(a, b))
            codings = services.list_codings(project, status="final")
            for (code, coder), chars in wanted.items():
                mine = sorted((g["start"], g["end"]) for g in codings
                              if g["code"] == code and g["coder"] == coder)
                assert all(e1 < s2 for (_, e1), (s2, _) in zip(mine, mine[1:]))  # apart
                assert set().union(*(range(s, e) for s, e in mine)) == chars
            for coder in ("ana", "ben"):  # each coder's undo takes back only their own
                while services.undo(project, coder) is not None:
                    pass
            assert services.list_codings(project) == []
