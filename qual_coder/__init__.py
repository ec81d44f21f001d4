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

Every name here is loaded when first used (PEP 562), so `qual-coder --version` and each
command pay only for what they use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.lazy import exports

if TYPE_CHECKING:
    from . import services
    from .api import Study, open  # noqa: A004 (the API's verb: qual_coder.open)
    from .errors import QualCoderError
    from .storage import Project, init_project, open_project

_WHERE = {"services": ".services", "Study": ".api", "open": ".api",
          "QualCoderError": ".errors", "Project": ".storage", "init_project": ".storage",
          "open_project": ".storage"}
__all__ = ["Project", "QualCoderError", "Study", "init_project", "open", "open_project",
           "services"]


_exported = exports(globals(), _WHERE, modules=("services",))


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .about import version

        globals()["__version__"] = version()
        return globals()["__version__"]
    return _exported(name)
