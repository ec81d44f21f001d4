"""Errors a user can act on.

Every error raised to the CLI or TUI is a QualCoderError whose message names the
file (and row or line where there is one) and says what to do. Anything else is a bug.
"""


class QualCoderError(Exception):
    """A problem with the user's input or project, worded for the user."""


class ImportRefused(QualCoderError):
    """A file could not be imported; nothing was written."""


class ProjectError(QualCoderError):
    """The project file is missing, unreadable or from a newer version."""


class NotFound(QualCoderError):
    """A transcript, code, participant or coding named by the user does not exist."""
