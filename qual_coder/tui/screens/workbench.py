"""The workbench: transcript list, reading view, codebook and excerpts.

Every action calls one service (one transaction, committed before the screen
updates), then refreshes only what the change touched."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ... import services
from ...core.codebook import slugify
from ...core.text import plural
from ...errors import QualCoderError
from ...services import presence, reading
from ...storage import Project
from .. import served, session_key
from ..actions import bindings
from ..commands import WorkbenchCommands
from ..messages import CodeHighlighted, CursorMoved, OpenTranscript
from ..widgets.codebook_panel import CodebookPanel
from ..widgets.retrieval_panel import RetrievalPanel
from ..widgets.transcript_list import TranscriptList
from ..widgets.transcript_view import TranscriptView
from .codebook_actions import CodebookActionsMixin
from .help import HelpScreen
from .picker import NEW, Picker
from .prompts import MemoEditor, TextPrompt
from .review import ReviewMixin, SuggestionPanel

CURSOR_SAVE_DELAY = 0.4
# The highlighted code's excerpts are read again this long after the last key that
# coded at it: 1 2 3 in a row pay for one read, not three.
EXCERPTS_DELAY = 0.3


class WorkbenchScreen(ReviewMixin, CodebookActionsMixin, Screen):
    BINDINGS = bindings()
    COMMANDS = {WorkbenchCommands}

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.doc: reading.TranscriptDoc | None = None
        self.coder = services.default_coder(project)
        self.last_code: str | None = project.setting(self._mine("last_code"))
        self.only_mine = False
        self._save_timer: Timer | None = None
        self._excerpts_timer: Timer | None = None
        self._reader = TranscriptView(id="reader")
        self._labels = reading.stakeholder_labels(project)
        self._others: list[str] = []  # other coders on the open transcript (presence)
        # The span just coded and the codes given it, while it stays selected.
        self._just_coded: tuple[tuple[int, int], list[str]] | None = None
        self._announcing = False  # from mount on, opening a transcript tells the others

    def _mine(self, name: str) -> str:
        """This coder's own setting `name` (see tui.session_key)."""
        return session_key(self.coder, name)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield TranscriptList(reading.transcript_overview(self.project), id="transcripts")
            with Vertical(id="center"):
                yield Static(id="doc-title")
                yield self._reader
            with Vertical(id="side"):
                yield CodebookPanel(id="codebook")
                yield RetrievalPanel(id="excerpts")
                yield SuggestionPanel(id="suggestions")
        yield Static(id="status")
        yield Footer()

    def _list_transcripts(self) -> None:
        listing = reading.transcript_overview(self.project)
        self.query_one(TranscriptList).update(listing)
        self._count_progress_later(listing)

    def _count_progress_later(self, listing: list[dict]) -> None:
        """A big project's list comes up before its progress is counted (0.3 s at 5,000
        transcripts): a thread counts it on a connection of its own and fills it in."""
        if any(t["progress"] is None for t in listing):
            self.run_worker(self._count_progress, thread=True, group="progress",
                            exclusive=True, exit_on_error=False)

    def _count_progress(self) -> None:
        shares = reading.progress_by_path(self.project.path)
        self.app.call_from_thread(self.query_one(TranscriptList).set_all_progress, shares)

    @property
    def reader(self) -> TranscriptView:
        return self._reader

    @property
    def codebook(self) -> CodebookPanel:
        return self.query_one(CodebookPanel)

    def on_mount(self) -> None:
        self.reader.labels = self._labels
        self.query_one("#excerpts", RetrievalPanel).border_title = "Excerpts"
        self.query_one("#codebook").border_title = "Codebook"
        self.query_one("#transcripts").border_title = "Transcripts"
        self._reload_codebook()
        self._fit(self.app.size.width)
        # A real terminal reports its size after start-up: fit again once it has.
        self.call_after_refresh(lambda: self._fit(self.app.size.width))
        last = self.project.setting(self._mine("transcript"))
        listing = self.query_one(TranscriptList).transcripts
        self._count_progress_later(listing)
        ids = [t["id"] for t in listing]
        if last and int(last) in ids:
            self.open_transcript(int(last))
        elif ids:
            self.open_transcript(ids[0])
        self.reader.focus()
        self._announcing = True
        self._heartbeat()
        self.set_interval(presence.HEARTBEAT, self._heartbeat)

    def _heartbeat(self) -> None:
        """Say this workbench is open, and on which transcript; learn who else is on it.
        Presence is a courtesy, not data: a project busy with another writer's long
        import skips a beat (announce does not wait) rather than freezing the screen."""
        tid = self.doc.id if self.doc is not None else None
        presence.announce(self.project, self.coder, tid, served=served())
        self._others = presence.others_on(self.project, tid, self.coder) if tid else []
        self._status()

    def on_resize(self, event) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """The reading view is the main area: at least half the width from 120 columns.
        Under 110 the transcript list hides (ctrl+t shows it in place of the codebook,
        and picking a transcript gives the room back); `<` and `>` resize the side."""
        self._width = width
        self.narrow = width < 110
        # A wide terminal gives the list and the side room for long names too.
        list_width = 26 if width < 140 else 32 if width < 180 else 44
        if getattr(self, "_side_width", None) is None:  # once: this coder's saved width
            saved = self.project.setting(self._mine("side_width"))
            self._side_width = int(saved) if saved and saved.isdigit() else (
                28 if width < 100 else 30 if width < 140 else 36 if width < 180 else 48)
        self.query_one("#transcripts").styles.width = list_width
        self.query_one("#transcripts").display = not self.narrow
        self.query_one("#side").styles.width = self._side_width
        self.query_one("#side").display = True

    # -- opening ------------------------------------------------------------------------

    def open_transcript(self, transcript_id: int, start: int | None = None,
                        end: int | None = None) -> None:
        self._flush_cursor()
        doc = reading.load_doc(self.project, transcript_id)
        if self.only_mine:
            doc.codings = reading.transcript_codings(self.project, doc.id, self.coder)
        self.doc = doc
        saved = self.project.setting(self._mine(f"cursor.{doc.id}"))
        selection = (start, end) if start is not None and end is not None else None
        self.reader.show(doc, cursor=int(saved) if saved and not selection else (start or 0),
                         selection=selection)
        self.project.set_setting(self._mine("transcript"), str(doc.id))
        self.query_one(TranscriptList).mark_current(doc.id)
        self._title()
        if self._announcing:  # after mount: tell the others at once
            self._heartbeat()

    def _title(self) -> None:
        if self.doc is None:
            return
        d = self.doc
        final = d.final_count
        waiting = len(d.codings) - final
        title = Text(d.name, style="bold")
        title.append(f"  {d.site or '-'} · {d.kind.replace('_', ' ')} · "
                     f"{plural(len(d.turns), 'turn')} · "
                     f"{plural(final, 'coding')}"
                     + (f" · {plural(waiting, 'suggestion')} to review" if waiting else ""),
                     style="dim")
        if self.only_mine:
            title.append(f" · only {self.coder}'s", style="magenta")
        self.query_one("#doc-title", Static).update(title, layout=False)

    def on_open_transcript(self, message: OpenTranscript) -> None:
        self.open_transcript(message.transcript_id, message.start, message.end)
        self._side_back()  # a narrow screen gives the list's room back to the side
        self.reader.focus()

    # -- status and cursor memory -----------------------------------------------------------

    def on_cursor_moved(self, message: CursorMoved) -> None:
        self._status()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(CURSOR_SAVE_DELAY, self._flush_cursor)

    def _flush_cursor(self) -> None:
        if self.doc is not None:
            self.project.set_setting(self._mine(f"cursor.{self.doc.id}"), str(self.reader.cursor))

    def _status(self) -> None:
        if self.doc is None:
            return
        r = self.reader
        turn = self.doc.turn_at(r.cursor)
        parts = Text()
        if turn is not None and turn.speaker:
            who = turn.participant or turn.speaker
            parts.append(f"{who}", style="bold")
            if turn.role:
                parts.append(f" ({turn.role})")
            parts.append(f" · turn {turn.seq}/{len(self.doc.turns)}", style="dim")
        here = self.doc.codings_at(r.cursor)
        if here:
            parts.append("  ")
            for c in here[:4]:
                name = c.name if len(here) == 1 or len(c.name) <= 28 else c.name[:27] + "…"
                suggested = c.status != "final"
                parts.append("╎" if suggested else "▌", style=c.color)
                parts.append(f"{name} ({'suggested to ' if suggested else ''}{c.coder}) ")
            if len(here) > 4:
                parts.append(f"+{len(here) - 4}")
        if r.selection:
            parts.append(f"  selected {r.selection[1] - r.selection[0]} chars", style="cyan")
            if self._just_coded and self._just_coded[0] == r.selection:
                parts.append(f" · coded {', '.join(self._just_coded[1])} (another number "
                             "adds a code; . moves on)", style="cyan")
        parts.append(f"  · coder {self.coder}", style="dim")
        if self._others:
            parts.append(f"  · also here: {', '.join(self._others)}", style="yellow")
        self.query_one("#status", Static).update(parts, layout=False)

    # -- codebook -------------------------------------------------------------------------

    def _pinned(self) -> list[str]:
        """This coder's pins, 1 to 9. The first time, the first nine codable codes are
        pinned and saved, so a number never changes meaning when codes are added (only
        `p` in the codebook changes a pin)."""
        saved = self.project.setting(self._mine("pinned")) or self.project.setting("tui.pinned")
        if saved:
            return json.loads(saved)
        pins = [c["key"] for c in reading.code_tree(self.project) if c["codable"]][:9]
        self.project.set_setting(self._mine("pinned"), json.dumps(pins))
        return pins

    def _reload_codebook(self, keep: str | None = None) -> None:
        self.codebook.load(reading.code_tree(self.project), self._pinned(), keep)

    def on_code_highlighted(self, message: CodeHighlighted) -> None:
        panel = self.query_one(RetrievalPanel)
        if message.key is None:
            panel.show(None, [])
            return
        panel.show(self.codebook.codes[message.key]["name"],
                   reading.excerpts(self.project, message.key))

    def _codable_items(self) -> list[tuple[str, str, str]]:
        return [(c["key"], c["name"], c["key"] + (" · pinned "
                 + str(self.codebook.pinned.index(c["key"]) + 1)
                 if c["key"] in self.codebook.pinned else ""))
                for c in self.codebook.codes.values() if c["codable"]]

    # -- coding ---------------------------------------------------------------------------

    def _target_span(self) -> tuple[int, int] | None:
        if self.doc is None:
            return None
        return self.reader.selection or self.doc.sentences.at_or_after(self.reader.cursor)

    def apply_code(self, key: str) -> None:
        span = self._target_span()
        if span is None or self.doc is None:
            self.notify("Select some text first (v sentence, t turn, shift+arrows).",
                        severity="warning")
            return
        try:
            done = services.add_coding(self.project, self.doc.id, key, span[0], span[1],
                                       coder=self.coder, text_sha=self.doc.sha256 or None)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        if key != self.last_code:
            self.last_code = key
            self.project.set_setting(self._mine("last_code"), key)
        self._codings_changed([done.id, *done.absorbed], [key])
        # The coded words stay selected, so 1 2 5 give one passage three codes, as in
        # NVivo and MAXQDA; moving the cursor (`.` for the next sentence) lets go.
        self.reader.set_selection(*span)
        name = self.codebook.codes.get(key, {}).get("name", key)
        self._just_coded = (span, [*(self._just_coded[1] if self._just_coded and
                                      self._just_coded[0] == span else []), name])
        self._status()

    def _after_change(self, keys: list[str]) -> None:
        """Read the transcript's codings again (a change that may touch any of them:
        a merge, a refresh, another coder's view), then refresh what shows them."""
        if self.doc is None:
            return
        self.doc.codings = reading.transcript_codings(
            self.project, self.doc.id, self.coder if self.only_mine else None)
        self._show_change(keys)

    def _codings_changed(self, ids: list[int], keys: list[str]) -> None:
        """A coding action changed the codings `ids` (of codes `keys`): only they are
        read again, so a key costs the same whatever the transcript already holds."""
        if self.doc is None:
            return
        self.doc.replace_codings(ids, reading.transcript_codings(
            self.project, self.doc.id, self.coder if self.only_mine else None, ids))
        self._show_change(keys)

    def _show_change(self, keys: list[str]) -> None:
        """Refresh what a coding change touched: stripes, counts, progress, excerpts."""
        assert self.doc is not None
        self.reader.refresh_codings(self.doc)
        for key, n in reading.coding_count(self.project, keys).items():
            self.codebook.update_count(key, n)
        # The open transcript's progress is kept with its codings; with only this
        # coder's codings shown, it is counted from the project.
        self.query_one(TranscriptList).set_progress(
            self.doc.id, reading.transcript_progress(self.project, self.doc.id)
            if self.only_mine else self.doc.progress())
        if self.codebook.current in keys:  # its excerpts, once the keys stop coming
            if self._excerpts_timer is not None:
                self._excerpts_timer.stop()
            self._excerpts_timer = self.set_timer(EXCERPTS_DELAY, self._show_excerpts)
        self._title()
        self._status()

    def _show_excerpts(self) -> None:
        self.on_code_highlighted(CodeHighlighted(self.codebook.current))

    def action_pick_code(self) -> None:
        if self.reviewing:
            self.action_accept_suggestion()
            return

        def chosen(result: str | None) -> None:
            if not result:
                return
            if result.startswith(NEW):
                self._create_and_code(result[len(NEW):])
            else:
                self.apply_code(result)

        self.app.push_screen(Picker("Code the selection", self._codable_items(),
                                    allow_new=True), chosen)

    def action_pinned(self, n: int) -> None:
        pinned = self.codebook.pinned
        if n <= len(pinned):
            self.apply_code(pinned[n - 1])
        else:
            self.notify(f"No code pinned at {n}: highlight a code in the codebook and press p.")

    def action_repeat_code(self) -> None:
        if self.last_code:
            self.apply_code(self.last_code)
        else:
            self.notify("No code used yet: press c to pick one.")

    def _create_and_code(self, words: str, parent: str | None = None) -> None:
        """A new inductive code named by `words`, coding the selection: one action, so
        one undo takes back the coding and the code together."""
        span = self._target_span()
        if span is None or self.doc is None:
            self.notify("Select some text first (v sentence, t turn, shift+arrows).",
                        severity="warning")
            return
        name = " ".join(words.split())[:80]
        base = slugify(name)[:40] or "code"
        key, n = base, 1
        while key in self.codebook.codes:
            n += 1
            key = f"{base}_{n}"
        try:
            _, done = services.code_in_vivo(self.project, self.doc.id, span[0], span[1], key,
                                            name, parent=parent, coder=self.coder,
                                            text_sha=self.doc.sha256 or None)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        self._reload_codebook(keep=key)
        self.last_code = key
        self.project.set_setting(self._mine("last_code"), key)
        self._codings_changed([done.id], [key])  # a new code: nothing to merge with
        self.reader.move_to(span[1])
        self.notify(f"New inductive code: {name}")

    def action_in_vivo(self) -> None:
        span = self.reader.selection
        if span is None or self.doc is None:
            self.notify("Select the words to become the code's name.", severity="warning")
            return
        # Under the highlighted code (a folder code is a fine parent), else at the top.
        current = self.codebook.current
        parent = current if current in self.codebook.codes else None
        self._create_and_code(self.doc.text[span[0]:span[1]].strip(" \n\"'‘’“”.,"), parent)

    def action_uncode(self) -> None:
        if self.reviewing:
            self.action_reject_suggestion()
            return
        if self.doc is None:
            return
        here = self.doc.codings_at(self.reader.cursor)
        if self.reader.selection:
            s, e = self.reader.selection
            here = self.doc.codings_over(s, e)
        if not here:
            self.notify("No coding at the cursor.")
            return

        def remove(coding_id: str | None) -> None:
            if coding_id is None:
                return
            gone = next(c for c in here if str(c.id) == coding_id)
            try:  # a served coder's link fixes who they are: others' codings are theirs
                services.remove_coding(self.project, gone.id, self.coder, own_only=served())
            except QualCoderError as err:
                self.notify(str(err), severity="error")
                return
            self._codings_changed([gone.id], [gone.code])
            self.notify(f"Removed {gone.name} ({gone.coder}); u to undo")

        if len(here) == 1:
            remove(str(here[0].id))
        else:
            items = [(str(c.id), c.name, f"{c.coder} · {self.doc.text[c.start:c.end][:40]}")
                     for c in here]
            self.app.push_screen(Picker("Remove which coding?", items), remove)

    def action_undo(self) -> None:
        self._undo_redo(services.undo, "Undid", "undo")

    def action_redo(self) -> None:
        self._undo_redo(services.redo, "Redid", "redo")

    def _undo_redo(self, fn, verb: str, noun: str) -> None:
        try:
            done = fn(self.project, self.coder)
        except QualCoderError as err:
            self.notify(str(err), severity="error")
            return
        if done is None:
            self.notify(f"Nothing to {noun}.")
            return
        rows = done["rows"]
        if done.get("code"):  # the action created its code (in-vivo): it went or came back
            if verb == "Undid" and self.last_code == done["code"]:
                self.last_code = None
            self._reload_codebook(keep=self.codebook.current)
        keys = reading.code_keys(self.project, done["code_ids"])
        if rows and self.doc is not None and rows[0]["transcript_id"] != self.doc.id:
            self.open_transcript(rows[0]["transcript_id"], rows[0]["start"], rows[0]["end"])
        self._codings_changed(done["ids"], keys)
        removed = done.get("code") and verb == "Undid"
        self.notify(f"{verb}: {done['label']}" + (f" and removed the new code {done['code']}"
                                                   if removed else ""))

    # -- memos ----------------------------------------------------------------------------

    def _edit_memo(self, scope: str, owner, title: str) -> None:
        current = services.get_memo(self.project, scope, owner)

        def save(text: str | None) -> None:
            if text is not None:
                services.set_memo(self.project, scope, owner, text, self.coder)
                self.notify("Memo saved" if text.strip() else "Memo removed")

        self.app.push_screen(MemoEditor(title, current), save)

    def action_coding_memo(self) -> None:
        if self.doc is None:
            return
        # Just coded: the cursor sits at the selection's end, outside the new coding, and
        # the memo is wanted on the coding of the selection.
        selected = [c for c in self.doc.codings if (c.start, c.end) == self.reader.selection]
        here = selected or self.doc.codings_at(self.reader.cursor)
        if not here:
            self.notify("No coding at the cursor: this memo is the transcript's (M).")
            self.action_transcript_memo()
            return
        if len(here) == 1:
            c = here[0]
            self._edit_memo("coding", c.id, f"Memo on the coding: {c.name} ({c.coder})")
            return
        # Several codings here (another code, another coder's version): ask which.
        by_id = {str(c.id): c for c in here}
        items = [(str(c.id), c.name, f"{c.coder} · {self.doc.text[c.start:c.end][:40]}")
                 for c in here]

        def chosen(key: str | None) -> None:
            if key in by_id:
                c = by_id[key]
                self._edit_memo("coding", c.id, f"Memo on the coding: {c.name} ({c.coder})")

        self.app.push_screen(Picker("Memo on which coding?", items), chosen)

    def action_transcript_memo(self) -> None:
        if self.doc is not None:
            self._edit_memo("transcript", self.doc.id, f"Memo on the transcript: {self.doc.name}")

    def action_code_memo(self) -> None:
        key = self.codebook.current
        if key in self.codebook.codes:
            self._edit_memo("code", key, f"Memo on the code: {self.codebook.codes[key]['name']}")

    # -- reading and panels ---------------------------------------------------------------

    def action_search(self) -> None:
        def found(query: str | None) -> None:
            if query is None:
                return
            n = self.reader.find(query)
            self.notify(f"{plural(n, 'match')} for ‘{query}’ (n / N to step)" if query else
                        "Search cleared")
            self.reader.focus()

        self.app.push_screen(TextPrompt("Search this transcript", self.reader.search), found)

    def action_search_project(self) -> None:
        from .search import ProjectSearch

        def chosen(hit: tuple[int, int, int] | None) -> None:
            if hit:
                self.open_transcript(*hit)
                self.reader.focus()

        self.app.push_screen(ProjectSearch(self.project, self.reader.search), chosen)

    def action_open_saturation(self) -> None:
        from .saturation import SaturationScreen

        self.app.push_screen(SaturationScreen(self.project))

    def action_open_query(self) -> None:
        from .query import QueryScreen

        def chosen(hit: tuple[int, int, int] | None) -> None:
            if hit:
                self.open_transcript(*hit)
                self.reader.focus()

        self.app.push_screen(QueryScreen(self.project), chosen)

    def action_focus_reader(self) -> None:
        self.reader.focus()

    def action_focus_transcripts(self) -> None:
        panel = self.query_one("#transcripts")
        panel.display = True
        if self.narrow:  # no room for three columns: the list takes the side's place
            self.query_one("#side").display = False
        panel.query_one("OptionList").focus()

    def _side_back(self) -> None:
        """On a narrow screen the transcript list gives its room back to the side."""
        if self.narrow:
            self.query_one("#transcripts").display = False
            self.query_one("#side").display = True

    def action_focus_codebook(self) -> None:
        self._side_back()
        self.query_one("#side").display = True
        tree = self.codebook.code_tree
        if tree.cursor_node is None:  # never moved yet: start at the top, not nowhere
            tree.cursor_line = 0
        tree.focus()

    def action_focus_excerpts(self) -> None:
        self._side_back()
        self.query_one("#side").display = True
        self.query_one(RetrievalPanel).focus()

    def action_toggle_transcripts(self) -> None:
        panel = self.query_one("#transcripts")
        panel.display = not panel.display
        if panel.display and self.narrow:
            self.query_one("#side").display = False
        elif not panel.display:
            self.query_one("#side").display = True

    def action_toggle_side(self) -> None:
        panel = self.query_one("#side")
        panel.display = not panel.display

    def action_resize_side(self, by: int) -> None:
        """`>` gives the reading view more room, `<` gives the side panel more."""
        self._side_width = max(20, min(self._side_width + by, max(24, self._width // 2)))
        self.project.set_setting(self._mine("side_width"), str(self._side_width))
        self.query_one("#side").styles.width = self._side_width
        self.query_one("#side").display = True

    def action_switch_coder(self) -> None:
        if served():
            self.notify("In a served workbench your link says who you are; the coder is "
                        f"{self.coder}.", severity="warning")
            return

        def switched(name: str | None) -> None:
            if name and name.strip():
                self._flush_cursor()
                self.coder = name.strip()
                self.project.set_setting("coder", self.coder)
                self.last_code = self.project.setting(self._mine("last_code"))
                self._reload_codebook(keep=self.codebook.current)
                self._heartbeat()
                if self.only_mine and self.doc is not None:
                    self._after_change([])
                self._status()
                self.notify(f"Coding as {self.coder}")

        self.app.push_screen(TextPrompt("Active coder", self.coder), switched)

    def action_refresh(self) -> None:
        """Re-read codings, counts and progress: another coder may share the file."""
        key = self.codebook.current
        self._reload_codebook(keep=key)
        if self.doc is not None and reading.text_sha(self.project, self.doc.id) != \
                self.doc.sha256:
            # Re-imported by another program: its text and offsets are new.
            self.open_transcript(self.doc.id)
        elif self.doc is not None:
            self._after_change([])
        self._list_transcripts()
        self.notify("Refreshed from the project file")

    def action_open_cases(self) -> None:
        from .cases import CasesScreen

        def back(_=None) -> None:  # labels and types may have changed
            if self.doc is not None:
                self.open_transcript(self.doc.id)

        self.app.push_screen(CasesScreen(self.project), back)

    def action_import_files(self) -> None:
        from .importing import ImportScreen, expand

        if served():  # a browser session never reaches the server's files
            self.notify("Importing is off in a served workbench: it would read files on the "
                        "server. Whoever runs `qual-coder serve` imports with "
                        "`qual-coder import`; the new transcripts appear on refresh (ctrl+g).",
                        severity="warning", timeout=10)
            return

        def imported(report) -> None:
            if report is None:
                return
            self._list_transcripts()
            self.notify(f"Imported {plural(len(report.imported), 'transcript')}, {report.words:,} "
                        "words")

        def chosen(typed: str | None) -> None:
            paths = expand(typed or "")
            if paths:
                self.app.push_screen(ImportScreen(self.project, paths), imported)

        self.app.push_screen(TextPrompt("Import transcripts: paths or a pattern",
                                        placeholder="interviews/*.docx"), chosen)

    def action_only_my_codings(self) -> None:
        self.only_mine = not self.only_mine
        self._after_change([])

    def action_toggle_dark(self) -> None:
        dark = self.app.theme != "textual-light"
        self.app.theme = "textual-light" if dark else "textual-dark"
        self.project.set_setting(self._mine("theme"), self.app.theme)

    def action_open_agreement(self) -> None:
        from .team import AgreementScreen

        self.app.push_screen(AgreementScreen(self.project, self.coder))

    def action_open_discover(self) -> None:
        from .discover import DiscoverScreen

        self.app.push_screen(DiscoverScreen(self.project, self.coder),
                             self._reload_if_made)

    def _reload_if_made(self, made: str | None) -> None:
        """After discovery: the codebook again, on the code just made (if one was)."""
        if made:
            self._reload_codebook(keep=made)

    def action_open_matrix(self) -> None:
        from .analysis import MatrixScreen

        self.app.push_screen(MatrixScreen(self.project))

    def _heading_codes(self) -> list[str]:
        """The codes under the codebook heading the cursor is on (none on a code)."""
        tree = self.codebook.code_tree
        node = tree.cursor_node or (tree.root.children[0] if tree.root.children else None)
        return [c.data for c in node.children if c.data in self.codebook.codes] \
            if node is not None else []

    def action_open_framework(self) -> None:
        from .analysis import FrameworkScreen

        key = self.codebook.current
        if key not in self.codebook.codes:
            key = next(iter(self._heading_codes()), None)
            if key is None:
                self.notify("Highlight a theme (a code with sub-codes) in the codebook first.",
                            severity="warning")
                return
            self.notify(f"Charting the heading's first theme, {self.codebook.codes[key]['name']}")
        self.app.push_screen(FrameworkScreen(self.project, key))

    def action_open_quotes(self) -> None:
        from .analysis import QuotesScreen

        key = self.codebook.current
        keys = [key] if key in self.codebook.codes else self._heading_codes()
        if not keys:
            self.notify("Highlight a code in the codebook first.", severity="warning")
            return
        self.app.push_screen(QuotesScreen(self.project, keys))

    def action_open_cascade(self) -> None:
        from .quant import CascadeScreen

        self.app.push_screen(CascadeScreen(self.project))

    def action_open_survey(self) -> None:
        from .quant import SurveyScreen

        self.app.push_screen(SurveyScreen(self.project))

    def action_open_joint(self) -> None:
        from .quant import JointScreen

        self.app.push_screen(JointScreen(self.project))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self._flush_cursor()
        try:
            presence.leave(self.project)
        except Exception:  # closing must not fail on a courtesy row; it goes stale anyway
            pass
