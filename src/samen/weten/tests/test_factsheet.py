"""The council factsheet is a real PDF with the key figures, trend, map, targets and sources."""

import subprocess

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def extract(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=False)
    return result.stdout.decode("utf-8", errors="replace")


def test_factsheet_pdf_has_figures_sources_and_suppression_note(monitor_data, client_as):
    response = client_as("beleidsadviseur").get(reverse("weten:factsheet"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = extract(response.content)
    assert text, "pdftotext (poppler-utils, installed by scripts/bootstrap.sh --test) read nothing"
    assert "Eenzaamheid in Hilversum" in text
    assert "Kerncijfers" in text and "2016" in text and "2022" in text and "Doel 2030" in text
    assert "Hilversum Monitor 2016 (synthetisch, demo)" in text
    assert "minder dan 50" in text
    assert "Alleenwonenden" in text
    assert text.count("%") > 20


def _tags(content: bytes) -> bytes:
    """The PDF's objects with its compressed streams inflated (WeasyPrint keeps objects in object streams), to
    look for the structure tree without a PDF library."""
    import contextlib
    import re
    import zlib

    text = content
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(match.group(1))
    return text


def test_the_factsheet_is_a_tagged_pdf(monitor_data, client_as):
    """PDF/UA-1: marked content, a structure tree with headings, lists, tables and figures, and the language."""
    import re

    response = client_as("beleidsadviseur").get(reverse("weten:factsheet"))
    objects = _tags(response.content)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects and b"/Lang" in objects
    tags = set(re.findall(rb"/S\s*/(\w+)", objects))
    assert {b"H1", b"H2", b"Table", b"TH", b"TD", b"L", b"LI", b"Figure"} <= tags, tags
    assert re.search(rb"/Alt\s*\(", objects), "the charts carry their text alternative"
    assert "factsheet-eenzaam-de-jong-gierveld-3-hilversum-gemeente-" in response["Content-Disposition"]


def test_a_factsheet_per_wijk_for_the_zorgnetwerk(monitor_data, client_as):
    client = client_as("beleidsadviseur")
    response = client.get(reverse("weten:factsheet"), {"wijk": "WK040201", "indicator": "lonely"})
    assert response.status_code == 200
    assert "-hilversum-centrum-" in response["Content-Disposition"]
    text = extract(response.content)
    assert "Eenzaamheid in Centrum" in text and "wijk van Hilversum" in text
    assert "Centrum" in text and "Noord-West" not in text.split("Per wijk", 1)[1].split("Bron", 1)[0]
    # An unknown wijk falls back to the municipality's factsheet.
    other = client.get(reverse("weten:factsheet"), {"wijk": "WK999999"})
    assert "Eenzaamheid in Hilversum" in extract(other.content)
