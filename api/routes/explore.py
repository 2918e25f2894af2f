"""`/explore`: the graph explorer, a static page (api/static/explore.html) that reads the REST API.

Search an actor (`/actors?q=`), draw its ego network (`/actors/{id}/network`, Cytoscape.js),
narrow it in time (`since` / `until`), and list the events behind a node (`/events?actor=`) or an
edge (`/actors/{id}/relations`) with their sentences and documents. Its libraries are served by
the app (see `api.routes.console`), so it works with no internet.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.routes.console import page

router = APIRouter(include_in_schema=False)


@router.get("/explore", response_class=HTMLResponse)
async def explore() -> HTMLResponse:
    """The graph explorer page."""
    return page("explore.html")
