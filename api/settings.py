"""The HTTP service's settings: one frozen value per app, built by the CLI, by tests or from the env."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.store import default_store_path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    """What one app serves and how far it lets a query go."""

    #: the on-disk store the app opens (one GraphStore per app)
    store: Path = field(default_factory=default_store_path)
    #: open the store read-only (no write endpoint can work then)
    read_only: bool = False
    #: a remote SPARQL 1.1 query endpoint to read instead of the store (`serve --backend URL`)
    backend: str | None = None
    #: seconds a /sparql query may run before the answer is 503
    query_timeout: float = 30.0
    #: the most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) one /sparql answer holds
    max_results: int = 10_000
    #: /sparql queries run at the same time, each in a worker process; beyond that 503
    max_queries: int = field(default_factory=lambda: os.cpu_count() or 1)
    #: seconds a query beyond `max_queries` waits for a free worker before its 503
    queue_wait: float = 15.0
    #: start the query workers with the app rather than with the first query (`diplokg serve`)
    prestart_workers: bool = False
    #: the bearer token writes need (SPARQL Update, /store writes); None: no writes at all
    token: str | None = field(default=None, repr=False)
    #: let queries use SERVICE and updates LOAD, which make the server fetch URLs
    allow_service: bool = False
    #: origins browsers may call the API from (CORS); "*" for any, empty for none
    cors_origins: tuple[str, ...] = ()
    #: the largest query or update request body, in bytes (413 beyond)
    max_body_bytes: int = 1 << 20
    #: the largest RDF upload to /store, in bytes (413 beyond)
    max_upload_bytes: int = 16 << 20
    #: the largest answer read from the backend for one query, in bytes (then 502)
    max_backend_bytes: int = 64 << 20

    def __post_init__(self) -> None:
        object.__setattr__(self, "store", Path(self.store))
        if not self.query_timeout > 0:
            raise ValueError(f"query_timeout must be positive, not {self.query_timeout}")
        if self.max_results < 1:
            raise ValueError(f"max_results must be at least 1, not {self.max_results}")
        if self.max_queries < 1:
            raise ValueError(f"max_queries must be at least 1, not {self.max_queries}")
        if self.token is not None:
            if not self.token.strip():
                raise ValueError("token must not be blank")
            object.__setattr__(self, "token", self.token.strip())
        origins = (self.cors_origins,) if isinstance(self.cors_origins, str) else self.cors_origins
        object.__setattr__(self, "cors_origins", tuple(origins))
        if self.backend is not None:
            if not self.backend.startswith(("http://", "https://")):
                raise ValueError(f"the backend must be an http(s) URL, not {self.backend!r}")
            if self.token is not None:
                raise ValueError("a server over a backend is read-only: write to the backend")
        for name in ("max_body_bytes", "max_upload_bytes", "max_backend_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `DIPLOKG_STORE`, `DIPLOKG_BACKEND`, `DIPLOKG_READ_ONLY`, `DIPLOKG_QUERY_TIMEOUT`,
        `DIPLOKG_MAX_RESULTS`, `DIPLOKG_QUERY_WORKERS`, `DIPLOKG_TOKEN`, `DIPLOKG_ALLOW_SERVICE`,
        `DIPLOKG_CORS_ORIGINS` (comma-separated), `DIPLOKG_MAX_BODY_BYTES` and
        `DIPLOKG_MAX_UPLOAD_BYTES`; unset ones keep their defaults.

        Raises ValueError naming the variable when a value cannot be read.
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("DIPLOKG_STORE"):
            values["store"] = Path(env["DIPLOKG_STORE"])
        if env.get("DIPLOKG_BACKEND"):
            values["backend"] = env["DIPLOKG_BACKEND"].strip()
        if "DIPLOKG_READ_ONLY" in env:
            flag = env["DIPLOKG_READ_ONLY"].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise ValueError(f"DIPLOKG_READ_ONLY must be true or false, not {flag!r}")
            values["read_only"] = flag in _TRUE
        if env.get("DIPLOKG_TOKEN", "").strip():
            values["token"] = env["DIPLOKG_TOKEN"].strip()
        if "DIPLOKG_ALLOW_SERVICE" in env:
            flag = env["DIPLOKG_ALLOW_SERVICE"].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise ValueError(f"DIPLOKG_ALLOW_SERVICE must be true or false, not {flag!r}")
            values["allow_service"] = flag in _TRUE
        if env.get("DIPLOKG_CORS_ORIGINS"):
            origins = (o.strip() for o in env["DIPLOKG_CORS_ORIGINS"].split(","))
            values["cors_origins"] = tuple(o for o in origins if o)
        for name, key, kind in (
            ("query_timeout", "DIPLOKG_QUERY_TIMEOUT", float),
            ("max_results", "DIPLOKG_MAX_RESULTS", int),
            ("max_queries", "DIPLOKG_MAX_QUERIES", int),
            ("queue_wait", "DIPLOKG_QUEUE_WAIT", float),
            ("max_body_bytes", "DIPLOKG_MAX_BODY_BYTES", int),
            ("max_upload_bytes", "DIPLOKG_MAX_UPLOAD_BYTES", int),
        ):
            if env.get(key):
                try:
                    values[name] = kind(env[key])
                except ValueError:
                    raise ValueError(f"{key} must be a number, not {env[key]!r}") from None
        return cls(**values)  # type: ignore[arg-type]
