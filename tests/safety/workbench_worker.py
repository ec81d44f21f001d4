"""A real workbench process that codes by keys and says what it saved.

    python tests/safety/workbench_worker.py PROJECT CODER [N]

Runs the Textual app (`make_app` with its automatic backup, as `qual-coder PROJECT`
does) headless, and presses the keys a coder presses: `}` to the next sentence, `v` to
select it, `r` to repeat the last code. After each coding it prints `start end` once the
app's own connection shows it saved (acknowledged), so a test or bench can SIGKILL it at
any moment and check that every acknowledged span is still in the file.
"""

from __future__ import annotations

import asyncio
import os
import sys

CODE = "clarity_roles"


async def main(path: str, coder: str, n: int) -> None:
    os.environ["QUAL_CODER_CODER"] = coder
    from qual_coder.tui.app import make_app
    from qual_coder.tui.screens.workbench import WorkbenchScreen

    app = make_app(path, auto_backup=True)
    conn = app.project.conn
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, WorkbenchScreen)
        screen.last_code = CODE
        print("ready", flush=True)
        done = 0
        while done < n:
            await pilot.press("}", "}", "v")
            span = screen.reader.selection
            await pilot.press("r")
            if span is None:
                continue
            saved = conn.execute(
                'SELECT 1 FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.coder = ? '
                'AND c.key = ? AND g.start <= ? AND ? <= g."end"',
                [coder, CODE, span[0], span[1]]).fetchone()
            if saved:
                print(span[0], span[1], flush=True)
                done += 1


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10**6))
