"""Extraction cost against document length: time per 1,000 tokens from 1k to 1M characters.

    python bench/extract_linear.py [--sizes 1000,10000,100000] [--timeout 900] [--write bench/RESULTS.md]

One document per size, cut at a sentence end from the generated reports run together as one
long story. Each size runs in its own process (pipeline loaded first, then timed): diplokg's
`extract` of the document, and bare spaCy (`spacy.load(model)`, `nlp(text)`) as the anchor.
Linear cost is a flat time per 1,000 tokens; the table gives each size's against the smallest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import documents
from results import header, publish, table, verdict

#: Time per 1,000 tokens at the largest size may be this many times the smallest's.
FLAT = 1.5


def long_text(chars: int, seed: int = 0) -> str:
    """Generated reports as paragraphs of one text, cut at the last sentence end before `chars`."""
    parts, total, n = [], 0, 0
    while total < chars:
        batch = list(documents(n + 200, seed))[n:]
        for doc in batch:
            parts.append(doc.text)
            total += len(doc.text) + 2
            if total >= chars:
                break
        n += 200
    text = "\n\n".join(parts)[:chars]
    return text[: text.rfind(".") + 1] or text


def child(path: Path) -> int:
    """Time one document, diplokg and bare spaCy, in this process; print JSON."""
    import datetime as dt

    import spacy

    from kg.extract import extract
    from kg.nlp import load_pipeline, resolve_model
    from kg.records import Document

    text = path.read_text(encoding="utf-8")
    bare = spacy.load(resolve_model())
    nlp = load_pipeline(None)
    document = Document(id="long", text=text, date=dt.date(2024, 6, 1))
    extract(Document(id="warm", text="The two ministers met in Lima on Monday."), nlp)
    runs = 3 if len(text) <= 100_000 else 1
    spacy_s, ours_s = [], []
    tokens = events = 0
    for _ in range(runs):
        started = time.perf_counter()
        tokens = len(bare(text))
        spacy_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        events = len(extract(document, nlp).events)
        ours_s.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "chars": len(text),
                "tokens": tokens,
                "events": events,
                "spacy": statistics.median(spacy_s),
                "diplokg": statistics.median(ours_s),
                "runs": runs,
            }
        )
    )
    return 0


def measure(size: int, workdir: Path, timeout: float) -> dict[str, float] | None:
    path = workdir / f"long-{size}.txt"
    path.write_text(long_text(size), encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as err:
        raise SystemExit(f"size {size}: {err.stderr[-1500:]}") from None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-linear-"))
    results: list[tuple[int, dict[str, float] | None]] = []
    try:
        for size in sizes:
            results.append((size, measure(size, workdir, args.timeout)))
            print(size, results[-1][1], file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def per_k(r: dict[str, float], key: str) -> float:
        return 1000 * 1000 * r[key] / r["tokens"]

    measured = [r for _, r in results if r is not None]
    base = measured[0] if measured else None
    rows = []
    for size, r in results:
        if r is None:
            rows.append((f"{size:,}", "—", "—", "—", f"> {args.timeout:.0f} s", "—", "—"))
            continue
        assert base is not None
        rows.append(
            (
                f"{int(r['chars']):,}",
                f"{int(r['tokens']):,}",
                f"{r['spacy']:.2f}",
                f"{per_k(r, 'spacy'):.1f}",
                f"{r['diplokg']:.2f}",
                f"{per_k(r, 'diplokg'):.1f}",
                f"{per_k(r, 'diplokg') / per_k(base, 'diplokg'):.2f}",
            )
        )
    growth = (
        per_k(measured[-1], "diplokg") / per_k(measured[0], "diplokg")
        if len(measured) > 1
        else float("nan")
    )
    flat = len(measured) == len(results) and growth <= FLAT
    body = "\n".join(
        [
            header(
                f"Extraction against document length (up to {max(sizes):,} characters)",
                "One document per size (generated reports run together); diplokg's `extract` "
                "and bare spaCy's `nlp(text)` in the same process, pipeline loaded first "
                "(median of 3 runs up to 100k characters, 1 above).",
            ),
            table(
                (
                    "characters",
                    "tokens",
                    "spaCy s",
                    "spaCy ms / 1k tokens",
                    "diplokg s",
                    "diplokg ms / 1k tokens",
                    "vs smallest",
                ),
                rows,
            ),
            f"Target: time per 1,000 tokens flat (largest ≤ {FLAT}× smallest): "
            f"{verdict(flat)} (×{growth:.2f}).",
        ]
    )
    publish(f"extract_linear {max(sizes)}", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
