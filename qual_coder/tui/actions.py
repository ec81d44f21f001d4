"""One table of the workbench's named actions: it feeds the key bindings, the
command palette and the help screen, so the three never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    action: str       # the screen action, with arguments: "pinned(1)"
    keys: str         # Textual key names, comma separated
    description: str
    group: str
    show: bool = False  # in the footer


ACTIONS: list[Action] = [
    Action("pick_code", "c,enter", "Code the selection (fuzzy code picker)", "Coding", True),
    *[Action(f"pinned({n})", str(n), f"Code with pinned code {n}", "Coding") for n in
      range(1, 10)],
    Action("repeat_code", "r", "Repeat the last code on the selection", "Coding"),
    Action("in_vivo", "i", "In-vivo: the selected words become a new code", "Coding"),
    Action("uncode", "x", "Remove a coding at the cursor", "Coding"),
    Action("suggest", "S", "Suggest codes for this transcript (spaCy engines)", "Suggestions"),
    Action("review", "R", "Review suggestions: Enter accepts, x rejects (R again: stop)",
           "Suggestions"),
    Action("next_suggestion(1)", "J", "Next suggestion", "Suggestions"),
    Action("next_suggestion(-1)", "K", "Previous suggestion", "Suggestions"),
    Action("open_discover", "f3", "Discover candidate themes no code covers yet",
           "Suggestions"),
    Action("coding_memo", "m", "Memo on the coding at the cursor", "Memos"),
    Action("transcript_memo", "M", "Memo on this transcript", "Memos"),
    Action("undo", "u,ctrl+z", "Undo the last coding action", "Coding", True),
    Action("redo", "U,ctrl+y", "Redo", "Coding"),
    Action("search", "slash", "Search in this transcript (n / N: next / previous)", "Reading",
           True),
    Action("search_project", "ctrl+f", "Search the whole project: matching turns, Enter opens",
           "Reading"),
    Action("open_query", "ctrl+k", "Coding query: where codes meet (AND, OR, NOT, NEAR…), "
           "Enter opens", "Reading"),
    Action("focus_reader", "ctrl+r", "Focus the reading view", "Panels"),
    Action("focus_transcripts", "ctrl+t", "Focus the transcript list", "Panels"),
    Action("focus_codebook", "ctrl+b", "Focus the codebook", "Panels"),
    Action("focus_excerpts", "ctrl+e", "Focus the excerpts of the highlighted code", "Panels"),
    Action("toggle_transcripts", "T", "Show or hide the transcript list", "Panels"),
    Action("toggle_side", "B", "Show or hide the codebook and excerpts", "Panels"),
    Action("resize_side(-4)", "greater_than_sign", "Widen the reading view (narrow the side)",
           "Panels"),
    Action("resize_side(4)", "less_than_sign", "Narrow the reading view (widen the side)",
           "Panels"),
    Action("refresh", "ctrl+g", "Refresh: show codings others saved to this project meanwhile",
           "Team"),
    Action("switch_coder", "ctrl+w", "Switch the active coder", "Team"),
    Action("only_my_codings", "O", "Show only the active coder's codings, or everyone's",
           "Team"),
    Action("open_agreement", "f4", "Agreement between coders; settle disagreements", "Team"),
    Action("open_matrix", "f5", "Theme matrix: codes by stakeholder type, site, …", "Analysis"),
    Action("open_framework", "f6", "Framework matrix of the highlighted theme", "Analysis"),
    Action("open_quotes", "f7", "Quotes of the highlighted code", "Analysis"),
    Action("open_cascade", "f8", "CASCADE ratings with charts per domain", "Analysis"),
    Action("open_survey", "f9", "Survey summary", "Analysis"),
    Action("open_joint", "f10", "Joint display: ratings, survey, interviews", "Analysis"),
    Action("open_saturation", "ctrl+n", "Thematic saturation: new codes by transcript",
           "Analysis"),
    Action("open_cases", "f2", "Participants and transcripts: types, roles, sites, attributes",
           "Project"),
    Action("import_files", "ctrl+o", "Import transcripts: preview their speakers, then import",
           "Project"),
    Action("toggle_dark", "ctrl+l", "Switch between light and dark theme", "View"),
    Action("help", "question_mark,f1", "Help: every key", "Help", True),
    Action("app.quit", "q,ctrl+q", "Quit (everything is already saved)", "Help", True),
]


def bindings() -> list[BindingType]:
    return [Binding(a.keys, a.action, a.description.split(" (")[0], show=a.show)
            for a in ACTIONS]
