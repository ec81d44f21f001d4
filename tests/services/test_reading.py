"""The workbench's transcript kept up to date change by change (TranscriptDoc.
replace_codings, with the ids each action reports) against the transcript read afresh,
and its progress against the project's, over generated sequences of coding actions."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from qual_coder import services
from qual_coder.errors import QualCoderError
from qual_coder.services import reading
from qual_coder.storage import init_project

actions = st.lists(st.tuples(
    st.sampled_from(["code", "code", "code", "remove", "undo", "redo"]),
    st.sampled_from(["ana", "ben"]), st.sampled_from(["theme", "other"]),
    st.floats(0, 1), st.integers(1, 120)), min_size=1, max_size=25)


def _view(doc: reading.TranscriptDoc) -> list[tuple]:
    return [(c.id, c.start, c.end, c.code, c.name, c.coder, c.status) for c in doc.codings]


@settings(max_examples=40, deadline=None)
@given(actions)
def test_a_transcript_kept_change_by_change_is_the_one_read_afresh(steps):
    with TemporaryDirectory() as tmp:
        file = Path(tmp) / "t.txt"
        file.write_text("\n".join(
            f"{who}: The link worker came to the school on day {n}. Nobody knew who to call."
            for n, who in enumerate(["Interviewer", "Ann", "Bob"] * 4)) + "\n")
        with init_project(Path(tmp) / "p.db") as project:
            services.import_transcripts(project, [file])
            services.add_code(project, "theme", "Theme", coder="ana")
            services.add_code(project, "other", "Other", coder="ana")
            doc = reading.load_doc(project, 1)
            doc.progress()  # from here on, kept as the codings change
            length = len(doc.text)
            for verb, coder, code, at, width in steps:
                try:
                    if verb == "code":
                        a = min(int(at * length), length - 1)
                        done = services.add_coding(project, 1, code, a,
                                                   min(length, a + width), coder=coder)
                        ids = [done.id, *done.absorbed]
                    elif verb == "remove":
                        if not doc.codings:
                            continue
                        gone = doc.codings[int(at * (len(doc.codings) - 1))]
                        services.remove_coding(project, gone.id, coder)
                        ids = [gone.id]
                    else:
                        step = (services.undo if verb == "undo" else services.redo)(
                            project, coder)
                        if step is None:
                            continue
                        ids = step["ids"]
                except QualCoderError:
                    continue  # refused (another coder's change in the way): nothing changed
                doc.replace_codings(ids, reading.transcript_codings(project, 1, ids=ids))
                fresh = reading.load_doc(project, 1)
                assert _view(doc) == _view(fresh)
                assert doc.final_count == sum(c.status == "final" for c in fresh.codings)
                assert doc.progress() == reading.transcript_progress(project, 1)
