"""Extraction throughput: `diplokg build` against bare spaCy over the same texts, same batch size.

    python bench/extract_speed.py [--docs 500] [--repeat 3] [--profile-docs 200] [--write bench/RESULTS.md]

Both sides run as the commands a user would type, on a generated corpus: the anchor is
`bench/bare_spacy.py` (`spacy.load(model)` with every component, `nlp.pipe` with the batch size
diplokg uses), diplokg is `diplokg build CORPUS --out graph.nq`. Each repeat runs the pair back to
back (in alternating order) and the ratio is taken within the pair. Tokens are the anchor's. A
cProfile of the same build, in process, gives the top costs.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import json
import pstats
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus
from procs import BIN, run
from results import Spread, header, publish, table, verdict

from kg.corpus import read_inputs
from kg.extract import extract_all
from kg.nlp import load_pipeline, resolve_model

HERE = Path(__file__).resolve().parent
TARGET, AIM = 0.8, 1.0


def batch_size() -> int:
    """The batch size `diplokg build` gives `nlp.pipe` (the default of `extract_all`)."""
    return int(inspect.signature(extract_all).parameters["batch_size"].default)


def paired_runs(corpus: Path, repeat: int, workdir: Path) -> list[dict[str, float]]:
    model, size = resolve_model(), batch_size()
    anchor_cmd = [sys.executable, str(HERE / "bare_spacy.py"), str(corpus), "--model", model,
                  "--batch-size", str(size)]  # fmt: skip
    out = workdir / "graph.nq"
    build_cmd = [str(BIN / "diplokg"), "build", str(corpus), "--out", str(out)]
    runs = []
    for number in range(repeat):
        order = ("anchor", "build") if number % 2 == 0 else ("build", "anchor")
        done = {name: run(anchor_cmd if name == "anchor" else build_cmd) for name in order}
        bare = json.loads(done["anchor"].stdout.strip().splitlines()[-1])
        runs.append(
            {
                "tokens": bare["tokens"],
                "anchor": done["anchor"].seconds,
                "anchor_parse": bare["parse_seconds"],
                "build": done["build"].seconds,
                "anchor_cpu": done["anchor"].cpu,
                "build_cpu": done["build"].cpu,
                "build_rss": done["build"].tree_peak,
                "anchor_rss": done["anchor"].tree_peak,
            }
        )
        out.unlink(missing_ok=True)
    return runs


def area(filename: str) -> str:
    """Which part of the work a profiled function belongs to: a kg module or a package."""
    path = filename.replace("\\", "/")
    if "/kg/extract/" in path:
        return "diplokg extraction (`kg/extract`)"
    if "/kg/" in path:
        return f"diplokg `kg/{path.split('/kg/', 1)[1].split('/')[0]}`"
    if "site-packages/" in path:
        return f"`{path.split('site-packages/', 1)[1].split('/')[0]}`"
    if path.startswith(("~", "<built-in", "<method")):
        return "built-ins (C calls, own time)"
    if not path.startswith(("/", "<")):  # Cython modules name their .pyx relative to the package
        return f"`{path.split('/')[0]}` (compiled)"
    if "/lib/python3" in path:  # the standard library, by module: `re` compiling is one
        return f"stdlib `{path.split('/lib/python3', 1)[1].split('/', 1)[-1]}`"
    return "other Python"


def profile(corpus: Path, docs: int, workdir: Path) -> str:
    """cProfile of the build's work in process (pipeline loaded first), top costs in markdown."""
    from kg.build import build

    items = list(read_inputs([corpus]))[:docs]
    load_pipeline(None)  # the call `build` makes, so the profile starts with it cached
    profiler = cProfile.Profile()
    profiler.enable()
    build(items, out=workdir / "profile.nq")
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in raw.items():
        by_area[area(filename)] += tottime
    areas = sorted(by_area.items(), key=lambda kv: -kv[1])[:12]
    area_rows = [(name, f"{t:.2f}", f"{100 * t / total:.0f}%") for name, t in areas]

    def name(key: tuple[str, int, str]) -> str:
        filename, line, func = key
        short = filename.split("site-packages/")[-1].split("/wt-")[-1]
        return f"`{func}` ({short.split('/', 1)[-1] if '/kg/' in filename else short}:{line})"

    own = sorted(raw.items(), key=lambda kv: -kv[1][2])[:12]
    own_rows = [(name(k), f"{v[2]:.2f}", f"{100 * v[2] / total:.0f}%", v[1]) for k, v in own]
    ours = [(k, v) for k, v in raw.items() if "/kg/" in k[0]]
    cumulative = sorted(ours, key=lambda kv: -kv[1][3])[:12]
    cum_rows = [(name(k), f"{v[3]:.2f}", f"{100 * v[3] / total:.0f}%", v[1]) for k, v in cumulative]
    return "\n".join(
        [
            f"Profile (cProfile, in process, {len(items)} documents, pipeline already loaded; "
            f"{total:.1f} s of profiled time, cProfile inflates Python-heavy code):",
            "",
            table(("where the time goes (own time)", "s", "share"), area_rows),
            table(("top functions by own time", "s", "share", "calls"), own_rows),
            table(("diplokg functions by cumulative time", "s", "share", "calls"), cum_rows),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile-docs", type=int, default=200, help="0: no profile")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path, help="rewrite this script's section of RESULTS.md")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-extract-"))
    try:
        corpus = workdir / "corpus.jsonl"
        words = write_corpus(corpus, args.docs, args.seed)
        runs = paired_runs(corpus, args.repeat, workdir)
        prof = profile(corpus, args.profile_docs, workdir) if args.profile_docs else ""
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    tokens = runs[0]["tokens"]
    anchor = Spread.of([tokens / r["anchor"] for r in runs])
    ours = Spread.of([tokens / r["build"] for r in runs])
    ratio = Spread.of([r["anchor"] / r["build"] for r in runs])
    parse_only = Spread.of([tokens / r["anchor_parse"] for r in runs])
    cpu_ratio = Spread.of([r["anchor_cpu"] / r["build_cpu"] for r in runs])
    anchor_cpu = Spread.of([tokens / r["anchor_cpu"] for r in runs])
    ours_cpu = Spread.of([tokens / r["build_cpu"] for r in runs])
    rows = [
        (
            "bare spaCy, whole command (anchor)",
            anchor.show(".0f"),
            "1.00",
            anchor_cpu.show(".0f"),
            "1.00",
        ),
        ("bare spaCy, `nlp.pipe` only (model loaded)", parse_only.show(".0f"), "—", "—", "—"),
        (
            "`diplokg build --out graph.nq`, whole command",
            ours.show(".0f"),
            ratio.show(),
            ours_cpu.show(".0f"),
            cpu_ratio.show(),
        ),
    ]
    mib = 2**20
    memory = Spread.of([r["build_rss"] / mib for r in runs])
    body = "\n".join(
        [
            header(
                f"Extraction: `diplokg build` against bare spaCy ({args.docs} documents)",
                f"{args.docs} generated reports (seed {args.seed}), {words} words, {tokens} "
                f"tokens; model `{resolve_model()}`, batch size {batch_size()} on both sides; "
                f"{args.repeat} paired runs.",
            ),
            table(
                (
                    "run",
                    "tokens/s (wall): median (min–max)",
                    "ratio to anchor",
                    "tokens per CPU second",
                    "CPU ratio",
                ),
                rows,
            ),
            f"Target ≥ {TARGET} of bare spaCy (aim ≥ {AIM}): {verdict(ratio.median >= TARGET)} "
            f"at **{ratio.median:.2f}** in wall time ({cpu_ratio.median:.2f} in CPU time, which "
            f"other jobs on the machine distort less). Peak RSS of the build: "
            f"{memory.show('.0f', ' MiB')}.",
            "",
            prof,
        ]
    )
    publish(f"extract_speed {args.docs}", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
