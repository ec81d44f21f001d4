"""The codebook panel: the code tree with counts and pinned numbers, and the
highlighted code's definition, include/exclude criteria and example."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from ...core.text import plural
from ..messages import CodeHighlighted


class CodebookPanel(Vertical):
    BINDINGS = [
        Binding("a", "screen.add_code(True)", "Add child code"),
        Binding("A", "screen.add_code(False)", "Add top code"),
        Binding("e", "screen.rename_code", "Rename"),
        Binding("o", "screen.move_code", "Move under…"),
        Binding("g", "screen.merge_code", "Merge into…"),
        Binding("p", "screen.pin_code", "Pin/unpin"),
        Binding("delete", "screen.delete_code", "Delete"),
        Binding("m", "screen.code_memo", "Code memo"),
    ]
    DEFAULT_CSS = """
    CodebookPanel Tree { height: 2fr; }
    CodebookPanel #definition-scroll { height: 1fr; border-top: solid $primary-darken-2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.nodes: dict[str, TreeNode] = {}
        self.codes: dict[str, dict] = {}
        self.pinned: list[str] = []

    def compose(self) -> ComposeResult:
        tree: Tree[str | None] = Tree("Codebook", id="code-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        with VerticalScroll(id="definition-scroll"):
            yield Static("", id="definition")

    @property
    def code_tree(self) -> Tree:
        return self.query_one(Tree)

    def _label(self, code: dict) -> Text:
        text = Text("● ", style=code.get("color") or "white", no_wrap=True, overflow="ellipsis")
        text.append(f"{code['codings']:>3} ", style="dim")
        if code["key"] in self.pinned:
            text.append(f"{self.pinned.index(code['key']) + 1}", style="bold reverse")
            text.append(" ")
        if code["origin"] == "inductive":
            text.append("◆ ", style="magenta")
        text.append(code["name"], style="" if code["codable"] else "bold")
        return text

    def load(self, codes: list[dict], pinned: list[str], keep: str | None = None) -> None:
        """Rebuild the tree (codes from services.tree plus 'codable')."""
        self.pinned = pinned
        tree = self.code_tree
        tree.clear()
        self.nodes, self.codes = {}, {c["key"]: c for c in codes}
        books: dict[str, TreeNode] = {}
        for c in codes:
            if c["codebook"] not in books:
                books[c["codebook"]] = tree.root.add(Text(c["codebook_name"], style="bold"),
                                                     data=None, expand=True)
            parent = self.nodes.get(c["parent"]) if c["parent"] else books[c["codebook"]]
            self.nodes[c["key"]] = (parent or books[c["codebook"]]).add(
                self._label(c), data=c["key"], expand=True)
        for node in self.nodes.values():
            if not node.children:
                node.allow_expand = False
        if keep and keep in self.nodes:
            self.call_after_refresh(self.select, keep)
        # The definition pane shows the code as it is now (a rename or merge changed it),
        # not as it was when last highlighted.
        self.query_one("#definition", Static).update(
            self.definition(keep if keep in self.codes else None))

    def update_count(self, key: str, codings: int) -> None:
        if key in self.codes:
            self.codes[key]["codings"] = codings
            self.nodes[key].set_label(self._label(self.codes[key]))

    def select(self, key: str) -> None:
        node = self.nodes.get(key)
        if node is not None:
            self.code_tree.move_cursor(node)

    @property
    def current(self) -> str | None:
        node = self.code_tree.cursor_node
        return node.data if node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        key = event.node.data
        self.query_one("#definition", Static).update(self.definition(key))
        self.post_message(CodeHighlighted(key))

    def definition(self, key: str | None) -> Text:
        code = self.codes.get(key or "")
        if code is None:
            return Text("Highlight a code to read its definition.", style="dim")
        out = Text(code["name"], style="bold")
        out.append(f"\n{code['key']} · {code['origin']} · {plural(code['codings'], 'coding')}\n",
                   style="dim")
        for label, field in (("", "description"), ("Include: ", "include"),
                             ("Exclude: ", "exclude"), ("Example: ", "example")):
            if code.get(field):
                out.append(f"\n{label}", style="bold")
                out.append(code[field] if field != "example" else f"‘{code[field]}’")
                out.append("\n")
        return out
