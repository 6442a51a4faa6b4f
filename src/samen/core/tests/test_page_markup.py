"""Every HTML page of the permission-matrix walk, rendered as a role that may see it: each
``aria-describedby`` (and ``aria-labelledby``, ``aria-controls``, ``<label for>``) points at an element
that exists, and the page has a non-empty title of its own. Form pages are also posted empty, so the
error state (error summary, messages linked to their fields) is checked too."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from samen.core.models import User
from samen.core.tests.clients import verified_client
from samen.core.tests.test_permission_matrix import ENDPOINTS, ROLES, _sample_kwargs, expected

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")
# Pages that answer with a file or that leave the page at once (a redirect) are skipped by their status.
HTML_GETS = sorted(key for key, e in ENDPOINTS.items() if e.method == "get" and not e.route.startswith("api/"))


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self.title = ""
        self.forms: list[dict] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in REFERENCES:
            for ref in (attrs.get(name) or "").split():
                self.references.append((tag, name, ref))
        if tag == "label" and attrs.get("for"):
            self.references.append((tag, "for", attrs["for"]))
        if tag == "title":
            self._in_title = True
        if tag == "form":
            self.forms.append(attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def broken(markup: Markup) -> list[str]:
    return [f"<{tag} {name}={ref!r}>" for tag, name, ref in markup.references if ref not in markup.ids]


def _allowed_role(key: str) -> str | None:
    return next((role for role in ROLES if role != "anonymous" and expected(key, role) == "allow"), None) or (
        "anonymous" if expected(key, "anonymous") == "allow" else None)


def _client(role: str):
    from django.test import Client

    return Client() if role == "anonymous" else verified_client(User.objects.get(username=role))


def _get(key, hilversum):
    endpoint = ENDPOINTS[key]
    role = _allowed_role(key)
    if role is None:
        pytest.skip(f"{key}: no role may see it")
    url = reverse(endpoint.name, kwargs=_sample_kwargs(endpoint.name, hilversum))
    client = _client(role)
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        pytest.skip(f"{key}: not an HTML page ({response.status_code})")
    return client, url, role, response


@pytest.mark.django_db
@pytest.mark.parametrize("key", HTML_GETS)
def test_every_reference_on_a_page_points_at_an_element_that_exists(key, hilversum):
    client, url, role, response = _get(key, hilversum)
    markup = parse(response.content.decode())
    assert not broken(markup), f"{key} as {role}: references to missing ids: {broken(markup)}"
    if "<html" in response.content.decode()[:500]:  # a whole page, not an htmx fragment
        assert markup.title.strip() not in ("", "· Samen"), f"{key}: the page has no title of its own"
    # The same page with errors: post the form empty (a form posting to its own page only).
    own_forms = [f for f in markup.forms if (f.get("method") or "").lower() == "post" and f.get("action") in (None, "")]
    if ENDPOINTS.get(f"POST {ENDPOINTS[key].name}") and own_forms:
        answer = client.post(url, {})
        if answer.status_code in (200, 400) and answer.get("Content-Type", "").startswith("text/html"):
            after = parse(answer.content.decode())
            assert not broken(after), f"{key} posted empty as {role}: references to missing ids: {broken(after)}"


@pytest.mark.django_db
def test_every_page_has_a_title_of_its_own(hilversum):
    titles: dict[str, list[str]] = {}
    for key in HTML_GETS:
        role = _allowed_role(key)
        if role is None:
            continue
        endpoint = ENDPOINTS[key]
        response = _client(role).get(reverse(endpoint.name, kwargs=_sample_kwargs(endpoint.name, hilversum)))
        if (response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html")
                or "<html" not in response.content.decode()[:500]):
            continue
        title = " ".join(parse(response.content.decode()).title.split())
        if not key.startswith("GET fakeblock:"):  # the test settings' stand-in block
            titles.setdefault(title, []).append(key)
    assert "" not in titles and "· Samen" not in titles, titles.get("") or titles.get("· Samen")
    shared = {title: keys for title, keys in titles.items() if len(keys) > 1}
    assert not shared, f"pages that share a title: {shared}"
