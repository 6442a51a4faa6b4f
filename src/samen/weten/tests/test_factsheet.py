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
