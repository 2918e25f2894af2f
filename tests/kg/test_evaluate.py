"""The evaluation: scoring rules on hand-built records, then `diplokg eval` on the real pipeline."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.evaluate import (
    GoldError,
    GoldSummary,
    fold,
    load_gold,
    parse_gold,
    plover_record,
    score_document,
    score_plover,
)
from kg.evaluate.metrics import find_sentence
from kg.evaluate.plover import (
    actor_countries,
    category_of,
    choose_event,
    event_category,
    is_iso3,
    load_plover,
)
from kg.evaluate.report import markdown, to_json
from kg.evaluate.tables import Results
from kg.extract.dates import parse_value
from kg.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Mention,
    Participant,
    Place,
    Post,
    Role,
    TimeValue,
)

SHARED = Path(os.environ.get("DIPLOKG_SHARED", Path(__file__).resolve().parents[3] / "shared"))
GOLD_FILE = SHARED / "gold" / "korea-olympics-2018.json"
GSR = SHARED / "benchmarks" / "plover_gsr" / "gsr.jsonl"

TEXT = (
    "North Korea and South Korea met at Panmunjom on 9 January 2018. "
    "Kim Jong-un offered talks. Moon Jae-in accepted."
)
SENTENCE = Mention(0, 63, TEXT[:63])


# --- builders ----------------------------------------------------------------------------------


def state(iso3: str, label: str, *aliases: str) -> Actor:
    return Actor(id=iso3, kind="State", label=label, aliases=aliases, iso3=iso3)


def person(actor_id: str, label: str, *aliases: str) -> Actor:
    return Actor(id=actor_id, kind="Person", label=label, aliases=aliases)


def event(
    kind: str,
    *who: tuple[str, Role],
    modality: Any = None,
    date: TimeValue | None = None,
    place: str | None = None,
    confidence: float = 0.5,
) -> Event:
    return Event(
        kind=kind,
        participants=tuple(Participant(a, r) for a, r in who),
        mention=SENTENCE,
        trigger=kind.lower(),
        modality=modality,
        date=date,
        place=place,
        confidence=confidence,
    )


def extraction(
    *,
    actors: tuple[Actor, ...] = (),
    events: tuple[Event, ...] = (),
    posts: tuple[Post, ...] = (),
    places: tuple[Place, ...] = (),
    text: str = TEXT,
) -> Extraction:
    doc = Document(id="d", text=text, date=dt.date(2018, 1, 12))
    return Extraction(document=doc, actors=actors, events=events, posts=posts, places=places)


KOREAS = (
    state("PRK", "North Korea", "North"),
    state("KOR", "South Korea"),
)


def gold(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "d",
        "file": "d.txt",
        "date": "2018-01-12",
        "actors": [
            {"key": "prk", "type": "State", "names": ["North Korea", "DPRK"]},
            {"key": "kor", "type": "State", "names": ["South Korea", "ROK"]},
            {"key": "kim", "type": "Person", "names": ["Kim Jong-un", "Kim Jong Un"]},
            {"key": "moon", "type": "Person", "names": ["Moon Jae-in"], "required": False},
        ],
        "events": [],
    }
    base.update(fields)
    return base


def meeting_gold(**extra: Any) -> dict[str, Any]:
    return {"key": "talks", "types": ["Consult"], "participants": [["prk"], ["kor"]], **extra}


BOTH: tuple[tuple[str, Role], ...] = (("PRK", "participant"), ("KOR", "participant"))


# --- names and actors --------------------------------------------------------------------------


def test_fold_ignores_case_hyphens_dots_and_whitespace() -> None:
    assert fold("Kim Jong-un") == fold("kim jong un") == fold("KimJong\u2010Un")
    assert fold("U.S.") == fold("US") == fold("u. s")
    assert fold("Moon-Jae In") == fold("Moon Jae-in")
    assert fold("Kim") != fold("Kim Jong Un")


def test_actors_match_by_label_or_alias_and_optional_ones_count_for_precision() -> None:
    actors = (
        state("PRK", "Pyongyang regime", "DPRK"),  # matches by alias
        person("kim-jong-un", "KIM JONG-UN"),  # by folded label
        person("moon-jae-in", "Moon Jae In"),  # optional gold actor: fine for precision
        person("someone", "Someone Else"),
    )
    result = score_document(gold(), extraction(actors=actors))
    assert (result.actors.correct, result.actors.predicted) == (3, 4)
    assert (result.actors.found, result.actors.gold) == (2, 3)  # kor missed; moon not required
    kinds = [m.kind for m in result.misses]
    assert kinds.count("actor") == 1 and kinds.count("spurious actor") == 1
    missed = next(m for m in result.misses if m.kind == "actor")
    assert missed.what.startswith("kor") and missed.sentence.startswith("North Korea and South")


def test_not_actors_are_reported_when_they_become_actors() -> None:
    actors = (*KOREAS, Actor(id="panmunjom", kind="Organization", label="Panmunjom"))
    result = score_document(gold(not_actors=["Panmunjom", "DMZ"]), extraction(actors=actors))
    assert result.not_actors == ("Panmunjom",)
    assert any(m.kind == "not actor" and m.what == "Panmunjom" for m in result.misses)


# --- events ------------------------------------------------------------------------------------


def test_a_subclass_of_an_accepted_class_is_accepted_not_the_reverse() -> None:
    found = score_document(
        gold(events=[meeting_gold()]), extraction(actors=KOREAS, events=(event("Meeting", *BOTH),))
    )
    assert (found.events.found, found.events.correct, found.events.predicted) == (1, 1, 1)
    narrower = meeting_gold(types=["Meeting"])
    missed = score_document(
        gold(events=[narrower]), extraction(actors=KOREAS, events=(event("Consult", *BOTH),))
    )
    assert (missed.events.found, missed.events.correct, missed.events.predicted) == (0, 0, 1)
    assert {"event", "false event"} <= {m.kind for m in missed.misses}


def test_participant_slots_are_filled_by_any_role_through_actor_matching() -> None:
    actors = (*KOREAS, person("kim-jong-un", "Kim Jong-Un"))
    slots = {"key": "offer", "types": ["Request"], "participants": [["kim", "prk"], ["kor"]]}
    ok = event("Request", ("kim-jong-un", "recipient"), ("KOR", "initiator"))
    half = event("Request", ("kim-jong-un", "initiator"))
    result = score_document(gold(events=[slots]), extraction(actors=actors, events=(ok, half)))
    assert (result.events.found, result.events.correct, result.events.predicted) == (1, 1, 2)
    false = next(m for m in result.misses if m.kind == "false event")
    assert "kim" in false.detail and "offer" in false.detail


def test_optional_gold_events_count_for_neither_side() -> None:
    events = [meeting_gold(required=False), {"types": ["Reject"], "participants": [["kor"]]}]
    result = score_document(
        gold(events=events), extraction(actors=KOREAS, events=(event("Meeting", *BOTH),))
    )
    assert (result.events.correct, result.events.predicted) == (0, 0)
    assert (result.events.found, result.events.gold) == (0, 1)
    assert result.events.precision is None and result.events.recall == 0.0


def test_forbidden_events_are_false_positives_whatever_else_they_match() -> None:
    forbidden = [{"types": ["Agree"], "participants": [["prk"]], "why": "failed to agree"}]
    agreement = {"key": "deal", "types": ["Agreement"], "participants": [["prk"], ["kor"]]}
    result = score_document(
        gold(events=[agreement], forbidden=forbidden),
        extraction(actors=KOREAS, events=(event("Agreement", *BOTH),)),
    )
    assert (result.events.correct, result.events.predicted, result.events.found) == (0, 1, 0)
    assert result.forbidden == 1
    false = next(m for m in result.misses if m.kind == "forbidden event")
    assert "forbidden" in false.detail and "failed to agree" in false.quote
    assert "failed to agree" not in false.detail  # the gold's reason stays out of the report
    summary = GoldSummary((result, result))
    assert summary.total().forbidden == 2 and summary.only(["nope"]).total().forbidden == 0


def test_events_that_are_not_asserted_are_neither_counted_nor_penalised() -> None:
    forbidden = [{"types": ["Agree"], "participants": [["prk"]]}]
    events = (
        event("Meeting", *BOTH, modality="Future"),
        event("Agreement", *BOTH, modality="Negated"),
        event("Reject", ("PRK", "initiator"), modality="Hypothetical"),
    )
    result = score_document(
        gold(events=[meeting_gold(evidence="met at Panmunjom")], forbidden=forbidden),
        extraction(actors=KOREAS, events=events),
    )
    assert (result.events.correct, result.events.predicted) == (0, 0)
    assert (result.events.found, result.events.gold) == (0, 1)
    missed = next(m for m in result.misses if m.kind == "event")
    assert "Meeting" in missed.detail  # what was predicted there, non-asserted included


def test_missed_event_shows_the_sentence_of_its_evidence() -> None:
    g = gold(events=[meeting_gold(evidence="Kim Jong‐un offered talks")])
    missed = score_document(g, extraction(actors=KOREAS)).misses
    assert [m.sentence for m in missed if m.kind == "event"] == ["Kim Jong-un offered talks."]
    assert find_sentence(TEXT, "Moon Jae-in accepted") == "Moon Jae-in accepted."


def test_dates_and_places_over_matched_events_that_give_one() -> None:
    events_gold = [
        meeting_gold(date="2018-01-09", place=["Panmunjom", "DMZ"]),
        {"key": "deal", "types": ["Agree"], "participants": [["prk"]], "date": "2018-01"},
        {"key": "other", "types": ["Reject"], "participants": [["kor"]], "date": "2018"},
    ]
    events = (
        event("Meeting", *BOTH, date=parse_value("2018-01-09"), place="panmunjom"),
        event("Agreement", *BOTH, date=parse_value("2018-01-09")),  # wrong precision
    )
    places = (Place(id="panmunjom", label="PANMUNJOM"),)
    result = score_document(
        gold(events=events_gold), extraction(actors=KOREAS, events=events, places=places)
    )
    assert (result.dates.correct, result.dates.total) == (1, 2)  # "other" was not matched
    assert (result.places.correct, result.places.total) == (1, 1)
    date_miss = next(m for m in result.misses if m.kind == "date")
    assert date_miss.what == "deal: 2018-01" and "2018-01-09" in date_miss.detail


def test_a_date_is_judged_on_the_predictions_told_in_its_own_sentence() -> None:
    """One prediction fitting two gold events is paired with the one its sentence tells: the
    meeting recalled in another sentence is not judged on the date of this one."""
    text = "The two Koreas met on 9 January 2018. They had last met in a hotel in 2015."
    events_gold = [
        meeting_gold(key="talks", date="2018-01-09", evidence="met on 9 January 2018"),
        meeting_gold(
            key="earlier", date="2015", evidence="had last met in a hotel", required=False
        ),
    ]
    told = Event(
        kind="Meeting",
        participants=tuple(Participant(a, r) for a, r in BOTH),
        mention=Mention(0, 37, text[:37]),
        date=parse_value("2018-01-09"),
    )
    result = score_document(
        gold(events=events_gold), extraction(actors=KOREAS, events=(told,), text=text)
    )
    assert (result.dates.correct, result.dates.total) == (1, 1)
    assert result.events.found == 1  # both still found: pairing only decides whose date it is
    # told in neither sentence, it is judged against both
    elsewhere = Event(
        kind="Meeting",
        participants=told.participants,
        mention=Mention(38, 74, text[38:]),
        date=parse_value("2018-01-09"),
    )
    text2 = text + " They met."
    result = score_document(
        gold(events=[{**g, "evidence": ""} for g in events_gold]),
        extraction(actors=KOREAS, events=(elsewhere,), text=text2),
    )
    assert (result.dates.correct, result.dates.total) == (1, 2)


def test_posts_need_holder_title_word_and_the_state() -> None:
    actors = (*KOREAS, person("kim-jong-un", "Kim Jong Un"), person("moon-jae-in", "Moon Jae-in"))
    posts_gold = [
        {"holder": "kim", "title": "leader", "of": ["prk"]},
        {"holder": "moon", "title": "President", "of": ["kor"]},
    ]
    posts = (
        Post("kim-jong-un", "Supreme Leader", "PRK", SENTENCE),
        Post("moon-jae-in", "President", None, SENTENCE),  # no in_actor: no match
    )
    result = score_document(gold(posts=posts_gold), extraction(actors=actors, posts=posts))
    assert (result.posts.found, result.posts.gold) == (1, 2)
    assert (result.posts.correct, result.posts.predicted) == (1, 2)
    missed = next(m for m in result.misses if m.kind == "post")
    assert missed.what.startswith("moon") and "President of none" in missed.detail


def test_gold_files_are_checked() -> None:
    with pytest.raises(GoldError, match="unknown event class"):
        parse_gold(gold(events=[{"types": ["Meting"], "participants": []}]))
    with pytest.raises(GoldError, match="unknown actor key"):
        parse_gold(gold(events=[{"types": ["Meeting"], "participants": [["nobody"]]}]))
    with pytest.raises(GoldError, match="holder"):
        parse_gold(gold(posts=[{"holder": "nobody", "title": "x", "of": []}]))


def test_load_gold_reads_the_text_relative_to_the_gold_file(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "d.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "gold" / "d.json"
    path.parent.mkdir()
    path.write_text(json.dumps(gold(file="../texts/d.txt")), encoding="utf-8")
    g, doc = load_gold(path)
    assert (doc.id, doc.text, doc.date) == ("d", TEXT, dt.date(2018, 1, 12))
    assert g.actors[0].names == ("North Korea", "DPRK")
    with pytest.raises(GoldError, match="cannot read its text"):
        path.write_text(json.dumps(gold(file="missing.txt")), encoding="utf-8")
        load_gold(path)


# --- PLOVER ------------------------------------------------------------------------------------


def record(code: str, source: list[str], target: list[str] | None = None, **extra: Any) -> Any:
    return plover_record(
        {
            "id": extra.get("id", f"R-{code}"),
            "text": "Some sentence.",
            "date": "2000-01-01",
            "events": [
                {
                    "code": code,
                    "source": [{"actorText": c.lower(), "code": c} for c in source],
                    "target": [{"actorText": c.lower(), "code": c} for c in target or []],
                }
            ],
        }
    )


def test_old_plover_labels_are_mapped_and_investigate_is_left_out() -> None:
    assert category_of("DEMAND") == "Request"
    assert category_of("DISAPPROVE") == "Accuse"
    assert category_of("FIGHT") == "Assault"
    assert category_of("AGREE") == "Agree"
    assert category_of("INVESTIGATE") is None
    assert event_category(event("Meeting")) == "Consult"
    assert event_category(event("Agreement")) == "Agree"


def test_iso_codes_are_checked_with_pycountry() -> None:
    assert is_iso3("USA") and is_iso3("JPN") and is_iso3("PSE")
    assert not is_iso3("JAP") and not is_iso3("IGO") and not is_iso3("ITL")
    r = plover_record(
        {
            "id": "x",
            "text": "t",
            "events": [
                {
                    "code": "AGREE",
                    "source": [{"actorText": "APEC", "code": "IGO"}],
                    "target": [{"raw": "diplomatic"}],
                }
            ],
        }
    )
    assert (r.source, r.source_iso, r.target) == (("IGO",), (), ())


def test_plover_category_accuracy_counts_subclasses_and_every_modality() -> None:
    records = [
        record("CONSULT", ["USA"]),
        record("DEMAND", ["USA"]),
        record("AGREE", ["USA"]),
        record("INVESTIGATE", ["USA"]),
    ]
    extractions = [
        extraction(events=(event("Meeting", ("USA", "participant")),)),
        extraction(events=(event("Request", ("USA", "initiator"), modality="Future"),)),
        extraction(events=(event("Reject"), event("Concede"))),
        extraction(events=(event("Accuse"),)),
    ]
    result = score_plover(records, extractions)
    assert (result.category.correct, result.category.total) == (2, 3)
    assert result.events == 5 and result.events_per_sentence == 5 / 4
    rows = {r.category: r for r in result.per_category}
    assert (rows["Request"].n, rows["Request"].correct, rows["Request"].precision) == (1, 1, 1.0)
    assert rows["Reject"].predicted == 1 and rows["Reject"].precision == 0.0
    assert dict(rows["Agree"].confusion) == {"Reject": 1, "Concede": 1}
    assert [s.label for s in result.separate] == ["INVESTIGATE"]
    assert (result.separate[0].n, result.separate[0].with_events) == (1, 1)
    assert ("Agree", "Concede", 1) in result.confusions
    miss = next(m for m in result.misses if m.kind == "category")
    assert miss.source == "R-AGREE" and "Reject" in miss.detail


def test_initiator_country_reads_states_and_persons_through_their_posts() -> None:
    records = [record("ACCUSE", ["KOR"], ["PRK"]) for _ in range(3)] + [
        record("ACCUSE", ["IGO"], ["PRK"])
    ]
    moon = person("moon", "Moon Jae-in")
    un = Actor(id="un", kind="Organization", label="United Nations")
    via_post = extraction(
        actors=(*KOREAS, moon),
        posts=(Post("moon", "President", "KOR", SENTENCE),),
        events=(event("Accuse", ("moon", "initiator"), ("PRK", "recipient")),),
    )
    via_org_post = extraction(
        actors=(*KOREAS, moon, un),
        posts=(Post("moon", "Envoy", "un", SENTENCE),),
        events=(event("Accuse", ("moon", "initiator"), ("PRK", "recipient")),),
    )
    reversed_roles = extraction(
        actors=KOREAS, events=(event("Accuse", ("PRK", "initiator"), ("KOR", "recipient")),)
    )
    result = score_plover(records, [via_post, via_org_post, reversed_roles, via_post])
    assert actor_countries(via_post)["moon"] == frozenset({"KOR"})
    assert actor_countries(via_org_post)["moon"] == frozenset()
    assert [r.initiator_correct for r in result.records] == [True, False, False, None]
    assert [r.recipient_correct for r in result.records] == [True, True, False, True]
    assert (result.initiator.correct, result.initiator.total) == (1, 3)
    assert (result.recipient.correct, result.recipient.total) == (3, 4)
    assert sum(m.kind == "initiator" for m in result.misses) == 2


def test_symmetric_events_count_their_participants_on_both_sides() -> None:
    result = score_plover(
        [record("AGREE", ["KOR"], ["PRK"])],
        [extraction(actors=KOREAS, events=(event("Agreement", *BOTH),))],
    )
    (r,) = result.records
    assert r.initiator_correct and r.recipient_correct


def test_countries_come_from_the_event_of_the_gold_category_else_the_most_confident() -> None:
    accuse = event("Accuse", ("PRK", "initiator"), confidence=0.4)
    threat = event("Threaten", ("KOR", "initiator"), confidence=0.9)
    assert choose_event([threat, accuse], "Accuse") is accuse
    assert choose_event([accuse, threat], "Reject") is threat
    assert choose_event([], "Reject") is None
    result = score_plover(
        [record("ACCUSE", ["PRK"])], [extraction(actors=KOREAS, events=(threat, accuse))]
    )
    assert result.records[0].initiators == ("PRK",)


def test_report_and_json_carry_the_command_and_the_attribution() -> None:
    g = GoldSummary((score_document(gold(events=[meeting_gold()]), extraction(actors=KOREAS)),))
    p = score_plover([record("AGREE", ["USA"])], [extraction()])
    info = {"name": "en_test", "version": "0", "spacy": "3", "diplokg": "0.1.0"}
    results = Results(gold=g, plover=p)
    text = markdown(command="diplokg eval x.json", model=info, results=results, misses=1)
    assert "diplokg eval x.json" in text and "generated" in text
    assert "CC" in text or "Creative Commons" in text
    assert "Open Event Data Alliance" in text
    assert "Some sentence." not in text and "Kim Jong-un offered talks" not in text  # no quotes
    assert "[R-AGREE]" in text  # misses by id
    payload = to_json(command="diplokg eval x.json", model=info, results=results)
    again = json.loads(json.dumps(payload))
    assert again["gold"]["overall"]["events"]["recall"] == 0.0
    assert again["plover"]["category_accuracy"] == {"correct": 0, "total": 1, "value": 0.0}


# --- the command -------------------------------------------------------------------------------

runner = CliRunner()


def test_eval_without_inputs_or_with_a_bad_gold_file_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval"])
    assert result.exit_code == 1 and "nothing to score" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == 1 and "not JSON" in result.output
    result = runner.invoke(app, ["eval", str(bad), "--misses", "some"])
    assert result.exit_code == 1 and "--misses" in result.output


def test_eval_runs_the_pipeline_on_the_sample_gold_and_plover_records(tmp_path: Path) -> None:
    assert GOLD_FILE.is_file(), f"gold expected at {GOLD_FILE} (set DIPLOKG_SHARED)"
    lines = GSR.read_text(encoding="utf-8").splitlines()
    investigate = [ln for ln in lines if '"INVESTIGATE"' in ln][:1]
    subset = tmp_path / "gsr.jsonl"
    subset.write_text("\n".join(lines[:12] + investigate) + "\n", encoding="utf-8")
    assert len(load_plover(subset)) == 13
    out, report = tmp_path / "eval.json", tmp_path / "quality.md"
    args = ["eval", str(GOLD_FILE), "--plover", str(subset), "--misses", "2"]
    result = runner.invoke(app, [*args, "--json", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Targets" in result.output and "per category" in result.output

    data = json.loads(out.read_text(encoding="utf-8"))
    overall = data["gold"]["overall"]
    for measure in ("actors", "events", "posts"):
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= overall[measure][key] <= 1.0
    assert overall["actors"]["gold"] >= 10 and overall["posts"]["gold"] == 6
    assert 0.0 <= overall["dates"]["value"] <= 1.0
    assert data["gold"]["documents"][0]["id"] == "korea-olympics-2018"
    plover = data["plover"]
    assert plover["records"] == 13 and plover["category_accuracy"]["total"] == 12
    assert 0.0 <= plover["category_accuracy"]["value"] <= 1.0
    assert 0.0 < plover["events_per_sentence"] < 10
    assert plover["separate"][0]["label"] == "INVESTIGATE"
    assert len(plover["details"]) == 13
    assert all({"kind", "source", "sentence"} <= set(m) for m in plover["misses"])
    assert data["model"]["name"] and data["command"].startswith("diplokg eval ")

    text = report.read_text(encoding="utf-8")
    assert f"diplokg eval {GOLD_FILE} --plover {subset} --misses 2" in text
    assert "generated" in text and data["model"]["name"] in text
    for heading in (
        "Targets",
        "Gold documents: overall",
        "Gold documents: per document",
        "PLOVER: per category",
        "PLOVER: most common confusions",
        "INVESTIGATE",
        "Open Event Data Alliance",
        "## Misses",
    ):
        assert heading in text
    assert "| actors |" in text and "| korea-olympics-2018 | A |" in text
    assert "Gold documents: by half" in text
    # the committed report quotes neither the gold document nor the PLOVER sentences
    words = re.findall(r"[a-z0-9]+", text.lower())
    written = {tuple(words[i : i + 7]) for i in range(len(words) - 6)}
    sources = [(SHARED / "corpus" / "korea-olympics-2018.txt").read_text(encoding="utf-8")]
    sources += [r.text for r in load_plover(subset)]
    for source in sources:
        theirs = re.findall(r"[a-z0-9]+", source.lower())
        assert not {tuple(theirs[i : i + 7]) for i in range(len(theirs) - 6)} & written
