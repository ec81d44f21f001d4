from pathlib import Path

import pytest

from qual_coder.exchange.yaml_codebook import (
    CodebookFileError,
    dump_codebook,
    load_codebook_file,
    parse_codebook,
)

REPO = Path(__file__).resolve().parents[2]
CASCADE_KEYS = ["clarity_roles", "agreed_contact", "shared_planning", "common_outcomes",
                "ability_to_learn", "development_integrated", "evidence_based"]


def test_shipped_cascade_codebook_has_the_seven_domains_in_order():
    book, _ = load_codebook_file(REPO / "codebooks" / "cascade.yaml")
    assert [c.key for c in book.codes] == CASCADE_KEYS
    assert all(c.description and c.origin == "deductive" for c in book.codes)
    # Stored as JSON, so the level numbers are string keys.
    assert book.metadata["rating_levels"] == {"0": "Major challenge",
                                              "1": "Good elements of practice",
                                              "2": "Widespread good practice",
                                              "3": "Gold standard"}


def test_shipped_local_area_review_codebook_is_a_tree_with_definitions():
    book, _ = load_codebook_file(REPO / "codebooks" / "local_area_review.yaml")
    tops = [c.key for c in book.children(None)]
    assert tops == ["design_setup", "implementation", "outcomes_sustainability"]
    keys = {c.key for c in book.codes}
    assert {"building_relationships", "sharing_information", "action_planning", "networking",
            "tension_offloading", "referral_routes", "common_language", "timescale_capacity",
            "single_point_of_contact"} <= keys
    assert all(c.description and c.keywords for c in book.codes if c.parent)


@pytest.mark.parametrize("name", ["cascade.yaml", "local_area_review.yaml"])
def test_dump_is_byte_stable_after_one_round(name):
    book, _ = load_codebook_file(REPO / "codebooks" / name)
    once = dump_codebook(book)
    again = parse_codebook(once, "again.yaml")
    assert dump_codebook(again) == once
    assert [(c.key, c.parent, c.name, c.description, c.keywords, c.patterns) for c in again.codes] \
        == [(c.key, c.parent, c.name, c.description, c.keywords, c.patterns) for c in book.codes]


@pytest.mark.parametrize("text,message", [
    ("key: x\ncodes:\n  - key: a\n    name: A\n  - key: a\n    name: B\n",
     "x.yaml: line 5: duplicate code key 'a' (first at line 3)"),
    ("key: x\ncodes:\n  - key: a\n    name: A\n    parent: nowhere\n",
     "x.yaml: line 3: code 'a': unknown parent 'nowhere'"),
    ("key: x\ncodes:\n  - key: a\n    name: A\n    parent: b\n  - key: b\n    name: B\n"
     "    parent: a\n", "cycle in parents: a -> b -> a"),
    ("key: x\ncodes:\n  - key: a\n    name: A\n    color: red\n",
     "x.yaml: line 3: code 'a': bad colour 'RED'; use #RRGGBB"),
    ("key: x\ncodes:\n  - key: a\n    name: A\n    descripton: typo\n",
     "x.yaml: line 5: unknown field 'descripton' in code 'a'; did you mean 'description'?"),
    ("key: x\ncodes:\n  - key: a\n    name: [unclosed\n",
     "x.yaml: line 5: not valid YAML"),
    ("key: x\nkey: y\n", "x.yaml: line 2: 'key' is given twice"),
    ("- just\n- a list\n", "a codebook is a mapping"),
    ("key: x\ncodes:\n  - name: no key\n", "line 3: code without a key"),
])
def test_invalid_codebooks_name_file_and_line(text, message):
    with pytest.raises(CodebookFileError) as err:
        parse_codebook(text, "x.yaml")
    assert message in str(err.value)


def test_flat_list_with_parent_fields_is_accepted():
    book = parse_codebook("key: x\ncodes:\n  - {key: a, name: A}\n  - {key: b, name: B, "
                          "parent: a}\n", "flat.yaml")
    assert [(c.key, c.parent) for c in book.codes] == [("a", None), ("b", "a")]
