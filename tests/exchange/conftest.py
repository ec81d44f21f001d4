"""The demo project with a memo of every kind and a transcript attribute: what an
export must carry to a peer and back."""

from __future__ import annotations

import pytest

from qual_coder import services
from qual_coder.storage import open_project


@pytest.fixture
def coded_demo(demo_path):
    with open_project(demo_path) as proj:
        first = services.list_codings(proj)[0]
        services.set_memo(proj, "project", None, "Framework agreed at the March meeting.")
        services.set_memo(proj, "transcript", first["transcript"], "Recorded on site.")
        services.set_memo(proj, "code", first["code"], "Watch for role confusion.")
        services.set_memo(proj, "coding", first["id"], "Strong exemplar.")
        services.set_attributes(proj, "transcript", first["transcript"], {"wave": "2"})
    return demo_path
