"""How the approach works: the route of a signal, what to notice, who to call, as HTML and as an A4 PDF."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.models import Organisation
from samen.core.tests.factories import OrganisationFactory
from samen.vinden import checklist

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


def pdf_info(content: bytes) -> dict[str, str]:
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    return dict(line.split(":", 1) for line in result.stdout.decode().splitlines() if ":" in line)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_the_pages_live_at_their_public_addresses():
    assert reverse("informeren:approach") == "/zo-werkt-het/"
    assert reverse("informeren:approach_pdf") == "/zo-werkt-het/a4.pdf"


def test_the_route_of_a_signal_is_an_ordered_list_of_text_steps(hilversum):
    html = Client().get(reverse("informeren:approach")).content.decode()
    route = html[html.index('<ol class="samen-route">'):html.index("</ol>")]
    steps = re.findall(r'<h3 class="utrecht-heading-3">(.*?)</h3>', route)
    assert steps == ["Iemand merkt iets op", "Geef het door", "Het zorgnetwerk van de wijk", "Wie pakt het op?",
                     "Samen kiezen", "Een warme overdracht", "Nazorg"]
    assert "Binnen 5 werkdagen" in route  # the municipality's own triage deadline
    assert "<img" not in route


def test_the_signs_and_risk_factors_are_the_checklist_of_the_signal_forms(hilversum):
    html = Client().get(reverse("informeren:approach")).content.decode()
    for label in [*checklist.SIGNS.values(), *checklist.RISK_FACTORS.values()]:
        text = str(label)
        assert f"<li>{text[0].upper()}{text[1:]}</li>" in html


def test_the_page_says_whom_to_call_and_links_the_forms_and_the_a4(hilversum):
    html = Client().get(reverse("informeren:approach")).content.decode()
    assert "112" in html and "0800-0113" in html and "huisarts" in html
    for name in ("vinden:concern", "vinden:self", "informeren:approach_pdf"):
        assert f'href="{reverse(name)}"' in html
    assert "informeren/pages.css" in html


def test_a_welfare_desk_with_a_phone_number_is_listed_to_call(hilversum):
    OrganisationFactory(gemeente=hilversum, name="Sociaal Loket Test", type=Organisation.Type.GEMEENTE,
                        phone="035 - 123 45 67")
    OrganisationFactory(gemeente=hilversum, name="Zorg Zonder Loket", type=Organisation.Type.ZORG, phone="035 1")
    html = Client().get(reverse("informeren:approach")).content.decode()
    assert 'Sociaal Loket Test: <a class="utrecht-link" href="tel:0351234567">035 - 123 45 67</a>' in html
    assert "Zorg Zonder Loket" not in html


def test_the_a4_is_a_real_text_pdf_of_one_or_two_a4_pages(hilversum):
    response = Client().get(reverse("informeren:approach_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    info = pdf_info(response.content)
    assert 1 <= int(info["Pages"]) <= 2
    width, height = (float(number) for number in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))
    text = pdf_text(response.content)
    assert "Samen is leuker: zo werkt het" in text
    assert "Iemand merkt iets op" in text and "Nazorg" in text
    assert "Gordijnen blijven overdag dicht" in text and "Woont alleen" in text
    assert "0800-0113" in text and "112" in text
    assert "http://testserver/zorgen-om-iemand/" in text
    assert "Geen internet? Bel de gemeente Hilversum: 14 035" in text  # the municipality's own number
    assert info.get("Tagged", "").strip() == "yes"  # an accessible (PDF/UA) file, samen.core.pdf


def test_the_a4_speaks_english_when_the_visitor_chose_english(hilversum):
    client = Client()
    client.cookies["django_language"] = "en"
    text = pdf_text(client.get(reverse("informeren:approach_pdf")).content)
    assert "Aftercare" in text and "Signs you can see" in text and "Who can you call?" in text
