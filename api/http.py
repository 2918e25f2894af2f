"""The HTTP server around the app: errors that uvicorn and the CORS middleware answer on their own,
made JSON `{"detail": ...}` like every other error, and the uvicorn set-up `diplokg serve` uses.

- A request that is not valid HTTP/1.1, or whose request line and headers exceed h11's 16 KiB
  buffer (a 200 KB URL), never reaches the app: uvicorn's h11 protocol answers it, by default
  with `400 text/plain "Invalid HTTP request received."`. `JsonErrorsProtocol` answers 400, or
  431 for the oversize case, as JSON; the connection is then closed, so a client still sending a
  huge request line may see a reset before it reads the answer.
- A CORS preflight the configuration refuses gets Starlette's `400 text/plain`; `Cors` answers
  the same status as JSON.

uvicorn writes a response's head and its body to the socket apart: two packets, and a client that
wakes up twice for a small answer. `JsonErrorsProtocol` holds each write until the end of the event
loop's turn (`Coalescing`), so the head leaves with the first part of the body.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import h11
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

#: what h11 tells apart: a request line and headers past its buffer, or anything else malformed
_REASONS = {
    431: "the request line and headers are longer than 16 KiB: send a long query in a POST body",
    400: "the request is not valid HTTP/1.1",
}


class Coalescing:
    """A transport whose writes are held until the end of the event loop's turn, then sent as
    one; everything else is the wrapped transport's (closing sends what is held first)."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._held:
            asyncio.get_running_loop().call_soon(self.flush)
        self._held.append(data)

    def flush(self) -> None:
        if self._held:
            data = b"".join(self._held)
            self._held.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class JsonErrorsProtocol(H11Protocol):
    """uvicorn's h11 protocol, answering requests it cannot parse with a JSON error, and writing
    each response in as few packets as it can (`Coalescing`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._status = 400
        next_event = self.conn.next_event

        def recorded() -> Any:
            try:
                return next_event()
            except h11.RemoteProtocolError as err:
                self._status = 431 if err.error_status_hint == 431 else 400
                raise

        self.conn.next_event = recorded  # type: ignore[method-assign]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = Coalescing(transport)  # type: ignore[assignment]

    def send_400_response(self, msg: str) -> None:
        status = self._status
        body = json.dumps({"detail": _REASONS[status]}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        reason = b"Request Header Fields Too Large" if status == 431 else b"Bad Request"
        for event in (
            h11.Response(status_code=status, headers=headers, reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


class Cors(CORSMiddleware):
    """Starlette's CORS middleware, with refused preflights answered as JSON."""

    def preflight_response(self, request_headers: Any) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("utf-8", "replace")  # "Disallowed CORS origin"
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        headers.pop("content-type", None)
        return JSONResponse(
            {
                "detail": f"CORS preflight refused: {reason.removeprefix('Disallowed CORS ')} not allowed"
            },
            status_code=response.status_code,
            headers=headers,
        )


def uvicorn_config(app: FastAPI, **options: Any) -> Config:
    """The uvicorn configuration of `diplokg serve` (tests serve the app with it too)."""
    options.setdefault("log_level", "info")
    # asyncio's own loop, always: uvicorn would take uvloop when it is installed, and under
    # uvloop the waits on the query workers' pipes fail (SPARQL reads answered 503, tried)
    options.setdefault("loop", "asyncio")
    return Config(app, http=JsonErrorsProtocol, lifespan="on", **options)


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, so that a port in use is an error before the server says it
    is serving. It listens only once uvicorn serves on it, after the app has started (until then
    connections are refused rather than left waiting). Raises OSError naming the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio: TCP_NODELAY
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.set_inheritable(True)
    return sock
