"""The HTTP server around the app: errors that uvicorn and the CORS middleware answer on their own,
made JSON `{"detail": ...}` like every other error, and the uvicorn set-up `diplokg serve` uses.

- A request that is not valid HTTP/1.1 never reaches the app: uvicorn's protocol answers it, by
  default with `400 text/plain "Invalid HTTP request received."`. A request line and headers
  still incomplete past 16 KiB (a 200 KB URL) would be buffered without end by uvicorn's httptools
  protocol (h11 stopped at 16 KiB). `JsonErrorsProtocol` answers 400, or 431 for the oversize
  case, as JSON; the connection is then closed, so a client still sending a huge request line may
  see a reset before it reads the answer.
- The protocol is uvicorn's httptools one (llhttp, in C) rather than h11 (pure Python): about
  0.8 ms less CPU a request in the server process (bench/query_scale.py, 1M triples; `diplokg serve` takes it: `uvicorn_config`).
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

import httptools
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: the longest request line and headers read before they are complete (then 431), as h11 allows
MAX_HEAD = 16 * 1024
#: a request line and headers past `MAX_HEAD`, or anything else malformed
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


class JsonErrorsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (llhttp, in C), answering requests it cannot parse with a JSON
    error, refusing a request line and headers longer than `MAX_HEAD` while they are still
    incomplete (431), and writing each response in as few packets as it can (`Coalescing`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head = 0  # bytes received of a request whose headers are not complete yet
        self._in_head = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = Coalescing(transport)  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        # uvicorn's own, with the head counted
        self._unset_keepalive_if_required()
        if self._in_head:
            self._head += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._refuse(400)
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self._in_head and self._head > MAX_HEAD:
            self._refuse(431)

    def on_message_begin(self) -> None:
        self._in_head = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head, self._head = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head = True  # what comes next is the head of the next request
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._refuse(400)

    def _refuse(self, status: int) -> None:
        body = json.dumps({"detail": _REASONS[status]}).encode()
        reason = b"Request Header Fields Too Large" if status == 431 else b"Bad Request"
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: application/json\r\n")
        head.append(b"content-length: %d\r\n" % len(body))
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + body)
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
