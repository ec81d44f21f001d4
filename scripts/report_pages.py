"""Page images of the demo's Word report, for the guide: docs/report/page-N.png.

    python scripts/report_pages.py

Builds the demo project, writes its report as .docx (A4), renders it to PDF with
LibreOffice and each page to PNG with pdftoppm (both from Debian's packages:
libreoffice-writer-nogui, poppler-utils), as a report writer would see it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qual_coder.demo import build_demo  # noqa: E402
from qual_coder.services.report import write_report  # noqa: E402
from qual_coder.storage import open_project  # noqa: E402


def main() -> None:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise SystemExit("needs soffice and pdftoppm (apt-get install libreoffice-writer-nogui "
                         "poppler-utils)")
    out = REPO / "docs" / "report"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_demo(work / "demo.db")
        with open_project(work / "demo.db") as project:
            write_report(project, work / "report.docx")
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work),
                        str(work / "report.docx")], check=True, capture_output=True,
                       env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
        subprocess.run([pdftoppm, "-r", "50", "-png", str(work / "report.pdf"),
                        str(out / "page")], check=True)
    print("\n".join(str(p.relative_to(REPO)) for p in sorted(out.glob("page-*.png"))))


if __name__ == "__main__":
    main()
