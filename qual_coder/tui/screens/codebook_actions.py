"""The workbench's codebook operations, from the codebook panel: add a child or top code
(a, A), rename (e), move under another (o), merge into another (g), pin or unpin (p) and
delete (Delete) the highlighted code. Each calls one service, then the codebook (and,
where codings moved, the open transcript) is read again."""

from __future__ import annotations

import json

from ... import services
from ...core.codebook import slugify
from ...core.text import plural
from ...errors import QualCoderError
from .picker import Picker
from .prompts import Confirm, TextPrompt
from .workbench_state import WorkbenchState


class CodebookActionsMixin(WorkbenchState):
    """Mixed into WorkbenchScreen (what it uses of it: workbench_state)."""

    def _highlighted(self) -> str | None:
        """The code highlighted in the codebook panel, if any."""
        key = self.codebook.current
        return key if key in self.codebook.codes else None

    def action_add_code(self, as_child: bool) -> None:
        parent = self.codebook.current if as_child else None

        def made(name: str | None) -> None:
            if not name or not name.strip():
                return
            key = slugify(name)[:40]
            n, base = 1, key
            while key in self.codebook.codes:
                n += 1
                key = f"{base}_{n}"
            try:
                services.add_code(self.project, key, name.strip(), parent=parent,
                                  coder=self.coder)
            except QualCoderError as err:
                self.notify(str(err), severity="error")
                return
            self._reload_codebook(keep=key)

        where = self.codebook.codes[parent]["name"] if parent in self.codebook.codes else "top"
        self.app.push_screen(TextPrompt(f"New inductive code under {where}",
                                        placeholder="name"), made)

    def action_rename_code(self) -> None:
        key = self._highlighted()
        if key is None:
            return

        def renamed(name: str | None) -> None:
            if name and name.strip():
                services.rename_code(self.project, key, name, self.coder)
                self._reload_codebook(keep=key)

        self.app.push_screen(TextPrompt("Rename code", self.codebook.codes[key]["name"]),
                             renamed)

    def action_move_code(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        items = [("(top)", "(top level)", "")] + [
            (c["key"], c["name"], c["key"]) for c in self.codebook.codes.values()
            if c["key"] != key]

        def moved(target: str | None) -> None:
            if target is None:
                return
            try:
                services.move_code(self.project, key, None if target == "(top)" else target,
                                   self.coder)
            except QualCoderError as err:
                self.notify(str(err), severity="error")
                return
            self._reload_codebook(keep=key)

        self.app.push_screen(Picker(f"Move '{self.codebook.codes[key]['name']}' under", items),
                             moved)

    def action_merge_code(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        items = [(c["key"], c["name"], c["key"]) for c in self.codebook.codes.values()
                 if c["key"] != key]

        def merged(target: str | None) -> None:
            if target is None:
                return
            try:
                result = services.merge_codes(self.project, key, target, self.coder)
            except QualCoderError as err:
                self.notify(str(err), severity="error")
                return
            self._reload_codebook(keep=target)
            if self.doc is not None:
                self._after_change([target])
            self.notify(f"Merged: {plural(result['moved'], 'coding')} moved, {result['collapsed']} "
                        "duplicates collapsed")

        self.app.push_screen(Picker(f"Merge '{self.codebook.codes[key]['name']}' into", items),
                             merged)

    def action_delete_code(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        code = self.codebook.codes[key]

        def confirmed(yes: bool | None) -> None:
            if yes:
                n = services.delete_code(self.project, key, force=True, coder=self.coder)
                self._reload_codebook()
                if self.doc is not None:
                    self._after_change([])
                gone = f" and {plural(n, 'coding')}" if n else ""
                self.notify(f"Deleted {code['name']}{gone}")

        extra = f" and its {plural(code['codings'], 'coding')}" if code["codings"] else ""
        self.app.push_screen(Confirm(f"Delete '{code['name']}'{extra}?"), confirmed)

    def action_pin_code(self) -> None:
        key = self._highlighted()
        if key is None or not self.codebook.codes[key]["codable"]:
            return
        pinned = list(self.codebook.pinned)
        if key in pinned:
            pinned.remove(key)
        elif len(pinned) < 9:
            pinned.append(key)
        else:
            self.notify("Nine codes are pinned already; unpin one first (p).")
            return
        self.project.set_setting(self._mine("pinned"), json.dumps(pinned))
        self._reload_codebook(keep=key)
