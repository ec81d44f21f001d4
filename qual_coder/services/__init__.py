"""The use-cases both front ends call. Each public function is one user action
and one transaction: it either completes or leaves the project as it was.

Names are loaded from their modules when first used (PEP 562): a command that needs the
codebook's services does not pay for the importers' or the re-anchoring's imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.lazy import exports

if TYPE_CHECKING:
    from .codebook import (
        add_code,
        code_in_vivo,
        codebook_history,
        delete_code,
        export_codebook,
        get_memo,
        load_codebook,
        merge_codes,
        move_code,
        rename_code,
        set_memo,
        split_code,
        tree,
    )
    from .codings import (
        add_coding,
        default_coder,
        import_codings_csv,
        list_codings,
        redo,
        remove_coding,
        undo,
    )
    from .reimport import ReanchorReport, reimport_transcript
    from .sentences import ensure_sentences
    from .transcripts import (
        ImportReport,
        SpeakerMap,
        add_stakeholder_type,
        assign_speaker,
        import_transcripts,
        preview_transcripts,
        rename_transcript,
        set_attributes,
        set_participant,
        start_without_stakeholder_types,
    )

_WHERE = {name: module for module, names in {
    ".codebook": ("add_code", "code_in_vivo", "codebook_history", "delete_code", "export_codebook",
            "get_memo", "load_codebook", "merge_codes", "move_code", "rename_code", "set_memo",
            "split_code", "tree"),
    ".codings": ("add_coding", "default_coder", "import_codings_csv", "list_codings", "redo",
            "remove_coding", "undo"),
    ".reimport": ("ReanchorReport", "reimport_transcript"),
    ".sentences": ("ensure_sentences",),
    ".transcripts": ("ImportReport", "SpeakerMap", "add_stakeholder_type", "assign_speaker",
            "import_transcripts", "preview_transcripts", "rename_transcript", "set_attributes",
            "set_participant", "start_without_stakeholder_types"),
}.items() for name in names}

__all__ = [
    "ImportReport", "ReanchorReport", "SpeakerMap", "add_code", "add_coding",
    "add_stakeholder_type", "assign_speaker", "code_in_vivo", "codebook_history",
    "default_coder", "delete_code", "ensure_sentences", "export_codebook", "get_memo",
    "import_codings_csv", "import_transcripts", "list_codings", "load_codebook", "merge_codes",
    "move_code", "preview_transcripts", "redo", "reimport_transcript", "remove_coding",
    "rename_code", "rename_transcript", "set_attributes", "set_memo", "set_participant",
    "split_code", "start_without_stakeholder_types", "tree", "undo",
]
assert sorted(__all__) == sorted(_WHERE)

__getattr__ = exports(globals(), _WHERE)
