"""`/`: the SPARQL console (YASGUI), and the static files of the app's pages.

The pages (api/static) and the browser libraries they use (YASGUI, Cytoscape.js, Chart.js: npm
packages that `make setup` installs into node_modules with `npm ci`) are served by the app itself,
under `/static`, so the console and the explorer work with no internet. `/console/prefixes` gives
the pages the project's prefixes (to shorten IRIs and to declare those a query uses).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.routing import Mount, Router
from starlette.staticfiles import StaticFiles

from kg.namespaces import PREFIXES

#: The pages' own files: index.html (the console), explore.html, their scripts and styles.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: Where `npm ci` puts the packages of package.json (the repository's root).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
#: Where the app mounts `static_files()`.
STATIC_PATH = "/static"
#: `/static/vendor/NAME/...` serves node_modules/FOLDER/...; FILES are the ones the pages load.
VENDOR: dict[str, tuple[str, tuple[str, ...]]] = {
    "yasgui": ("@zazuko/yasgui/build", ("yasgui.min.js", "yasgui.min.css")),
    "chart.js": ("chart.js/dist", ("chart.umd.min.js",)),
    "cytoscape": ("cytoscape/dist", ("cytoscape.min.js",)),
}

router = APIRouter(include_in_schema=False)


def missing_libraries(node_modules: Path | None = None) -> list[str]:
    """The library files the pages load that are not installed (empty when `npm ci` has run)."""
    root = NODE_MODULES if node_modules is None else node_modules
    return [
        f"{folder}/{name}"
        for folder, names in VENDOR.values()
        for name in names
        if not (root / folder / name).is_file()
    ]


def page(name: str) -> HTMLResponse:
    """One of the app's pages, or a 503 page saying how to install the libraries it needs."""
    missing = missing_libraries()
    if missing:
        listed = "".join(f"<li><code>node_modules/{path}</code></li>" for path in missing)
        return HTMLResponse(
            "<!doctype html><meta charset='utf-8'><title>diplokg: libraries missing</title>"
            "<h1>The page's browser libraries are not installed</h1>"
            "<p>Run <code>make setup</code> (it runs <code>npm ci</code>) in the diplokg "
            f"checkout, then restart the server. Missing:</p><ul>{listed}</ul>"
            "<p>The SPARQL endpoint itself works: <code>/sparql</code>.</p>",
            status_code=503,
        )
    return HTMLResponse((STATIC_DIR / name).read_text(encoding="utf-8"))


@router.get("/", response_class=HTMLResponse)
async def console() -> HTMLResponse:
    """The SPARQL console page."""
    return page("index.html")


@router.get("/console/prefixes")
async def console_prefixes() -> dict[str, str]:
    """The project's prefixes (prefix → namespace IRI), as every query the project writes uses."""
    return dict(PREFIXES)


def static_files() -> Router:
    """The pages' assets and the installed libraries, to mount at `STATIC_PATH`.

    A missing file is a 404 (the app's JSON error); so is a library not installed when the app
    was created: the app starts before `npm ci` has run, and its pages then say what to do.
    """
    routes = [
        Mount(f"/vendor/{name}", app=StaticFiles(directory=NODE_MODULES / folder))
        for name, (folder, _) in VENDOR.items()
        if (NODE_MODULES / folder).is_dir()
    ]
    routes.append(Mount("/", app=StaticFiles(directory=STATIC_DIR)))
    return Router(routes=routes)
