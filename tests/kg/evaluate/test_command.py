"""`diplokg eval --cameo` and `--half` on the real pipeline, with files the test writes itself."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app

SHARED = Path(os.environ.get("DIPLOKG_SHARED", Path(__file__).resolve().parents[4] / "shared"))
runner = CliRunner()

CLASSES = [
    ("Norway and Chile signed a fishing agreement in Oslo on Monday.", 1),
    ("Russian troops attacked three villages in eastern Ukraine on Sunday.", 4),
    ("Egypt demanded that Ethiopia stop filling the dam.", 3),
    ("The weather in Lisbon stayed mild all week.", 0),
]
# token, tag: the second class sentence, tokenized; then one that is in no class line
SPANS = [
    [
        ("Russian", "B-S"),
        ("troops", "I-S"),
        ("attacked", "O"),
        ("three", "B-T"),
        ("villages", "I-T"),
        ("in", "I-T"),
        ("eastern", "I-T"),
        ("Ukraine", "I-T"),
        ("on", "O"),
        ("Sunday", "O"),
        (".", "O"),
    ],
    [
        ("Brazil", "B-S"),
        ("rejected", "O"),
        ("the", "O"),
        ("proposal", "O"),
        ("from", "O"),
        ("Argentina", "B-T"),
        (",", "O"),
        ("officials", "O"),
        ("said", "O"),
        (".", "O"),
    ],
]


def cameo_files(tmp_path: Path) -> tuple[Path, Path]:
    tsv, ner = tmp_path / "class.tsv", tmp_path / "ner.txt"
    tsv.write_text("".join(f"{t}\t{label}\n" for t, label in CLASSES), encoding="utf-8")
    blocks = ["\n".join(f"{tok} {tag}" for tok, tag in s) for s in SPANS]
    ner.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return tsv, ner


def runs(text: str, n: int = 7) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_eval_cameo_scores_classes_and_spans_and_writes_a_report(tmp_path: Path) -> None:
    tsv, ner = cameo_files(tmp_path)
    out, report = tmp_path / "eval.json", tmp_path / "quality.md"
    args = ["eval", "--cameo", str(tsv), str(ner), "--json", str(out), "--report", str(report)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "CAMEO five classes" in result.output and "confusion matrix" in result.output

    cameo = json.loads(out.read_text(encoding="utf-8"))["cameo"]
    assert (cameo["sentences"], cameo["span_sentences"]) == (4, 2)
    assert (cameo["aligned"], cameo["detokenized"]) == (1, 1)
    assert sum(map(sum, cameo["confusion"])) == 4
    details = cameo["details"]
    assert [d["line"] for d in details] == [1, 2, 3, 4]
    assert details[3]["label"] == 0  # nothing happens in the weather
    assert details[2]["label"] == 3 and details[2]["strict_label"] == 1  # a demand, a Request
    assert details[1]["label"] == 4  # an attack
    assert 0.0 <= cameo["macro_f1"] <= 1.0
    spans = cameo["span_details"]
    assert spans[0]["class_line"] == 2 and spans[0]["source_correct"] is True  # Russia, "Russian"
    assert spans[1]["class_line"] is None
    assert spans[1]["text"] == "Brazil rejected the proposal from Argentina, officials said."
    assert cameo["source_accuracy"]["total"] == 2 and cameo["target_accuracy"]["total"] == 2

    text = report.read_text(encoding="utf-8")
    assert f"--cameo {tsv} {ner}" in text
    assert "CAMEO: macro-F1" in text and "CAMEO: source accuracy" in text
    written = runs(text)
    for sentence, _ in CLASSES:
        assert not runs(sentence) & written, sentence  # no sentence is quoted in the report


def test_bad_cameo_input_fails_in_one_line_before_the_model_loads(tmp_path: Path) -> None:
    tsv, ner = cameo_files(tmp_path)
    tsv.write_text("A sentence.\t9\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--cameo", str(tsv), str(ner)])
    assert result.exit_code == 1 and "class.tsv:1: label '9'" in result.output
    result = runner.invoke(app, ["eval", "--cameo", str(tmp_path / "none.tsv"), str(ner)])
    assert result.exit_code == 1 and "cannot read" in result.output
    assert "Traceback" not in result.output


def test_half_scores_only_the_gold_documents_of_that_half(tmp_path: Path) -> None:
    sample, other = (
        SHARED / "gold" / "korea-olympics-2018.json",
        SHARED / "gold" / "helsinki-2018.json",
    )
    assert sample.is_file(), f"gold expected in {sample.parent} (set DIPLOKG_SHARED)"
    result = runner.invoke(app, ["eval", str(other), "--half", "A"])
    assert result.exit_code == 1 and "none of the gold files is in that half" in result.output

    out, report = tmp_path / "eval.json", tmp_path / "quality.md"
    args = [
        "eval",
        str(sample),
        str(other),
        "--half",
        "B",
        "--json",
        str(out),
        "--report",
        str(report),
    ]
    result = runner.invoke(app, [*args, "--misses", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data["gold"]["documents"]] == ["helsinki-2018"]
    assert list(data["halves"]) == ["B"]
    text = report.read_text(encoding="utf-8")
    assert "--half B" in text and "gold half B (check, 1 documents): event F1" in text
    assert "half A" not in text
    document = (SHARED / "corpus" / "helsinki-2018.txt").read_text(encoding="utf-8")
    assert not runs(document) & runs(text)  # misses give ids and classes, not the sentences
