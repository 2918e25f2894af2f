"""`diplokg eval`: read the inputs, run the extractor over them with progress, print and write."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.evaluate.cameo_data import CameoData, CameoError, load_cameo
from kg.evaluate.gold import Gold, GoldError, load_gold
from kg.evaluate.halves import Half, half_of
from kg.evaluate.plover import PloverError, PloverRecord, load_plover
from kg.evaluate.report import markdown, print_report, to_json
from kg.evaluate.tables import Results
from kg.records import Document

if TYPE_CHECKING:
    from spacy.language import Language


class EvalError(Exception):
    """Bad input to `diplokg eval`: one line saying what and where."""


@dataclass(frozen=True)
class EvalRequest:
    gold: tuple[Path, ...] = ()
    plover: Path | None = None
    cameo: tuple[Path, Path] | None = None
    half: Half | None = None
    json_out: Path | None = None
    report: Path | None = None
    model: str | None = None
    misses: int | None = 10

    def command(self) -> str:
        """The command line that reproduces this run (shown in the report)."""
        args = ["diplokg", "eval", *(str(g) for g in self.gold)]
        if self.plover is not None:
            args += ["--plover", str(self.plover)]
        if self.cameo is not None:
            args += ["--cameo", *(str(p) for p in self.cameo)]
        for flag, value in (
            ("--half", self.half.value if self.half else None),
            ("--model", self.model),
            ("--misses", None if self.misses == 10 else (self.misses or "all")),
            ("--json", self.json_out),
            ("--report", self.report),
        ):
            if value is not None:
                args += [flag, str(value)]
        return shlex.join(args)


def _inputs(
    request: EvalRequest,
) -> tuple[list[tuple[Gold, Document]], list[PloverRecord] | None, CameoData | None]:
    try:
        golds = [load_gold(path) for path in request.gold]
        records = load_plover(request.plover) if request.plover is not None else None
        cameo = load_cameo(*request.cameo) if request.cameo is not None else None
    except (GoldError, PloverError, CameoError) as err:
        raise EvalError(str(err)) from None
    if request.half is not None:
        golds = [(g, d) for g, d in golds if half_of(g.id) is request.half]
        if request.gold and not golds:
            raise EvalError(f"--half {request.half.value}: none of the gold files is in that half")
    return golds, records, cameo


def _pipeline(model: str | None) -> Language:
    from kg.nlp import ModelError, load_pipeline

    try:
        return load_pipeline(model)
    except ModelError as error:
        raise EvalError(str(error)) from None


def run(request: EvalRequest, out: Console, err: Console) -> Results:
    """Score what the request names, print the tables and misses, write the JSON and report.

    Every input is read and checked before the pipeline loads: bad input fails at once."""
    from kg.evaluate.run import model_info, run_cameo, run_gold, run_plover

    if not request.gold and request.plover is None and request.cameo is None:
        raise EvalError("nothing to score: give gold files, --plover FILE and/or --cameo TSV NER")
    golds, records, cameo = _inputs(request)
    nlp = _pipeline(request.model)
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not err.is_terminal,
    )
    with progress:

        def step(name: str, total: int) -> Callable[[], None]:
            task = progress.add_task(name, total=total)
            return lambda: progress.advance(task)

        results = Results(
            gold=run_gold(golds, nlp, step("gold documents", len(golds))) if golds else None,
            plover=run_plover(records, nlp, step("PLOVER", len(records))) if records else None,
            cameo=run_cameo(cameo, nlp, step("CAMEO", len(cameo.texts()))) if cameo else None,
        )
    print_report(out, results, request.misses)
    texts = [d.text for _, d in golds]
    texts += [r.text for r in records or ()]
    texts += cameo.texts() if cameo is not None else []
    info = model_info(nlp)
    try:
        if request.json_out is not None:
            payload = to_json(command=request.command(), model=info, results=results)
            text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
            request.json_out.write_text(text, encoding="utf-8")
        if request.report is not None:
            report = markdown(
                command=request.command(),
                model=info,
                results=results,
                misses=request.misses,
                texts=texts,
            )
            request.report.write_text(report, encoding="utf-8")
    except OSError as error:
        raise EvalError(f"cannot write {error.filename}: {error.strerror}") from None
    for path in (request.json_out, request.report):
        if path is not None:
            err.print(f"wrote {path}", highlight=False)
    return results
