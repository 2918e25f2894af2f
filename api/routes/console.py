"""`/`: the SPARQL query console, a static page (api/static) that posts queries to `/sparql`.

The page, its script and its style sheet are served by the app itself, so the console works with
no internet; `/console/prefixes` gives the script the project's prefixes, with which it shortens
IRIs in result tables and declares the prefixes a typed query uses but does not declare.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from kg.namespaces import PREFIXES

#: The console's files: index.html, console.js, console.css.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: Where the app mounts `static_files()`.
STATIC_PATH = "/static"

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def console() -> HTMLResponse:
    """The query console page."""
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


@router.get("/console/prefixes")
async def console_prefixes() -> dict[str, str]:
    """The project's prefixes (prefix → namespace IRI), as every query the project writes uses."""
    return dict(PREFIXES)


def static_files() -> StaticFiles:
    """The console's assets, to mount at `STATIC_PATH`."""
    return StaticFiles(directory=STATIC_DIR)
