"""core.text.aligned: columns line up as a terminal shows them, whatever the names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from qual_coder.core.text import aligned

# Latin with accents, combining marks, CJK (two cells each), emoji, brackets (not markup)
names = st.lists(st.sampled_from(["Siobhán Ní Bhriain", "王芳", "Zoë", "e\u0301mile", "🙂 Sam",
                                  "[lead]", "Ngozi Adébáyọ̀", "a" * 45, "李小龍 (CAMHS)", "O'Neil"]),
                 min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(names, st.lists(st.integers(0, 99_999), min_size=8, max_size=8))
def test_each_column_starts_at_the_same_cell_on_every_line(people, counts):
    rows = [(name, count, "school_staff") for name, count in zip(people, counts)]
    lines = aligned(["participant", "turns", "type"], rows, right=[1]).splitlines()
    assert len(lines) == len(rows) + 1
    # the type column starts where "type" does, counted in cells; numbers end together
    type_at = cell_len(lines[0][:lines[0].index("type")])
    turns_end = cell_len(lines[0][:lines[0].index("turns") + len("turns")])
    for line, (name, count, _) in zip(lines[1:], rows):
        assert line.startswith(name)
        assert cell_len(line[:line.index("school_staff")]) == type_at
        assert cell_len(line[:line.index(str(count), len(name)) + len(str(count))]) == turns_end
        assert line == line.rstrip()


def test_a_narrow_width_wraps_text_and_keeps_numbers_whole():
    rows = [("a participant with a very long name indeed", 12_345, "Other CYPMHS (voluntary)")]
    text = aligned(["participant", "turns", "type"], rows, right=[1], width=40)
    assert all(cell_len(line) <= 40 for line in text.splitlines())
    assert "12345" in text  # whole, on one line
    for word in rows[0][0].split() + rows[0][2].split():  # wrapped, never cut
        assert word in text.split()
