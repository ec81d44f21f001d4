"""The use-cases both front ends call. Each public function is one user action
and one transaction: it either completes or leaves the project as it was."""

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

__all__ = [
    "ImportReport", "ReanchorReport", "reimport_transcript", "add_code", "add_coding",
    "code_in_vivo", "ensure_sentences", "add_stakeholder_type", "assign_speaker",
    "codebook_history", "default_coder", "delete_code", "export_codebook", "get_memo",
    "import_codings_csv", "import_transcripts", "preview_transcripts", "SpeakerMap",
    "start_without_stakeholder_types",
    "list_codings", "load_codebook", "merge_codes", "move_code", "redo", "remove_coding",
    "rename_code", "rename_transcript", "undo",
    "set_attributes", "set_memo", "set_participant", "split_code", "tree",
]
