"""The one build step pyproject.toml cannot say: the top-level `codebooks/` and
`transcripts/` (kept there, where the design puts them) go into the wheel as
`qual_coder/shipped/`, so an installed qual-coder has its demo and codebooks
without a checkout. The sdist carries them through MANIFEST.in."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("codebooks", "transcripts")


class BuildWithShipped(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        here = Path(__file__).resolve().parent
        for name in SHIPPED:
            target = Path(self.build_lib, "qual_coder", "shipped", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(here / name, target)


setup(cmdclass={"build_py": BuildWithShipped})
