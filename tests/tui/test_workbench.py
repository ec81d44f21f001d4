"""Pilot tests: each workflow of the coding workbench against a real project file."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from qual_coder import services
from qual_coder.services import reading
from qual_coder.storage import open_project
from qual_coder.tui.app import make_app
from qual_coder.tui.screens.help import HelpScreen
from qual_coder.tui.screens.picker import Picker
from qual_coder.tui.widgets.transcript_list import TranscriptList

SIZE = (140, 44)


def codings_of(app, transcript_id=None):
    conn = app.project.conn
    sql = ('SELECT g.id, c.key, g.start, g."end", g.coder FROM codings g JOIN codes c '
           "ON c.id = g.code_id")
    rows = conn.execute(sql + (" WHERE g.transcript_id = ?" if transcript_id else ""),
                        [transcript_id] if transcript_id else []).fetchall()
    return {r[0]: r[1:] for r in rows}


async def open_named(pilot, name):
    screen = pilot.app.screen
    tid = pilot.app.project.conn.execute("SELECT id FROM transcripts WHERE name = ?",
                                         [name]).fetchone()[0]
    screen.open_transcript(tid)
    screen.reader.focus()
    await pilot.pause()
    return screen


async def test_opens_on_a_transcript_with_turns_and_filters_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.doc is not None and screen.reader.lines
        assert screen.reader.has_focus
        listing = screen.query_one(TranscriptList)
        options = listing.query_one(OptionList)
        assert options.option_count == 18
        await pilot.click("#transcript-filter")
        await pilot.press(*"kind:focus site:north")
        await pilot.pause()
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        names = {t["id"]: t["name"] for t in listing.transcripts}
        assert sorted(names[int(i)] for i in shown) == [
            "northmoor_mixed_focus_group", "northmoor_other_cypmhs_focus_group"]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert screen.doc.name == "northmoor_mixed_focus_group"


async def test_select_sentence_and_code_with_the_fuzzy_picker(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_mixed_focus_group")
        doc = screen.doc
        target = doc.text.index("So the right people in the room matters.")
        screen.reader.move_to(target)
        before = codings_of(app, doc.id)
        await pilot.press("v", "c")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press(*"referral", "enter")
        await pilot.pause()
        new = {k: v for k, v in codings_of(app, doc.id).items() if k not in before}
        assert list(new.values()) == [("referral_routes", target,
                                       target + len("So the right people in the room matters."),
                                       "tester")]
        # The stripe is drawn: the reading view's codings include it.
        assert any(c.code == "referral_routes" and c.start == target for c in doc.codings)
        line = screen.reader.row_of(target) - screen.reader.scroll_offset.y
        strip = screen.reader.render_line(line)
        assert "▌" in strip.text[:4]


async def test_word_and_turn_selection_pinned_codes_and_repeat(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        doc, reader = screen.doc, screen.reader
        start = doc.text.index("The first day was tense.")
        reader.move_to(start)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert doc.text[slice(*reader.selection)] == "The first day"
        await pilot.press("shift+down")
        assert doc.text[slice(*reader.selection)] == "The first day was tense."
        await pilot.press("shift+down")
        assert doc.text[slice(*reader.selection)] == "The first day was tense. I think that's fair."
        pinned_first = screen.codebook.pinned[0]
        await pilot.press("1")
        assert codings_of(app, doc.id).get(max(codings_of(app, doc.id)))[0] == pinned_first
        await pilot.press("right_curly_bracket", "t")
        turn = doc.turn_at(reader.cursor)
        assert reader.selection == (turn.start, turn.end)
        await pilot.press("r")
        newest = codings_of(app, doc.id)[max(codings_of(app, doc.id))]
        assert newest[:3] == (pinned_first, turn.start, turn.end)


async def test_remove_undo_redo_and_undo_after_restart(app, demo_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        doc = screen.doc
        first = min(doc.codings, key=lambda c: c.start)
        screen.reader.move_to(0)
        await pilot.press("right_square_bracket")
        assert screen.reader.cursor == first.start
        await pilot.press("x")
        await pilot.pause()
        assert first.id not in codings_of(app, doc.id)
        await pilot.press("u")
        assert first.id in codings_of(app, doc.id)
        await pilot.press("U")
        assert first.id not in codings_of(app, doc.id)
    app.project.close()
    # A new session (new process in real life) can still undo the removal.
    again = make_app(demo_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert first.id in codings_of(again, doc.id)
    again.project.close()


async def test_a_memo_right_after_coding_is_on_the_new_coding(app):
    """Coding leaves the cursor at the selection's end, outside the coding: `m` then still
    means the coding just made, not the transcript."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        start = screen.doc.text.index("The first day was tense.")
        screen.reader.move_to(start)
        await pilot.press("v", "c", *"referral", "enter")
        await pilot.pause()
        assert screen.reader.cursor == start + len("The first day was tense.")
        await pilot.press("m", *"Tense, then trust", "ctrl+s")
        await pilot.pause()
        new = max(codings_of(app, screen.doc.id))
        assert services.get_memo(app.project, "coding", new) == "Tense, then trust"
        assert services.get_memo(app.project, "transcript", screen.doc.id) in (None, "")


