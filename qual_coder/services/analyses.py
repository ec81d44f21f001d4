"""The analyses the front ends run. Each reads the project and computes (no writes, so no
transaction): frequency and framework matrices, quotes, co-occurrence, agreement, the
CASCADE table, the survey summary, the joint display and phrase discovery. They are named
here so the TUI and CLI reach the domain through services alone (an import-linter
contract); the computations live in analysis/, quant/ and nlp/."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.lazy import exports
from ..storage import Project

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.agreement import UNITS, Cluster, agreement, disagreements
    from ..analysis.cooccurrence import cooccurrence
    from ..analysis.framework import FrameworkMatrix, framework_matrix
    from ..analysis.kwic import Line, kwic
    from ..analysis.matrix import MEASURES, TOTAL, Matrix, coders_in, frequency_matrix
    from ..analysis.methods import methods_facts
    from ..analysis.quotes import Quote, find_quotes
    from ..analysis.saturation import Saturation, saturation
    from ..nlp.discover import Candidate
    from ..quant.cascade import alpha_sentence, cascade_table, format_table
    from ..quant.stats import apa_p
    from ..quant.survey import format_summary, survey_summary
    from ..quant.triangulate import joint_display_frame, joint_display_markdown, triangulate
    from ..reports.html_page import joint_display_html

# Each name is imported from its module when first used (PEP 562): the agreement
# command does not load the survey's statistics, nor the matrix command spaCy.
_WHERE = {name: module for module, names in {
    "..analysis.agreement": ("UNITS", "Cluster", "agreement", "disagreements"),
    "..analysis.cooccurrence": ("cooccurrence",),
    "..analysis.framework": ("FrameworkMatrix", "framework_matrix"),
    "..analysis.kwic": ("Line", "kwic"),
    "..analysis.matrix": ("MEASURES", "TOTAL", "Matrix", "coders_in", "frequency_matrix"),
    "..analysis.methods": ("methods_facts",),
    "..analysis.quotes": ("Quote", "find_quotes"),
    "..analysis.saturation": ("Saturation", "saturation"),
    "..nlp.discover": ("Candidate",),
    "..quant.cascade": ("alpha_sentence", "cascade_table", "format_table"),
    "..quant.stats": ("apa_p",),
    "..quant.survey": ("format_summary", "survey_summary"),
    "..quant.triangulate": ("joint_display_frame", "joint_display_markdown", "triangulate"),
    "..reports.html_page": ("joint_display_html",),
}.items() for name in names}


def discover(project: Project, top: int = 25, min_frequency: int = 3,
             min_participants: int = 2, examples: int = 3) -> list[Candidate]:
    """Phrases said often in uncoded text and rarely elsewhere: candidate inductive codes
    (nlp.discover), over a sentence cache brought up to date first."""
    from ..nlp.discover import discover as _discover
    from .sentences import ensure_sentences

    ensure_sentences(project)
    return _discover(project, top, min_frequency, min_participants, examples,
                     _pseudonymised_names(project))


def word_frequency(project: Project, by: str | None = None, top: int = 30,
                   min_count: int = 2) -> pd.DataFrame:
    """Participants' content words (nlp.frequency), by an attribute with keyness, over a
    sentence cache brought up to date first. Names of people and places are left out: the
    project's sites, participants and speakers, and what pseudonymisation would replace."""
    from ..nlp.frequency import count_words, frequency_table
    from .sentences import ensure_sentences

    ensure_sentences(project)
    return frequency_table(count_words(project, by, _pseudonymised_names(project)), top,
                           min_count)


def _pseudonymised_names(project: Project) -> list[str]:
    """Never a person's or a place's name among counted words: whatever pseudonymisation
    would replace (the naming words of each, not "Primary" or "School")."""
    from ..core.pseudonyms import naming_words
    from .pseudonymise import propose

    return [" ".join(naming_words(c["name"])) for c in propose(project)]


__all__ = [
    "MEASURES", "TOTAL", "UNITS", "Candidate", "Cluster", "FrameworkMatrix", "Line", "Matrix",
    "alpha_sentence", "joint_display_html",
    "Quote", "agreement", "apa_p", "cascade_table", "coders_in", "cooccurrence",
    "disagreements", "discover", "find_quotes", "format_summary", "format_table",
    "framework_matrix", "frequency_matrix", "joint_display_frame", "joint_display_markdown",
    "Saturation", "kwic", "methods_facts", "saturation", "survey_summary", "triangulate",
    "word_frequency",
]

__getattr__ = exports(globals(), _WHERE)
