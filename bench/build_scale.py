"""Build throughput and memory at scale: 1 and 2 worker processes, a Dask local cluster, and the
peak memory of a build at two corpus sizes (it must stay flat: a build streams).

    python bench/build_scale.py [--docs 2000] [--small 500] [--write bench/RESULTS.md]

Each build is a real `diplokg build` process on a generated corpus (`bench/generate.py`) into a
fresh store; its wall time includes starting Python and loading the model, and its peak memory is
the largest resident set of the process tree (`procs.run`). A second build of the same corpus
(nothing to extract) is timed too. Rewrites its own section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus
from procs import BIN, Run, run
from results import header, publish, table, verdict


def build(corpus: Path, store: Path, *extra: str) -> Run:
    shutil.rmtree(store, ignore_errors=True)
    return run([str(BIN / "diplokg"), "build", str(corpus), "--store", str(store), *extra])


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
        store = work / "store"
        one = build(corpus, store)
        again = run([str(BIN / "diplokg"), "build", str(corpus), "--store", str(store)])
        little = build(small, store)
        two = build(corpus, store, "--workers", "2")
        dask = build(corpus, store, "--dask", "local", "--workers", "2")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mb = 2**20
    rows = [
        ("1 process", args.docs, one),
        ("1 process", args.small, little),
        ("`--workers 2`", args.docs, two),
        ("`--dask local --workers 2` (a LocalCluster)", args.docs, dask),
        ("1 process, the same corpus again (nothing to extract)", args.docs, again),
    ]
    body = header(
        "build_scale",
        f"`diplokg build` of {args.docs} and {args.small} generated reports (`bench/generate.py`), "
        "each into a fresh store, a separate process timed from its start (Python, imports and "
        "the model included).",
    )
    body += "\n" + table(
        ["build", "documents", "seconds", "docs/s", "speed-up on 1 process", "peak memory MB"],
        [
            (name, n, f"{r.seconds:.1f}", f"{n / r.seconds:.1f}",
             f"{one.seconds / r.seconds:.2f}" if n == args.docs else "", f"{r.tree_peak / mb:.0f}")
            for name, n, r in rows
        ],
    )  # fmt: skip
    speedup = one.seconds / two.seconds
    growth = one.tree_peak / little.tree_peak
    body += (
        f"\n2 workers against 1: **{speedup:.2f}×** (target ≥ 1.6: {verdict(speedup >= 1.6)}); "
        f"peak memory of {args.docs} against {args.small} documents: **{growth:.2f}×** "
        f"(target ≤ 1.2: {verdict(growth <= 1.2)}).\n"
    )
    publish("build_scale", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
