"""Processes the benchmarks time and watch: measured commands, servers on free ports, peak RSS.

Peak memory is sampled every 50 ms over the whole process tree (the command and its workers),
and the command's own peak comes from the kernel (`wait4`'s `ru_maxrss`), which sampling misses
when the peak is short.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

BIN = Path(sys.executable).parent
MiB = 2**20


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


# a benchmark stopped with SIGTERM still runs its `finally` blocks: servers stopped, temp removed
signal.signal(signal.SIGTERM, _stop)


@dataclass(frozen=True)
class Run:
    """One finished command: wall seconds, CPU seconds (its own and its reaped children's), peak
    RSS of its tree and of itself, its output. CPU time is what a contended machine distorts least."""

    seconds: float
    cpu: float
    tree_peak: int  # bytes, sampled
    own_peak: int  # bytes, from the kernel
    stdout: str
    stderr: str


class TreeSampler:
    """Samples the summed RSS of a process and its descendants in a thread; keeps the peak.

    With `pss`, the proportional set size instead (shared pages split among the processes that
    share them), which does not count a forked worker's pages inherited from its parent twice;
    it reads /proc/PID/smaps, so it samples less often."""

    def __init__(self, pid: int, interval: float = 0.05, *, pss: bool = False) -> None:
        self.pid, self.interval, self.peak, self.pss = pid, interval, 0, pss
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def rss(self) -> int:
        """The tree's memory now (RSS, or PSS when asked), in bytes."""
        try:
            root = psutil.Process(self.pid)
            total = self._of(root)
            for child in root.children(recursive=True):
                with suppress(psutil.Error):
                    total += self._of(child)
            return total
        except psutil.Error:
            return 0

    def _of(self, process: psutil.Process) -> int:
        return int(process.memory_full_info().pss if self.pss else process.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = self.rss()
            if value:
                self.samples.append(value)
                self.peak = max(self.peak, value)
            self._stop.wait(self.interval)


def run(cmd: Sequence[str], *, timeout: float = 3600, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end, timing it and watching its memory; raise if it fails."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    output: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda k=k, s=s: output.__setitem__(k, s.read()), daemon=True)
        for k, s in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    with TreeSampler(proc.pid) as sampler:
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, so its own rusage is kept
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    seconds = time.perf_counter() - started
    own = int(usage.ru_maxrss) * 1024  # kilobytes on Linux
    out = output.get("out", b"").decode("utf-8", "replace")
    err = output.get("err", b"").decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, max(sampler.peak, own), own, out, err)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start in {timeout:.0f} s")


@contextmanager
def serving(
    cmd: Sequence[str],
    probe: str,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[int]:
    """Start a server, wait until `probe` answers, yield its pid, stop it at the end."""
    sink = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(list(cmd), stdout=sink, stderr=sink, env={**os.environ, **(env or {})})
    try:
        wait_until_up(probe, proc)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not None:
            sink.close()  # type: ignore[union-attr]
