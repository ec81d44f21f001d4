"""The reading view: a transcript laid out as turns, wrapped to the width, with a
margin of coding stripes, a cursor and a selection.

It uses Textual's Line API: the layout (a list of display lines, each mapping to a
span of the transcript text) is computed once per width, and only the visible
lines are rendered, so a 30,000-word focus group scrolls like a short interview.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.text import visible
from ...services.reading import TranscriptDoc
from ..messages import CursorMoved

MARGIN = 5  # four stripe cells and a gap
STRIPES = 4
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class DisplayLine:
    kind: str  # "header", "text", "blank"
    start: int
    end: int
    turn: int
    label: str = ""


def layout(doc: TranscriptDoc, width: int, labels: dict[str, str]) -> list[DisplayLine]:
    """Wrap every turn to `width` cells; each text line keeps its offsets."""
    width = max(width, 10)
    lines: list[DisplayLine] = []
    text = doc.text
    for i, turn in enumerate(doc.turns):
        if turn.speaker is not None:
            who = turn.participant or turn.speaker
            if turn.is_interviewer:
                who = turn.speaker
            elif turn.speaker.lower() not in who.lower():
                who = f"{turn.speaker} ({who})"  # "P1 (Claire Watson)"
            bits = [who]
            role = turn.role or labels.get(turn.stakeholder_type or "", "")
            if role and role != who:
                bits.append(role)
            if turn.timestamp:
                bits.append(turn.timestamp)
            lines.append(DisplayLine("header", turn.start, turn.start, i, " · ".join(bits)))
        offset = turn.start
        for paragraph in text[turn.start:turn.end].split("\n"):
            p_start = offset
            offset += len(paragraph) + 1
            if not paragraph:
                lines.append(DisplayLine("text", p_start, p_start, i))
                continue
            line_start, used = p_start, 0
            for m in _TOKEN.finditer(paragraph):
                token = m.group()
                t_start = p_start + m.start()
                word = token.rstrip()
                # ASCII is one cell a character; only other text needs rich's measure.
                cells = (len(word) if word.isascii() else cell_len(word)) if word else 0
                if used and used + cells > width:
                    lines.append(DisplayLine("text", line_start, t_start, i))
                    line_start, used = t_start, 0
                while cells > width:  # a token longer than the line: hard split
                    cut, w = t_start, 0
                    while cut < p_start + m.end() and w + cell_len(text[cut]) <= width:
                        w += cell_len(text[cut])
                        cut += 1
                    lines.append(DisplayLine("text", line_start, cut, i))
                    line_start = t_start = cut
                    cells = cell_len(text[cut:p_start + m.end()].rstrip())
                used += len(token) if token.isascii() else cell_len(token)
            lines.append(DisplayLine("text", line_start, p_start + len(paragraph), i))
        lines.append(DisplayLine("blank", turn.end, turn.end, i))
    return lines


class TranscriptView(ScrollView, can_focus=True):
    """Read, move, select. Coding actions live on the screen; this widget only
    reports the cursor and selection (CursorMoved)."""

    BINDINGS = [
        Binding("down", "line(1)", "Down", show=False),
        Binding("up", "line(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(0)", "Start", show=False),
        Binding("end", "edge(1)", "End", show=False),
        Binding("right", "word(1)", "Next word", show=False),
        Binding("left", "word(-1)", "Previous word", show=False),
        Binding("shift+right", "extend_word(1)", "Extend by word", show=False),
        Binding("shift+left", "extend_word(-1)", "Shrink by word", show=False),
        Binding("shift+down", "extend_sentence(1)", "Extend by sentence", show=False),
        Binding("shift+up", "extend_sentence(-1)", "Shrink by sentence", show=False),
        Binding("full_stop,right_parenthesis", "sentence(1)", "Next sentence", show=False),
        Binding("comma,left_parenthesis", "sentence(-1)", "Previous sentence", show=False),
        Binding("right_curly_bracket,ctrl+down", "turn(1)", "Next turn", show=False),
        Binding("left_curly_bracket,ctrl+up", "turn(-1)", "Previous turn", show=False),
        Binding("v", "select_sentence", "Select sentence"),
        Binding("t", "select_turn", "Select turn"),
        Binding("escape", "clear_selection", "Clear", show=False),
        Binding("right_square_bracket", "coding(1)", "Next coding", show=False),
        Binding("left_square_bracket", "coding(-1)", "Previous coding", show=False),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Previous match", show=False),
    ]

    # The scrollbar's gutter is always kept, so the text is laid out for the width it is
    # drawn at whether or not the scrollbar shows (a late scrollbar cut line ends off).
    DEFAULT_CSS = """
    TranscriptView { background: $surface; scrollbar-gutter: stable; }
    """

    cursor: reactive[int] = reactive(0, init=False)
    # where a selection started (not `anchor`: Widget.anchor() is scrolling's)
    selection_anchor: reactive[int | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc: TranscriptDoc | None = None
        self.lines: list[DisplayLine] = []
        self._line_starts: list[int] = []
        self._text_rows: list[int] = []
        self._laid_out_width = 0
        self.labels: dict[str, str] = {}
        self.search: str = ""
        self._matches: list[int] = []
        self.hidden_coders: set[str] = set()
        self._dragging = False

    # -- loading and layout -----------------------------------------------------------

    def show(self, doc: TranscriptDoc, cursor: int = 0,
             selection: tuple[int, int] | None = None) -> None:
        self.doc = doc
        self._laid_out_width = 0
        self.search, self._matches = "", []
        self._relayout()
        if selection:
            self.set_selection(*selection)
        else:
            self.selection_anchor = None
            self.move_to(min(max(cursor, 0), len(doc.text)))
        self.call_after_refresh(self.scroll_to_cursor)

    def refresh_codings(self, doc: TranscriptDoc) -> None:
        """New codings for the same text: no relayout needed."""
        self.doc = doc
        self.refresh()

    @property
    def text_width(self) -> int:
        return max(self.scrollable_content_region.width - MARGIN - 1, 10)

    def _relayout(self) -> None:
        if self.doc is None or self.scrollable_content_region.width == 0:
            return  # not sized yet: on_resize lays it out once the width is known
        width = self.text_width
        self.lines = layout(self.doc, width, self.labels)
        self._laid_out_width = width
        self._text_rows = [i for i, ln in enumerate(self.lines) if ln.kind == "text"]
        self._line_starts = [self.lines[i].start for i in self._text_rows]
        self.virtual_size = Size(width + MARGIN, len(self.lines))
        self.refresh()

    def on_resize(self) -> None:
        if self.doc is not None and self.text_width != self._laid_out_width:
            self._relayout()
            # Scroll once the new virtual size is in place, or the scroll is clamped.
            self.call_after_refresh(self.scroll_to_cursor)

    # -- geometry ---------------------------------------------------------------------

    def row_of(self, offset: int) -> int:
        if not self._text_rows:
            return 0
        i = max(bisect_right(self._line_starts, offset) - 1, 0)
        # An offset at the very end of a line belongs to that line, not the next one.
        return self._text_rows[i]

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

    def scroll_to_cursor(self) -> None:
        row = self.row_of(self.cursor)
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if row < top + 1:
            self.scroll_to(y=max(row - 1, 0), animate=False)
        elif row >= top + height - 1:
            self.scroll_to(y=row - height + 2, animate=False)

    def move_to(self, offset: int, extend: bool = False) -> None:
        if self.doc is None:
            return
        offset = min(max(offset, 0), len(self.doc.text))
        if extend:
            if self.selection_anchor is None:
                self.selection_anchor = self.cursor
        else:
            self.selection_anchor = None
        self.cursor = offset
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(CursorMoved(self.cursor, self.selection))

    def set_selection(self, start: int, end: int) -> None:
        self.selection_anchor = start
        self.cursor = end
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(CursorMoved(self.cursor, self.selection))

    # -- actions ----------------------------------------------------------------------

    def action_line(self, delta: int) -> None:
        if not self._text_rows:
            return
        row = self.row_of(self.cursor)
        i = self._text_rows.index(row)
        column = self.cursor - self.lines[row].start
        j = min(max(i + delta, 0), len(self._text_rows) - 1)
        target = self.lines[self._text_rows[j]]
        self.move_to(min(target.start + column, max(target.end - 1, target.start)))

    def action_page(self, delta: int) -> None:
        for _ in range(max(self.scrollable_content_region.height - 2, 1)):
            self.action_line(delta)

    def action_edge(self, end: int) -> None:
        if self.doc is not None:
            self.move_to(len(self.doc.text) if end else 0)

    def _word_target(self, delta: int) -> int:
        text, pos = self.doc.text, self.cursor  # type: ignore[union-attr]
        if delta > 0:
            while pos < len(text) and not text[pos].isspace():
                pos += 1
            while pos < len(text) and text[pos].isspace():
                pos += 1
        else:
            pos -= 1
            while pos > 0 and text[pos].isspace():
                pos -= 1
            while pos > 0 and not text[pos - 1].isspace():
                pos -= 1
        return pos

    def action_word(self, delta: int) -> None:
        if self.doc is not None:
            self.move_to(self._word_target(delta))

    def action_extend_word(self, delta: int) -> None:
        if self.doc is None:
            return
        target = self._word_target(delta)
        if delta > 0:  # end the selection after the word, not before the next one
            while target > self.cursor and self.doc.text[target - 1].isspace():
                target -= 1
            if target == self.cursor:
                target = self._word_target(1)
                nxt = target
                while nxt < len(self.doc.text) and not self.doc.text[nxt].isspace():
                    nxt += 1
                target = nxt
        self.move_to(target, extend=True)

    def action_sentence(self, delta: int) -> None:
        if self.doc is not None:
            self._jump(self.doc.sentences, delta)

    def _jump(self, segments, delta: int) -> None:
        """To the start of the next (or previous) sentence or turn."""
        target = (segments.next_start(self.cursor) if delta > 0
                  else segments.prev_start(self.cursor))
        if target is not None:
            self.move_to(target)

    def action_extend_sentence(self, delta: int) -> None:
        """Grow (or shrink) the selection a whole sentence at a time."""
        if self.doc is None:
            return
        spans = self.doc.sentences.spans
        if self.selection is None:
            here = self.doc.sentences.at_or_after(self.cursor)
            if here is not None:
                self.set_selection(*here)
            return
        ends = [e for _, e in spans]
        if delta > 0:
            target = next((e for e in ends if e > self.cursor), self.cursor)
        else:
            floor = next((e for e in ends if e > (self.selection_anchor or 0)), self.cursor)
            target = max(next((e for e in reversed(ends) if e < self.cursor), floor), floor)
        self.move_to(target, extend=True)

    def action_turn(self, delta: int) -> None:
        if self.doc is not None:
            self._jump(self.doc.turn_segments, delta)

    def action_select_sentence(self) -> None:
        if self.doc is not None:
            span = self.doc.sentences.at_or_after(self.cursor)
            if span:
                self.set_selection(*span)

    def action_select_turn(self) -> None:
        if self.doc is None:
            return
        turn = self.doc.turn_at(self.cursor)
        if turn is not None:
            self.set_selection(turn.start, turn.end)

    def action_clear_selection(self) -> None:
        if self.selection_anchor is not None:
            self.move_to(self.cursor)

    def action_coding(self, delta: int) -> None:
        if self.doc is None:
            return
        target = (self.doc.next_coding(self.cursor) if delta > 0
                  else self.doc.prev_coding(self.cursor))
        if target is not None:
            self.move_to(target)

    def find(self, query: str) -> int:
        """Highlight every match of `query` (case-insensitive); jump to the next one."""
        self.search = query
        self._matches = []
        if self.doc is not None and query:
            self._matches = [m.start() for m in re.finditer(re.escape(query), self.doc.text,
                                                            re.IGNORECASE)]
        self.refresh()
        if self._matches:
            self.action_match(1, from_cursor=True)
        return len(self._matches)

    def action_match(self, delta: int, from_cursor: bool = False) -> None:
        if not self._matches:
            return
        here = self.selection[0] if self.selection else self.cursor
        if delta > 0:
            pos = here - (1 if from_cursor else 0)
            target = next((m for m in self._matches if m > pos), self._matches[0])
        else:
            target = next((m for m in reversed(self._matches) if m < here), self._matches[-1])
        self.set_selection(target, target + len(self.search))

    # -- mouse --------------------------------------------------------------------------

    def _offset_at(self, x: int, y: int) -> int | None:
        row = y + self.scroll_offset.y
        if not 0 <= row < len(self.lines) or self.doc is None:
            return None
        line = self.lines[row]
        if line.kind != "text":
            nxt = next((self.lines[r] for r in self._text_rows if r > row), None)
            return nxt.start if nxt else len(self.doc.text)
        col, pos = x - MARGIN + self.scroll_offset.x, line.start
        used = 0
        while pos < line.end and used + cell_len(self.doc.text[pos]) <= col:
            used += cell_len(self.doc.text[pos])
            pos += 1
        return pos

    def on_mouse_down(self, event) -> None:
        offset = self._offset_at(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_to(offset)

    def on_mouse_move(self, event) -> None:
        if self._dragging:
            offset = self._offset_at(event.x, event.y)
            if offset is not None and offset != self.cursor:
                self.move_to(offset, extend=True)
        elif event.x < MARGIN:
            self.tooltip = self.stripe_names(event.y + self.scroll_offset.y) or None

    def stripe_names(self, row: int) -> str:
        """Who coded what on a display line: the stripes' names, for the hover tip."""
        if self.doc is None or not 0 <= row < len(self.lines):
            return ""
        line = self.lines[row]
        here = [c for c in self.doc.codings_over(line.start, max(line.end, line.start + 1))
                if c.coder not in self.hidden_coders]
        return "\n".join(f"▌ {c.name} ({c.coder})" if c.status == "final" else
                         f"╎ {c.name} (suggested to {c.coder})" for c in here)

    def on_mouse_up(self, event) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # -- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.doc is None or row >= len(self.lines):
            return Strip([Segment(" " * width, base)], width)
        line = self.lines[row]
        if line.kind == "blank":
            return Strip([Segment(" " * width, base)], width)
        if line.kind == "header":
            turn = self.doc.turns[line.turn]
            colour = "bright_black" if turn.is_interviewer else "bold cyan"
            style = base + Style.parse(colour)
            label = line.label[: width - MARGIN]
            segs = [Segment(" " * MARGIN, base), Segment(label, style)]
            return Strip(segs).extend_cell_length(width, base).crop(0, width)
        return self._render_text(line, width, base)

    def _render_text(self, line: DisplayLine, width: int, base: Style) -> Strip:
        """One run of characters per style change, not one segment per character:
        a full redraw of 50 lines must stay well inside a keystroke's budget."""
        doc = self.doc
        assert doc is not None
        start, end = line.start, line.end
        here = [c for c in doc.codings_over(start, max(end, start + 1))
                if c.coder not in self.hidden_coders]
        segs: list[Segment] = []
        codes_seen: list[str] = []
        colours: dict[str, str] = {}
        only_suggested: dict[str, bool] = {}
        for c in here:
            if c.code not in colours:
                codes_seen.append(c.code)
                colours[c.code] = c.color
            only_suggested[c.code] = only_suggested.get(c.code, True) and c.status != "final"
        for i in range(STRIPES):
            if i < len(codes_seen):
                code = codes_seen[i]
                # A suggestion waiting for review is a dim dashed mark, not a stripe.
                char = "+" if i == STRIPES - 1 and len(codes_seen) > STRIPES else (
                    "╎" if only_suggested[code] else "▌")
                segs.append(Segment(char, base + Style(color=colours[code],
                                                       dim=only_suggested[code])))
            else:
                segs.append(Segment(" ", base))
        segs.append(Segment(" ", base))
        turn = doc.turns[line.turn]
        plain = base + (Style(dim=True, italic=turn.speaker is None)
                        if turn.is_interviewer or turn.speaker is None else Style())
        sel = self.selection
        q = len(self.search)
        matches = [(m, m + q) for m in self._matches if m < end and m + q > start] if q else []
        cursor = self.cursor if sel is None and self.has_focus else -1
        # Every offset where some style may change, inside this line.
        cuts = {start, end}
        for c in here:
            cuts.update((c.start, c.end))
        for m in matches:
            cuts.update(m)
        if sel:
            cuts.update(sel)
        if start <= cursor < end:
            cuts.update((cursor, cursor + 1))
        points = sorted(p for p in cuts if start <= p <= end)
        text = doc.text
        for a, b in zip(points, points[1:]):
            style = plain
            covering = [c for c in here if c.start <= a < c.end and c.status == "final"]
            if covering:
                style = style + Style(underline=True, color=None if turn.is_interviewer
                                      else covering[-1].color)
            if any(m0 <= a < m1 for m0, m1 in matches):
                style = style + Style(bgcolor="yellow", color="black")
            if sel and sel[0] <= a < sel[1]:
                style = style + Style(bgcolor="blue", color="white")
            if a == cursor:
                style = style + Style(reverse=True)
            segs.append(Segment(visible(text[a:b]), style))
        if self.cursor == end and sel is None and self.has_focus and (
                end == start or end >= len(text) or text[end] == "\n"):
            segs.append(Segment(" ", base + Style(reverse=True)))
        return Strip(segs).extend_cell_length(width, base).crop(0, width)
