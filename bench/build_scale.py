"""Build throughput and memory at scale: 1 and 2 worker processes, a Dask local cluster, and the
peak memory of a build at two corpus sizes (it must stay flat: a build streams).

    python bench/build_scale.py [--docs 2000] [--small 500] [--write bench/RESULTS.md]

Each build is a real `diplokg build` process on a generated corpus (`bench/generate.py`) into a
fresh store; its wall time includes loading the model, and its peak memory is the largest
resident set of the process and its children, sampled every 50 ms. A second build of the same
corpus (nothing to extract) is timed too. Rewrites its own section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus

BIN = Path(sys.executable).parent
SECTION = re.compile(r"<!-- build_scale -->.*?<!-- /build_scale -->\n?", re.S)


def run(args: list[str]) -> tuple[float, int]:
    """Run a command; (seconds, peak resident bytes of it and its children)."""
    started = time.perf_counter()
    proc = psutil.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return seconds, peak


def build(corpus: Path, store: Path, *extra: str) -> tuple[float, int]:
    shutil.rmtree(store, ignore_errors=True)
    return run([str(BIN / "diplokg"), "build", str(corpus), "--store", str(store), *extra])


def section(docs: int, small: int, results: dict[str, tuple[float, int]]) -> str:
    today = dt.date.today().isoformat()
    one = results["1 process"][0]
    lines = [
        "<!-- build_scale -->",
        f"### build_scale — {today}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        f"`python bench/build_scale.py --docs {docs} --small {small}` — generated reports "
        "(`bench/generate.py`), each build a fresh `diplokg build` process into a new store "
        "(model loading included)",
        "",
        "| build | documents | seconds | docs/s | speed-up | peak memory MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, (seconds, peak) in results.items():
        n = small if name.startswith(f"1 process, {small}") else docs
        speed = f"{one / seconds:.2f}" if n == docs and "again" not in name else ""
        lines.append(
            f"| {name} | {n} | {seconds:.1f} | {n / seconds:.0f} | {speed} | {peak / 2**20:.0f} |"
        )
    big, little = results["1 process"][1], results[f"1 process, {small} documents"][1]
    two = one / results["--workers 2"][0]
    lines += [
        "",
        f"2 workers against 1: **{two:.2f}×** (target ≥ 1.6); peak memory {docs} against {small} "
        f"documents: **{big / little:.2f}×** (target ≤ 1.2).",
        "<!-- /build_scale -->",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace this script's section of RESULTS.md, or add it at the end."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION.search(current):
        current = SECTION.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.write_text(current, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="diplokg-build-scale-"))
    try:
        corpus, small = work / "corpus.jsonl", work / "small.jsonl"
        write_corpus(corpus, args.docs)
        write_corpus(small, args.small)
        results: dict[str, tuple[float, int]] = {}
        steps = [
            ("1 process", corpus, ()),
            (f"1 process, {args.small} documents", small, ()),
            ("--workers 2", corpus, ("--workers", "2")),
            ("--dask local (2 workers)", corpus, ("--dask", "local", "--workers", "2")),
        ]
        for name, source, extra in steps:
            results[name] = build(source, work / "store", *extra)
            print(f"{name}: {results[name][0]:.1f} s", file=sys.stderr)
        results["1 process, again (nothing to extract)"] = run(
            [str(BIN / "diplokg"), "build", str(corpus), "--store", str(work / "store")]
        )
        text = section(args.docs, args.small, results)
        print(text)
        if args.write:
            write_section(args.write, text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
