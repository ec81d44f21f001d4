"""qual-coder: qualitative analysis of interview and focus-group transcripts.

The public Python API. It never imports the TUI.

    from qual_coder import open_project, services
    with open_project("study.db") as project:
        services.import_transcripts(project, ["interview.txt"])
"""

from . import services
from .errors import QualCoderError
from .storage import Project, init_project, open_project

__version__ = "0.1.0"
__all__ = ["Project", "QualCoderError", "init_project", "open_project", "services"]
