"""qual-coder: qualitative analysis of interview and focus-group transcripts.

The public Python API. It never imports the TUI.

For notebooks, DataFrames equal to the CLI's JSON (qual_coder.api):

    import qual_coder
    p = qual_coder.open("study.db")
    p.quotes("access", where={"stakeholder_type": "school_staff"})

For scripts that change a project, the services:

    from qual_coder import open_project, services
    with open_project("study.db") as project:
        services.import_transcripts(project, ["interview.txt"])
"""

from importlib.metadata import PackageNotFoundError, version

from . import services
from .api import Study, open  # noqa: A004 (the API's verb: qual_coder.open)
from .errors import QualCoderError
from .storage import Project, init_project, open_project

try:
    __version__ = version("qual-coder")  # one source: pyproject.toml
except PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"
__all__ = ["Project", "QualCoderError", "Study", "init_project", "open", "open_project",
           "services"]
