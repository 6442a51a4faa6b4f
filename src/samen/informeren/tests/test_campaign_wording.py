"""Campaign wording (seed 003): the public site speaks of *samen* and avoids the word "eenzaamheid" in what
catches the eye -- headings, buttons, link texts and the page title. Only the self-check may name it.

Every page an anonymous visitor can GET (per the permission matrix) outside the API is fetched and parsed,
so a page added later by anyone is checked too."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from samen.core.tests.test_permission_matrix import ENDPOINTS, _sample_kwargs, expected

WORD = "eenzaam"
# Form labels and legends are body text (a question may name the feeling); these are not.
PROMINENT = {"h1", "h2", "h3", "h4", "h5", "h6", "button", "a", "title", "summary"}
SELF_CHECK = {"informeren:selfcheck"}  # may name loneliness: it measures it
PUBLIC_PAGES = sorted(key for key, endpoint in ENDPOINTS.items()
                      if endpoint.method == "get" and expected(key, "anonymous") == "allow"
                      and not endpoint.route.startswith("api/"))


class ProminentText(HTMLParser):
    """Collects the text of headings, buttons, links and the title, plus their aria-label and a submit
    button's value: what a visitor (or a screen reader listing headings and links) sees first."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[list] = []  # [tag, collected text]
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.found.append(("button", attributes.get("value") or ""))
        if tag in PROMINENT:
            self.open.append([tag, [attributes.get("aria-label") or ""]])

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                name, parts = self.open.pop(index)
                self.found.append((name, " ".join(" ".join(parts).split())))
                break

    def handle_data(self, data):
        for _tag, parts in self.open:
            parts.append(data)


def offending(html: str) -> list[tuple[str, str]]:
    """The headings, buttons, links and title that contain the word."""
    parser = ProminentText()
    parser.feed(html)
    parser.close()
    return [(tag, text) for tag, text in parser.found if WORD in text.casefold()]


def test_the_check_finds_the_word_in_every_prominent_place():
    page = """<html><head><title>Samen · Eenzaamheid</title></head><body>
      <h1>Welkom</h1><h3 class="x">Samen <em>tegen</em> EENZAAMHEID</h3>
      <p>De Week tegen Eenzaamheid is eind september.</p>
      <a href="/x">Doe de test: bent u eenzaam?</a> <a href="/y" aria-label="Hulp bij eenzaamheid">?</a>
      <button type="submit">Eenzaam? Klik hier</button> <input type="submit" value="Eenzaamheid melden">
      <label for="q">Voelt u zich eenzaam?</label></body></html>"""
    assert [tag for tag, _text in offending(page)] == ["title", "h3", "a", "a", "button", "button"]


def test_the_check_lets_body_text_and_samen_wording_pass():
    page = """<html><head><title>Samen is leuker</title></head><body><h1>Samen is leuker</h1>
      <p>In de Week tegen Eenzaamheid is er van alles te doen.</p><a href="/">Samen-week</a></body></html>"""
    assert offending(page) == []


def test_every_public_page_is_walked():
    names = {ENDPOINTS[key].name for key in PUBLIC_PAGES}
    assert {"informeren:index", "informeren:approach", "vinden:concern", "vinden:self"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("key", PUBLIC_PAGES)
def test_public_pages_avoid_the_word_in_headings_buttons_links_and_title(key, hilversum):
    endpoint = ENDPOINTS[key]
    if endpoint.name in SELF_CHECK:
        pytest.skip("the self-check may name loneliness")
    url = reverse(endpoint.name, kwargs=_sample_kwargs(endpoint.name, hilversum))
    response = Client().get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        pytest.skip(f"{url} answers {response.status_code} {response['Content-Type']}, not an HTML page")
    assert offending(response.content.decode()) == [], f"{url} names the word where the campaign avoids it"
