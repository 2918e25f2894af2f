"""The shared benchmark helper: sections rewritten in place, quantiles by nearest rank."""

from __future__ import annotations

from pathlib import Path

import pytest
import results


def test_a_section_is_appended_then_replaced_leaving_the_others(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    results.write_section("one", "## One\n\nfirst", path)
    results.write_section("two", "## Two\n\nsecond", path)
    results.write_section("one", "## One\n\nagain", path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(results.INTRO)
    assert "first" not in text and text.count("## One") == 1 and "again" in text
    assert text.index("## One") < text.index("## Two")  # replaced where it was
    assert text.count("<!-- bench:one -->") == 1 and text.count("<!-- /bench:two -->") == 1


def test_a_body_with_backslashes_is_written_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    results.write_section("x", "a", path)
    results.write_section("x", r"`\d+` and \1", path)
    assert r"`\d+` and \1" in path.read_text(encoding="utf-8")


def test_quantiles_and_spreads() -> None:
    values = [float(v) for v in range(1, 101)]
    assert results.quantile(values, 0.5) == 50
    assert results.quantile(values, 0.99) == 99
    assert results.quantile([3.0, 1.0, 2.0], 0.99) == 3
    spread = results.Spread.of([3.0, 1.0, 2.0])
    assert (spread.median, spread.low, spread.high, spread.runs) == (2.0, 1.0, 3.0, 3)
    assert spread.show(".1f", " s") == "2.0 s (1.0–3.0 s, 3 runs)"
    with pytest.raises(ValueError):
        results.quantile([], 0.5)
