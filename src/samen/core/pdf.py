"""Every PDF Samen makes (the A4 about the approach, the 75+ letters, the monitor's fact sheet) as a tagged,
accessible PDF: PDF/UA-1 through WeasyPrint, so a screen reader reads headings, paragraphs and lists in
order. ``structure(pdf)`` gives the structure tree as text (poppler's ``pdfinfo -struct``) for the tests."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

PDF_VARIANT = "pdf/ua-1"


def write_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)


def structure(pdf: bytes) -> str | None:
    """The tagged structure tree ('Document', 'H1 (block)', ...), or None without poppler's pdfinfo."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run([pdfinfo, "-struct", file.name], capture_output=True, text=True, check=True,  # noqa: S603
                              timeout=60).stdout