async def test_in_vivo_code_memo_and_reopen_restores_position(app, demo_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        doc, reader = screen.doc, screen.reader
        at = doc.text.index("the waiting list for the waiting list")
        reader.set_selection(at, at + len("the waiting list for the waiting list"))
        await pilot.press("i")
        await pilot.pause()
        code = services.tree(app.project)[-1]
        assert (code["name"], code["origin"], code["codings"]) == (
            "the waiting list for the waiting list", "inductive", 1)
        reader.move_to(at + 3)
        await pilot.press("m")
        await pilot.pause()
        # another code covers these words too: the memo asks which coding it is for
        assert isinstance(app.screen, Picker)
        await pilot.press(*"waiting", "enter")
        await pilot.pause()
        await pilot.press(*"Femi's phrase", "ctrl+s")
        await pilot.pause()
        coding_id = next(c.id for c in screen.doc.codings if c.code == code["key"])
        assert services.get_memo(app.project, "coding", coding_id) == "Femi's phrase"
        await pilot.pause(0.6)  # the cursor is saved shortly after it stops moving
        saved_at = reader.cursor
    app.project.close()
    again = make_app(demo_path)
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.doc.name == "eastbridge_vcs_lead_interview"
        assert again.screen.reader.cursor == saved_at
    again.project.close()


async def test_in_vivo_undo_takes_back_the_code_and_redo_restores_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        words = "the waiting list for the waiting list"
        at = screen.doc.text.index(words)
        screen.reader.set_selection(at, at + len(words))
        await pilot.press("i")
        await pilot.pause()
        assert any(c["name"] == words for c in screen.codebook.codes.values())
        await pilot.press("u")
        await pilot.pause()
        assert not any(c["name"] == words for c in services.tree(app.project))
        assert not any(c["name"] == words for c in screen.codebook.codes.values())
        await pilot.press("U")
        await pilot.pause()
        again = [c for c in services.tree(app.project) if c["name"] == words]
        assert [c["codings"] for c in again] == [1]
        assert any(c["name"] == words for c in screen.codebook.codes.values())


async def test_status_line_names_other_coders_on_the_same_transcript(app, demo_path):
    import subprocess
    import sys

    tid = app.project.conn.execute("SELECT id FROM transcripts WHERE name = ?",
                                   ["eastbridge_vcs_lead_interview"]).fetchone()[0]
    subprocess.run([sys.executable, "-c", (
        "import sys\nfrom qual_coder.services import presence\n"
        "from qual_coder.storage import open_project\n"
        "with open_project(sys.argv[1]) as p:\n"
        "    presence.announce(p, 'ben', int(sys.argv[2]), served=True)\n"),
        str(demo_path), str(tid)], check=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        await pilot.pause()
        assert "also here: ben" in str(screen.query_one("#status").render())
        await open_named(pilot, "eastbridge_camhs_lead_interview")
        await pilot.pause()
        assert "also here" not in str(screen.query_one("#status").render())


async def test_codebook_panel_definition_add_rename_merge(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        panel = screen.codebook
        await pilot.press("ctrl+b")
        panel.select("networking")
        await pilot.pause()
        definition = str(panel.query_one("#definition").render())
        assert "Networking and finding out what is out there" in definition
        assert "Example" in definition
        await pilot.press("a")
        await pilot.press(*"Sandwich conversations", "enter")
        await pilot.pause()
        added = {c["key"]: c for c in services.tree(app.project)}["sandwich_conversations"]
        assert (added["parent"], added["origin"]) == ("networking", "inductive")
        assert panel.current == "sandwich_conversations"
        await pilot.press("e")
        await pilot.press(*"Lunchtime networking", "enter")
        await pilot.pause()
        assert {c["key"]: c["name"] for c in services.tree(app.project)}[
            "sandwich_conversations"] == "Lunchtime networking"
        await pilot.press("g")
        await pilot.press(*"Networking and", "enter")
        await pilot.pause()
        assert "sandwich_conversations" not in {c["key"] for c in services.tree(app.project)}
        history = services.codebook_history(app.project, "sandwich_conversations")
        assert [h["action"] for h in history] == ["created", "renamed", "merged"]


async def test_retrieval_panel_jumps_to_an_excerpt_in_context(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.codebook.select("tension_offloading")
        await pilot.pause()
        await pilot.press("ctrl+e")
        excerpts = screen.query_one("#excerpts")
        assert excerpts.option_count == len(services.list_codings(app.project,
                                                                  code="tension_offloading"))
        assert "(School lead, Northmoor)" in str(excerpts.get_option_at_index(
            [e.transcript for e in excerpts.excerpts].index("northmoor_school_lead_interview"))
            .prompt)
        excerpts.highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        target = excerpts.excerpts[3]
        assert screen.doc.id == target.transcript_id
        assert screen.reader.selection == (target.start, target.end)
        assert screen.reader.has_focus


async def test_search_within_the_transcript(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        await pilot.press("slash", *"GP", "enter")
        await pilot.pause()
        first = screen.reader.selection
        assert screen.doc.text[first[0]:first[1]].lower() == "gp"
        await pilot.press("n")
        assert screen.reader.selection[0] > first[0]
        await pilot.press("N")
        assert screen.reader.selection == first


async def test_mouse_drag_selects_text(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        reader = screen.reader
        row = next(i for i, ln in enumerate(reader.lines) if ln.kind == "text" and
                   ln.end - ln.start > 30)
        line = reader.lines[row]
        await pilot.mouse_down(reader, offset=(5, row))
        await pilot.hover(reader, offset=(15, row))
        await pilot.mouse_up(reader, offset=(15, row))
        assert reader.selection == (line.start, line.start + 10)


async def test_help_palette_and_small_terminal(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert not screen.query_one("#transcripts").display  # narrow: list hidden
        assert screen.reader.size.width >= 30
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("v", "2")
        await pilot.pause()
        assert any(c.code == screen.codebook.pinned[1] for c in screen.doc.codings)


async def test_switch_coder_and_show_only_mine(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("ctrl+w", *"cai", "enter")
        await pilot.pause()
        assert screen.coder == "cai"
        assert app.project.setting("coder") == "cai"
        await pilot.press("O")
        assert screen.only_mine and screen.doc.codings == []
        await pilot.press("v", "3")
        await pilot.pause()
        assert [c.coder for c in screen.doc.codings] == ["cai"]


def test_pinned_codes_are_saved(demo_path):
    with open_project(demo_path) as project:
        project.set_setting("tui.pinned", json.dumps(["networking"]))
    app = make_app(demo_path)
    assert app.project.setting("tui.pinned") == '["networking"]'
    app.project.close()


async def test_a_three_hour_focus_group_opens_scrolls_and_codes(app, tmp_path):
    from bench.corpus import write_corpus

    write_corpus(tmp_path / "long", 1, 30_000, seed=7)
    report = services.import_transcripts(app.project, [tmp_path / "long" / "t00000.txt"],
                                         kind="focus_group")
    tid = report.imported[0]["id"]
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.open_transcript(tid)
        screen.reader.focus()
        await pilot.pause()
        assert report.imported[0]["words"] >= 27_000  # 30,000 in the file, labels included
        assert len(screen.reader.lines) > 2_000
        await pilot.press("end")
        await pilot.pause()
        assert screen.reader.scroll_offset.y > 2_000
        await pilot.press("left", "v", "1")
        await pilot.pause()
        newest = max(screen.doc.codings, key=lambda c: c.id)
        assert newest.end > len(screen.doc.text) - 400


async def test_palette_lists_every_action_and_runs_it(app):
    from qual_coder.tui.commands import palette_entries

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        entries = {text.split("  ·  ")[0]: callback for text, _, callback in
                   palette_entries(screen)}
        for expected in ("Select turn", "Code the selection (fuzzy code picker)",
                         "Codebook: Merge into…", "Undo the last coding action"):
            assert expected in entries
        screen.reader.move_to(screen.doc.text.index("Capacity. [pause]"))
        await entries["Select turn"]()
        turn = screen.doc.turn_at(screen.reader.cursor - 1)
        assert screen.reader.selection == (turn.start, turn.end)
        row = screen.reader.row_of(screen.doc.codings[0].start)
        assert screen.doc.codings[0].name in screen.reader.stripe_names(row)


async def test_refresh_shows_another_coders_work(app, demo_path):
    from qual_coder.storage import open_project as open_again

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        before = len(screen.doc.codings)
        with open_again(demo_path) as other:  # a second process on the shared file
            services.add_coding(other, screen.doc.id, "networking",
                                quote="Capacity. [pause] It's always capacity.", coder="colleague")
        assert len(screen.doc.codings) == before
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert len(screen.doc.codings) == before + 1
        assert any(c.coder == "colleague" for c in screen.doc.codings)


async def test_a_served_coder_cannot_remove_or_undo_another_coders_coding(demo_path,
                                                                         monkeypatch):
    """In a served session (coder fixed by the link) `x` on ana's coding is refused, and
    `u` takes back only this coder's own action, never ana's."""
    monkeypatch.setenv("QUAL_CODER_SERVED", "1")
    monkeypatch.setenv("QUAL_CODER_CODER", "ben")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        doc = screen.doc
        first = min(doc.codings, key=lambda c: c.start)
        assert first.coder != "ben"
        screen.reader.move_to(first.start)
        await pilot.press("x")
        await pilot.pause()
        assert first.id in codings_of(app, doc.id)  # refused
        await pilot.press("u")  # ben has done nothing: nothing of anyone's is undone
        await pilot.pause()
        assert first.id in codings_of(app, doc.id)
        assert len(codings_of(app, doc.id)) == len(doc.codings)
    app.project.close()


async def test_each_coder_comes_back_to_their_own_place_and_last_code(demo_path, monkeypatch):
    """What a workbench remembers (transcript, cursor, last code) is the coder's own: ben
    opening the project after ana does not land on ana's transcript or repeat her code."""
    monkeypatch.setenv("QUAL_CODER_CODER", "ana")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        await pilot.press("v", "1")
        await pilot.pause()
        ana_code, ana_doc = screen.last_code, screen.doc.id
    app.project.close()
    monkeypatch.setenv("QUAL_CODER_CODER", "ben")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.last_code is None and screen.doc.id != ana_doc
        before = len(codings_of(app, screen.doc.id))
        await pilot.press("r")  # nothing to repeat for ben
        await pilot.pause()
        assert len(codings_of(app, screen.doc.id)) == before
    app.project.close()
    monkeypatch.setenv("QUAL_CODER_CODER", "ana")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.doc.id == ana_doc and app.screen.last_code == ana_code
    app.project.close()


async def test_a_served_workbench_never_imports_from_the_servers_disk(demo_path, monkeypatch):
    monkeypatch.setenv("QUAL_CODER_SERVED", "1")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = len(reading.transcripts(app.project))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkbenchScreen"  # no path prompt was opened
        assert any("Importing is off in a served workbench" in str(n.message)
                   for n in app._notifications)
        assert len(reading.transcripts(app.project)) == before
    app.project.close()


async def test_escape_sequences_in_names_reach_the_screen_as_symbols(demo_path):
    """A code, a participant and a coder named with ESC ] 0;… BEL (a terminal's retitle
    command) are drawn as visible symbols, never sent to the terminal."""
    osc = "\x1b]0;pwned\x07"
    with open_project(demo_path) as p:
        services.add_code(p, "evil", f"Evil{osc}", coder="ana")
        doc = reading.load_doc(p, "eastbridge_vcs_lead_interview")
        services.add_coding(p, doc.id, "evil", 0, 30, coder=f"mallory{osc}")
        services.set_participant(p, doc.turns[1].participant, role=f"Lead{osc}")
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "eastbridge_vcs_lead_interview")
        screen.reader.move_to(doc.turns[1].start)
        await pilot.pause()
        shown = app.export_screenshot()
    app.project.close()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "␛]0;pwned␇" in shown


async def test_a_second_and_third_code_go_to_the_same_selection(app):
    """NVivo's and MAXQDA's habit: select, press 1, 2, 5: one passage, three codes; `.`
    moves on, and the next number codes the next sentence."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        doc, reader = screen.doc, screen.reader
        start = doc.text.index("The first day was tense.")
        reader.move_to(start)
        before = set(codings_of(app, doc.id))
        await pilot.press("v", "1", "2", "5")
        await pilot.pause()
        span = (start, start + len("The first day was tense."))
        new = [v for k, v in codings_of(app, doc.id).items() if k not in before]
        assert sorted(v[0] for v in new) == sorted(screen.codebook.pinned[i] for i in (0, 1, 4))
        assert all(v[1:3] == span for v in new)
        assert reader.selection == span
        assert "coded" in str(screen.query_one("#status").render())
        await pilot.press("full_stop", "v", "3")
        await pilot.pause()
        newest = codings_of(app, doc.id)[max(codings_of(app, doc.id))]
        assert newest[0] == screen.codebook.pinned[2] and newest[1] >= span[1]


async def test_a_pinned_number_keeps_its_code_when_codes_are_added(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        pins = list(screen.codebook.pinned)
        # an in-vivo code early in the tree, under the fourth pinned code
        services.add_code(app.project, "aaa_first", "Aaa first", parent=pins[3], coder="tester")
        screen._reload_codebook()
        await pilot.pause()
        assert screen.codebook.pinned == pins  # a new code never shifts a number


async def test_escape_on_a_changed_memo_asks_before_throwing_it_away(app):
    from qual_coder.tui.screens.prompts import Confirm, MemoEditor

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        assert "Memo on the transcript" in app.screen.title_text
        await pilot.press(*"first thoughts", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # asked, not dropped
        await pilot.press("y")
        await pilot.pause()
        assert services.get_memo(app.project, "transcript", screen.doc.id) == "first thoughts"
        await pilot.press("M", "escape")  # nothing changed: leaves at once
        await pilot.pause()
        assert not isinstance(app.screen, (MemoEditor, Confirm))


def test_every_palette_entry_has_a_human_name(app):
    from qual_coder.tui.commands import palette_entries

    class Host:  # palette_entries reads only these: an action runner, and the reader's
        def run_action(self, name: str) -> None: ...

    host = Host()
    host.reader = host  # type: ignore[attr-defined]
    texts = [text for text, _, _ in palette_entries(host)]
    assert texts and not [t for t in texts if "_sign" in t or "_mark" in t or "_bracket" in t]
    assert any(t.endswith("·  >") for t in texts)


async def test_keys_keep_the_open_transcript_as_a_fresh_read_shows_it(app):
    """Coding, removing, undoing and redoing by keys update only the codings they
    changed; the transcript, its title count, its progress in the list and the excerpts
    of the highlighted code come out as a fresh read of the project shows them."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, "northmoor_school_lead_interview")
        listing = screen.query_one(TranscriptList)
        screen.codebook.select(screen.codebook.pinned[0])
        await pilot.pause()
        before = len(screen.query_one("#excerpts").excerpts)
        screen.reader.focus()
        for keys in (["v", "1", "2"], ["full_stop", "full_stop", "v", "1"], ["x"], ["u"],
                     ["u"], ["ctrl+y"], ["t", "1"], ["shift+right"] * 3 + ["1"], ["u"],
                     ["full_stop", "v", "i"], ["u"], ["ctrl+y"]):  # in vivo, undone, redone
            await pilot.press(*keys)
            await pilot.pause()
            fresh = reading.load_doc(app.project, screen.doc.id)
            assert [(c.id, c.start, c.end, c.code, c.coder, c.status)
                    for c in screen.doc.codings] == [
                (c.id, c.start, c.end, c.code, c.coder, c.status) for c in fresh.codings]
            shown = next(t["progress"] for t in listing.transcripts if t["id"] == fresh.id)
            assert shown == reading.transcript_progress(app.project, fresh.id)
            finals = sum(c.status == "final" for c in fresh.codings)
            assert f"{finals} codings" in str(screen.query_one("#doc-title").render())
        await pilot.pause(0.5)  # the excerpts wait for the keys to stop
        panel = screen.query_one("#excerpts")
        now = [e.coding_id for e in reading.excerpts(app.project, screen.codebook.current)]
        assert [e.coding_id for e in panel.excerpts] == now and len(now) != before
