"""Storage: the only package that knows the schema and speaks SQL."""

from .project import Project, init_project, open_preview, open_project, utcnow

__all__ = ["Project", "init_project", "open_preview", "open_project", "utcnow"]
