"""The targets table (issue 7's "Done when"), the per-half tables and the quote-free report."""

from __future__ import annotations

import datetime as dt

from kg.evaluate.cameo import CameoResult, ClassRow, SpanResult
from kg.evaluate.gold import DocumentResult, GoldSummary
from kg.evaluate.metrics import Miss, Ratio, Score
from kg.evaluate.plover import PloverResult
from kg.evaluate.report import Redactor, markdown, to_json
from kg.evaluate.tables import Results, gold_tables, target_table, targets

INFO = {"name": "en_test", "version": "0", "spacy": "3", "diplokg": "0.1.0"}
SENTENCE = "The two envoys shook hands warmly in front of the cameras on Friday."


def document(doc_id: str, events: Score, *, forbidden: int = 0) -> DocumentResult:
    return DocumentResult(
        id=doc_id,
        actors=Score(19, 20, 19, 20),
        events=events,
        dates=Ratio(4, 5),
        places=Ratio(7, 10),
        posts=Score(9, 10, 9, 10),
        not_actors=(),
        misses=(
            Miss("event", doc_id, "handshake: Meeting (a + b)", SENTENCE, "nothing predicted"),
        ),
        forbidden=forbidden,
    )


def gold_summary(*, forbidden: int = 0) -> GoldSummary:
    return GoldSummary(
        (
            document("korea-olympics-2018", Score(8, 10, 8, 10)),  # half A: F1 0.80
            document("helsinki-2018", Score(7, 10, 7, 10), forbidden=forbidden),  # half B: 0.70
        )
    )


def cameo(
    macro: tuple[int, int], source: tuple[bool, ...], target: tuple[bool, ...]
) -> CameoResult:
    correct, total = macro
    rows = tuple(ClassRow(k, total, total, correct, correct) for k in range(5))
    spans = tuple(
        SpanResult(i, i, None, "", None, s, t, (), ())
        for i, (s, t) in enumerate(zip(source, target, strict=True))
    )
    misses = (Miss("class", "line 3", "gold 2 material cooperation, labelled 0", SENTENCE),)
    return CameoResult((), spans, rows, rows, 0, 0, 0, misses)


def plover(correct: int, total: int, events: int) -> PloverResult:
    return PloverResult(
        records=tuple(None for _ in range(total)),  # type: ignore[misc]
        category=Ratio(correct, total),
        events=events,
        initiator=Ratio(),
        recipient=Ratio(),
        per_category=(),
        separate=(),
        confusions=(),
        misses=(),
    )


def test_targets_are_those_of_issue_7_with_event_f1_per_half() -> None:
    results = Results(
        gold=gold_summary(forbidden=1),
        cameo=cameo((3, 4), (True,) * 4 + (False,), (True, True, False, False, False)),
        plover=plover(244, 313, 460),
    )
    found = {t.name: t for t in targets(results)}
    half_a = "gold half A (development, 1 documents): event F1"
    half_b = "gold half B (check, 1 documents): event F1"
    assert found[half_a].met and found[half_a].measured == "0.800"
    assert not found[half_b].met
    assert found["gold: dates of matched events"].met  # 8/10 ≥ 0.8
    assert found["gold: places of matched events"].met  # 14/20 ≥ 0.7
    assert found["gold: posts found (recall)"].met  # 18/20 ≥ 0.85
    assert not found["gold: forbidden events asserted"].met
    assert found["gold: forbidden events asserted"].measured == "1"
    assert found["gold: actor F1"].met  # 0.95 ≥ 0.93
    assert found["CAMEO: macro-F1"].met  # 0.75 ≥ 0.72
    assert found["CAMEO: source accuracy"].met  # 4/5
    assert not found["CAMEO: target accuracy"].met  # 2/5
    category = found["PLOVER: category accuracy"]
    assert not category.met and category.measured == "0.779 (244/313)"  # 0.7796: never "0.780"
    assert found["PLOVER: events per sentence"].met  # 460/313 = 1.47
    assert len(found) == 12
    rows = target_table(results).rows
    assert rows[0][0] == half_a and rows[0][3] == "yes" and rows[1][3] == "NO"


def test_without_forbidden_matches_that_target_is_met_and_halves_have_their_table() -> None:
    gold = gold_summary()
    found = {t.name: t for t in targets(Results(gold=gold))}
    assert found["gold: forbidden events asserted"].met
    titles = [t.title for t in gold_tables(gold)]
    assert titles == [
        "Gold documents: overall (2 documents)",
        "Gold documents: by half",
        "Gold documents: per document",
    ]
    by_half = gold_tables(gold)[1]
    assert by_half.headers[1].startswith("half A") and by_half.headers[3].startswith("all")
    assert by_half.rows[0] == ("event F1", "0.800", "0.700", "0.750")
    per_doc = gold_tables(gold)[2]
    assert [r[1] for r in per_doc.rows] == ["A", "B"]


def test_documents_outside_the_halves_get_one_overall_event_target() -> None:
    gold = GoldSummary((document("my-own-file", Score(1, 1, 1, 1)),))
    names = [t.name for t in targets(Results(gold=gold))]
    assert names[0] == "gold: event F1"
    assert [t.title for t in gold_tables(gold)][1] == "Gold documents: per document"


def test_the_markdown_report_quotes_no_sentence_but_json_keeps_them() -> None:
    results = Results(gold=gold_summary(), cameo=cameo((1, 2), (True,), (False,)))
    text = markdown(
        command="diplokg eval g.json",
        model=INFO,
        results=results,
        misses=5,
        date=dt.date(2020, 1, 1),
    )
    assert SENTENCE not in text and "shook hands" not in text
    assert "[korea-olympics-2018]" in text and "[line 3]" in text
    assert "### CAMEO: class (1)" in text and "ConfliBERT" in text and "GPL-3.0" in text
    assert "## CAMEO five-class sentences" in text and "CAMEO: confusion matrix" in text
    payload = to_json(command="diplokg eval g.json", model=INFO, results=results)
    assert payload["gold_misses"][0]["sentence"] == SENTENCE
    assert payload["cameo"]["misses"][0]["sentence"] == SENTENCE
    assert payload["halves"]["A"]["documents"] == ["korea-olympics-2018"]
    assert payload["halves"]["B"]["events"]["f1"] == 0.7


def test_the_redactor_cuts_seven_word_runs_of_the_texts_scored() -> None:
    redact = Redactor.of([SENTENCE])
    assert (
        redact("- **x** — «shook hands warmly» and more")
        == "- **x** — «shook hands warmly» and more"
    )
    cut = redact("before: The two envoys shook hands warmly in front: after")
    assert cut == "before: …: after"
    assert redact("two envoys shook hands warmly in front of the cameras") == "…"
    label = "two envoys shook hands warmly in front of"  # an actor named by a long phrase
    doc = document("d", Score())
    odd = DocumentResult(
        **{
            **doc.__dict__,
            "misses": (
                Miss("spurious actor", "d", f"{label} (Organization)", SENTENCE),
                Miss("false event", "d", "Meeting() «the two envoys shook hands»", SENTENCE),
            ),
        }
    )
    text = markdown(
        command="c",
        model=INFO,
        results=Results(gold=GoldSummary((odd,))),
        misses=None,
        texts=[SENTENCE],
    )
    assert label not in text and "- **… (Organization)** [d]" in text
    assert "«the two envoys…»" in text  # triggers shortened to three words
