"""Who may write: the bearer token every write needs (SPARQL Update, `/store` writes, documents).

The server has writes only when it was started with a token (`diplokg serve --token T` or
`DIPLOKG_TOKEN`). Without one every write answers 403; with one, a request whose
`Authorization: Bearer ...` header is missing or wrong answers 401 with a `WWW-Authenticate`
challenge. Routes that only write take `_: WriteAccess`; routes that write for some requests only
(POST /sparql, which also answers queries) call `check_write_access` once they know.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBearer

from api.deps import SettingsDep
from api.models import errors
from api.settings import Settings

#: declares the bearer scheme in the OpenAPI schema (the "Authorize" button of /docs)
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="writeToken",
    description="the token the server was started with (`diplokg serve --token T`)",
)

#: the `responses=` entries of a route that writes
WRITE_ERRORS: dict[int | str, dict[str, Any]] = errors(401, 403)


def check_write_access(settings: Settings, authorization: str | None) -> None:
    """Raise the HTTPException a write gets without the server's token (403 or 401)."""
    if settings.token is None:
        raise HTTPException(
            403,
            detail="writes are not enabled on this server: start it with a token "
            "(diplokg serve --token, or DIPLOKG_TOKEN)",
        )
    if settings.read_only:
        raise HTTPException(403, detail="writes are not enabled: the store is open read-only")
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPException(
            401,
            detail="this write needs the header Authorization: Bearer <token>",
            headers={"WWW-Authenticate": 'Bearer realm="diplokg"'},
        )
    if not hmac.compare_digest(credentials.strip().encode(), settings.token.encode()):
        raise HTTPException(
            401,
            detail="the bearer token is wrong",
            headers={"WWW-Authenticate": 'Bearer realm="diplokg", error="invalid_token"'},
        )


def require_write_token(
    request: Request,
    settings: SettingsDep,
    _scheme: Annotated[Any, Depends(bearer_scheme)] = None,
) -> None:
    """The dependency of a write route: 403 without a server token, 401 without the right one."""
    check_write_access(settings, request.headers.get("authorization"))


WriteAccess = Annotated[None, Depends(require_write_token)]
