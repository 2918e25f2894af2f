"""The query console at `/`, without a browser: a page whose assets the app serves itself."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from kg.namespaces import PREFIXES

ASSETS = {
    "/static/console.js": ("text/javascript", "application/javascript"),
    "/static/console.css": ("text/css",),
    "/static/index.html": ("text/html",),
}


class _References(HTMLParser):
    """The URLs a page's elements load or link to (src, href, action, ...)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action", "srcset", "poster", "data"} and value is not None:
                self.urls.append(value)


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.urls


def test_home_is_the_console_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<textarea id="query"' in page
    assert 'id="run"' in page and 'id="examples"' in page and 'id="results"' in page
    assert {"static/console.js", "static/console.css"} <= set(references(page))


def test_the_page_references_only_the_apps_own_assets(client: TestClient) -> None:
    page = client.get("/").text
    for url in references(page):
        parts = urlsplit(url)
        if parts.scheme == "data":  # inline (the empty favicon)
            continue
        assert not parts.scheme and not parts.netloc, f"{url} is outside the app"
        if parts.path.startswith("static/"):
            assert client.get(urljoin("/", url)).status_code == 200, url


@pytest.mark.parametrize("path", ["/", *ASSETS])
def test_no_external_url_anywhere(client: TestClient, path: str) -> None:
    """No CDN, no web font, no link out: the console works with no internet."""
    text = client.get(path).text
    assert "http://" not in text and "https://" not in text


@pytest.mark.parametrize(("path", "types"), ASSETS.items())
def test_the_assets_answer_with_their_content_types(
    client: TestClient, path: str, types: tuple[str, ...]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0].strip() in types
    assert response.content


def test_a_missing_asset_is_a_json_404(client: TestClient) -> None:
    response = client.get("/static/nothing-here.js")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_console_gets_the_projects_prefixes(client: TestClient) -> None:
    response = client.get("/console/prefixes")
    assert response.status_code == 200
    assert response.json() == PREFIXES


def test_the_console_is_not_part_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and "/console/prefixes" not in paths
    assert not any(path.startswith("/static") for path in paths)


def test_the_example_queries_use_only_known_prefixes(client: TestClient) -> None:
    """Every prefix an example lists is one the server gives the console (else it is not declared)."""
    script = client.get("/static/console.js").text
    listed = set()
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("prefixes: ["):
            listed |= {name.strip(' "') for name in line[len("prefixes: [") : -2].split(",")}
    assert listed, "no example lists its prefixes"
    assert listed <= set(PREFIXES)
