"""The console at / and the explorer at /explore, without a browser: pages whose assets and
libraries the app serves itself (tests/api/browser runs them in Chromium)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from api.routes import console
from kg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/explore"]
#: The pages' own files: none may name a URL outside the app.
OWN_ASSETS = {
    "/static/console.js": ("text/javascript", "application/javascript"),
    "/static/explore.js": ("text/javascript", "application/javascript"),
    "/static/app.css": ("text/css",),
    "/static/console.css": ("text/css",),
    "/static/explore.css": ("text/css",),
    "/static/index.html": ("text/html",),
    "/static/explore.html": ("text/html",),
}
LIBRARIES = {
    "/static/vendor/yasgui/yasgui.min.js": ("text/javascript", "application/javascript"),
    "/static/vendor/yasgui/yasgui.min.css": ("text/css",),
    "/static/vendor/chart.js/chart.umd.min.js": ("text/javascript", "application/javascript"),
    "/static/vendor/cytoscape/cytoscape.min.js": ("text/javascript", "application/javascript"),
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


def test_home_is_the_yasgui_console(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert 'id="yasgui"' in page and 'id="examples"' in page
    assert {
        "static/vendor/yasgui/yasgui.min.js",
        "static/vendor/yasgui/yasgui.min.css",
        "static/vendor/chart.js/chart.umd.min.js",
        "static/console.js",
    } <= set(references(page))


def test_explore_is_the_graph_explorer(client: TestClient) -> None:
    response = client.get("/explore")
    assert response.status_code == 200
    page = response.text
    assert 'id="graph"' in page and 'id="q"' in page and 'id="until"' in page
    assert {"static/vendor/cytoscape/cytoscape.min.js", "static/explore.js"} <= set(
        references(page)
    )


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_reference_only_the_apps_own_files(client: TestClient, path: str) -> None:
    for url in references(client.get(path).text):
        parts = urlsplit(url)
        if parts.scheme == "data":  # inline (the empty favicon)
            continue
        assert not parts.scheme and not parts.netloc, f"{url} is outside the app"
        if parts.path.startswith("static/"):
            assert client.get(urljoin("/", url)).status_code == 200, url


@pytest.mark.parametrize("path", [*PAGES, *OWN_ASSETS])
def test_no_external_url_in_the_projects_own_files(client: TestClient, path: str) -> None:
    """No CDN, no web font, no link out. (The libraries mention URLs in their code: the browser
    tests check that the pages fetch nothing from outside the app.)"""
    text = client.get(path).text
    assert "http://" not in text and "https://" not in text


@pytest.mark.parametrize(("path", "types"), {**OWN_ASSETS, **LIBRARIES}.items())
def test_the_assets_answer_with_their_content_types(
    client: TestClient, path: str, types: tuple[str, ...]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0].strip() in types
    assert response.content


def test_the_libraries_are_the_locked_versions(client: TestClient) -> None:
    """What the app serves is what package-lock.json pins (npm ci installed it)."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    declared = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in declared.items():
        assert lock[f"node_modules/{name}"]["version"] == version
        installed = json.loads((ROOT / "node_modules" / name / "package.json").read_text())
        assert installed["version"] == version, f"{name}: run make setup"
    assert (
        "Chart.js v" + declared["chart.js"]
        in client.get("/static/vendor/chart.js/chart.umd.min.js").text[:300]
    )


@pytest.mark.parametrize(
    "path",
    ["/static/nothing-here.js", "/static/vendor/yasgui/nothing.js", "/static/vendor/none/x.js"],
)
def test_a_missing_asset_is_a_json_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_vendor_mount_serves_only_the_packages_it_names(client: TestClient) -> None:
    assert client.get("/static/vendor/yasgui/../../../package.json").status_code == 404
    assert client.get("/static/vendor/lodash-es/package.json").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_without_the_libraries_a_page_says_how_to_install_them(
    client: TestClient, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "NODE_MODULES", tmp_path / "node_modules")
    response = client.get(path)
    assert response.status_code == 503
    assert "make setup" in response.text and "npm ci" in response.text
    assert "node_modules/@zazuko/yasgui/build/yasgui.min.js" in response.text


def test_the_console_gets_the_projects_prefixes(client: TestClient) -> None:
    response = client.get("/console/prefixes")
    assert response.status_code == 200
    assert response.json() == PREFIXES


def test_the_pages_are_not_part_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and "/console/prefixes" not in paths and "/explore" not in paths
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
