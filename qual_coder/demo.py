"""Build the demo project from the shipped, illustrative corpus."""

from __future__ import annotations

from pathlib import Path

from . import services
from .errors import ProjectError
from .paths import DEMO_CODEBOOKS, DEMO_TRANSCRIPTS
from .storage import init_project


def build_demo(project_path: Path, source: Path | None = None, force: bool = False):
    source = source or DEMO_TRANSCRIPTS
    manifest = source / "manifest.csv"
    if not manifest.is_file():
        raise ProjectError(f"{manifest}: demo manifest not found; run from a qual-coder "
                           "checkout or pass --from FOLDER")
    if project_path.exists():
        if not force:
            raise ProjectError(f"{project_path}: already exists; pass --force to rebuild it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{project_path}{suffix}").unlink(missing_ok=True)
    with init_project(project_path) as project:
        report = services.import_transcripts(project, [], manifest=manifest)
        for codebook in sorted(DEMO_CODEBOOKS.glob("*.yaml")):
            services.load_codebook(project, codebook, coder="demo")
        # The second file is a second coder's independent coding of three transcripts,
        # for inter-coder agreement.
        for name in ("codings.csv", "codings_second_coder.csv"):
            if (source / name).is_file():
                services.import_codings_csv(project, source / name)
        ratings = source / "cascade_ratings.csv"
        if ratings.is_file():
            from .services.quant import import_ratings

            import_ratings(project, ratings)
        survey = source / "survey.csv"
        if survey.is_file():
            from .services.quant import import_survey, set_link

            items = source / "survey_items.yaml"
            import_survey(project, survey, items if items.is_file() else None)
            set_link(project, "survey", "contact_cypmhs", "agreed_contact")
            set_link(project, "survey", "contact_school_support", "shared_planning")
        return report
