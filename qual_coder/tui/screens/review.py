"""Suggestions in the workbench: ask for them (S), then review them one by one (R):
Enter accepts, x rejects, J / K step through. Suggestions are computed and the
learned engine retrained on a worker thread with its own connection, so the reading
view never waits for spaCy."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.text import plural
from ...errors import QualCoderError
from ...services import suggest
from ...storage import open_project
from .workbench_state import WorkbenchState

RETRAIN_EVERY = 10  # decisions between background retrainings
MIN_SCORE_SETTING = "suggest.min_score"


class SuggestionPanel(OptionList):
    """The open transcript's suggestions waiting for review, with their reasons."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[dict] = []

    def show(self, rows: list[dict]) -> None:
        self.rows = rows
        self.clear_options()
        self.border_title = f"Suggestions · {len(rows)} to review"
        for r in rows:
            text = Text(r["code_name"], style="bold")
            score = f"{r['score']:.2f}" if r["score"] is not None else "–"
            text.append(f"  {score} {r['engine']}\n", style="dim")
            text.append(f"{r['why']}\n", style="italic dim")
            text.append(" ".join(r["text"].split())[:90])
            self.add_option(Option(text, id=str(r["id"])))


class ReviewMixin(WorkbenchState):
    """The workbench's suggestion actions (mixed into WorkbenchScreen; what they use of
    it: workbench_state)."""

    reviewing = False
    _decisions = 0

    def _panel(self) -> SuggestionPanel:
        return self.query_one(SuggestionPanel)

    def action_suggest(self) -> None:
        if self.doc is None:
            return
        path, tid, coder = self.project.path, self.doc.id, self.coder
        min_score = float(self.project.setting(MIN_SCORE_SETTING) or 0.6)
        self.notify("Looking for suggestions…")

        def work() -> None:
            try:
                with open_project(path) as own:
                    done = suggest.autocode(own, [tid], min_score=min_score, coder=coder)
            except QualCoderError as err:
                self.app.call_from_thread(self.notify, str(err), severity="error")
                return
            self.app.call_from_thread(self._suggested, tid, done["suggested"])

        self.run_worker(work, thread=True, group="nlp", exclusive=True)

    def _suggested(self, transcript_id: int, count: int) -> None:
        if self.doc is None or self.doc.id != transcript_id:
            return
        self._after_change([])
        self.notify(f"Reviewing {plural(count, 'suggestion')}: Enter accepts, x rejects, J/K "
                    "step, R stops reviewing"
                    if count else "No new suggestions above the threshold.")
        if count:
            self._enter_review()

    def action_review(self) -> None:
        if self.reviewing:
            self._leave_review()
        else:
            self._enter_review()

    def _pending(self) -> list[dict]:
        if self.doc is None:
            return []
        names = {k: c["name"] for k, c in self.codebook.codes.items()}
        rows = suggest.pending(self.project, self.doc.id, self.coder)
        for r in rows:
            r["code_name"] = names.get(r["code"], r["code"])
        return rows

    def _enter_review(self, at: int = 0) -> None:
        if self.doc is None:
            return
        rows = self._pending()
        if not rows:
            self.notify("No suggestions to review here: S asks for some.")
            self._leave_review()
            return
        self.reviewing = True
        self.query_one("#excerpts").display = False
        panel = self._panel()
        panel.display = True
        panel.show(rows)
        self._review_at(min(at, len(rows) - 1))

    def _leave_review(self) -> None:
        self.reviewing = False
        self._panel().display = False
        self.query_one("#excerpts").display = True
        self.reader.focus()

    def _review_at(self, index: int) -> None:
        panel = self._panel()
        if not panel.rows:
            return
        index %= len(panel.rows)
        panel.highlighted = index
        r = panel.rows[index]
        self.reader.set_selection(r["start"], r["end"])
        self.reader.focus()

    def _current_suggestion(self) -> dict | None:
        panel = self._panel()
        if not self.reviewing or panel.highlighted is None or not panel.rows:
            return None
        return panel.rows[panel.highlighted]

    def action_next_suggestion(self, delta: int) -> None:
        if not self.reviewing:
            self._enter_review()
            return
        panel = self._panel()
        self._review_at((panel.highlighted or 0) + delta)

    def _decide(self, accept: bool) -> None:
        r = self._current_suggestion()
        if r is None:
            return
        index = self._panel().highlighted or 0
        try:
            if accept:
                done = suggest.accept(self.project, r["id"], self.coder)
                changed = [r["id"], done["coding"], *done["absorbed"]]
            else:
                suggest.reject(self.project, r["id"], self.coder)
                changed = [r["id"]]
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        self._codings_changed(changed, [r["code"]])
        self.notify(f"{'Accepted' if accept else 'Rejected'} {r['code_name']}; u to undo")
        self._decisions += 1
        if self._decisions % RETRAIN_EVERY == 0:
            self._retrain()
        self._enter_review(index)

    def action_accept_suggestion(self) -> None:
        self._decide(True)

    def action_reject_suggestion(self) -> None:
        self._decide(False)

    def _retrain(self) -> None:
        path = self.project.path

        def work() -> None:
            with open_project(path) as own:
                done = suggest.train(own)
            if done["trained"]:
                self.app.call_from_thread(
                    self.notify, f"Suggestions relearned from "
                                 f"{plural(done['examples'], 'excerpt')}")

        self.run_worker(work, thread=True, group="train", exclusive=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, SuggestionPanel):
            event.stop()
            self._review_at(event.option_index)
