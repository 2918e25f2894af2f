"""What every benchmark shares: the machine header, medians of runs, and RESULTS.md sections.

A benchmark builds its markdown body, then `write_section(path, name, body)` replaces the block
between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appended when missing), so each script
owns its section and re-running one leaves the others as they are. Import it from a script in
`bench/` as `from results import ...` (the script's folder is on `sys.path`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
BIN = Path(sys.executable).parent

INTRO = """# Benchmark results

Each section below is rewritten by the script it names (`make bench` runs the quick set,
`make bench-full` everything). Ratios compare diplokg with an anchor measured in the same run on
the same machine: bare spaCy for extraction, Oxigraph's own loader and server for loading and
queries. Figures are medians of several runs, with the minimum and maximum. The development
machine is shared (2 cores, other jobs running): the final figures are to be re-measured on a
quiet machine.
"""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def memory_total() -> int:
    """Bytes of physical memory."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def machine() -> str:
    """One line: cores, memory, load, versions, date, commit."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores, {memory_total() / 2**30:.1f} GiB, load {load:.1f} at start; "
        f"Python {platform.python_version()}, spaCy {_version('spacy')}, "
        f"pyoxigraph {_version('pyoxigraph')}, oxigraph {_version('oxigraph')}; "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {commit()}"
    )


def command(argv: Sequence[str] | None = None) -> str:
    """The exact command that ran this script, as one would type it from the repository root."""
    args = list(sys.argv if argv is None else argv)
    script = Path(args[0]).resolve()
    try:
        shown = str(script.relative_to(ROOT))
    except ValueError:
        shown = str(script)
    return shlex.join(["python", shown, *args[1:]])


def header(title: str, what: str) -> str:
    """The section's heading, machine line and command."""
    return f"## {title}\n\n{what}\n\n- machine: {machine()}\n- command: `{command()}`\n"


@dataclass(frozen=True)
class Spread:
    """The median of several runs with their minimum and maximum."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            raise ValueError("no runs to summarise")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def show(self, fmt: str = ".2f", unit: str = "") -> str:
        return f"{self.median:{fmt}}{unit} ({self.low:{fmt}}–{self.high:{fmt}}{unit}, {self.runs} runs)"


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by the nearest-rank method (p99 of 100 values is the 99th)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered) - 1e-9)))
    return ordered[rank - 1]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace the section `name` of the results file with `body` (append it if new)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.is_file() else INTRO
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def publish(name: str, body: str, write: Path | None) -> None:
    """Print the section and, when asked, write it into the results file."""
    print(body)
    if write is not None:
        write_section(name, body, write)
        print(f"wrote section {name!r} of {write}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """`python bench/results.py wrap NAME -- CMD ...`: run a benchmark that prints its markdown
    and put that output, under the machine line and the command, into section NAME."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 4 or args[0] != "wrap" or args[2] != "--":
        print(main.__doc__, file=sys.stderr)
        return 2
    name, cmd = args[1], args[3:]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    shown = command(cmd[1:]) if Path(cmd[0]).name.startswith("python") else shlex.join(cmd)
    body = f"{done.stdout.strip()}\n\n- machine: {machine()}\n- command: `{shown}`"
    if done.returncode:
        body += f" (exit status {done.returncode})"
    write_section(name, body + "\n")
    print(done.stdout)
    return 0  # the section records a failing run; the other benchmarks still run


if __name__ == "__main__":
    raise SystemExit(main())
