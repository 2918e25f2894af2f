"""The socket `diplokg serve` listens on (`api.http.bind`)."""

from __future__ import annotations

import asyncio
import socket

from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.http import JsonErrorsProtocol, bind, uvicorn_config


def test_answers_on_a_kept_alive_connection_are_sent_without_delay() -> None:
    """asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets made for TCP: without
    it, each answer after the first on a keep-alive connection waited for the client's delayed
    ACK (about 40 ms)."""
    listener = bind("127.0.0.1", 0)
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()

    async def nodelay() -> int:
        # what uvicorn's server does with each connection it accepts on the socket
        loop = asyncio.get_running_loop()
        transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, accepted)
        try:
            sock = transport.get_extra_info("socket")
            return int(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        finally:
            transport.close()

    try:
        assert asyncio.run(nodelay()) == 1
    finally:
        client.close()
        listener.close()


def test_the_server_runs_on_asyncio_s_own_loop_even_when_uvloop_is_installed() -> None:
    config = uvicorn_config(FastAPI())
    assert config.loop == "asyncio"


def test_the_server_parses_http_with_httptools() -> None:
    config = uvicorn_config(FastAPI())
    assert config.http is JsonErrorsProtocol
    assert issubclass(JsonErrorsProtocol, HttpToolsProtocol)
