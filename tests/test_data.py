"""Loading and validating data files: every bad record reported, none dropped."""

from __future__ import annotations

import json

import pytest

from stance.data import load_records, write_jsonl
from stance.errors import DataValidationError, InvalidInputError


def test_fixture_loads(fixtures_dir):
    recs = load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)
    assert len(recs) == 120
    assert {r.stance for r in recs} == {"threatening", "conciliatory", "neutral"}


def test_jsonl_reports_every_bad_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "1", "text": "a", "target": "b"})
    p.write_bytes(
        b"\n".join([
            good.encode(),
            b'{"id": "2", "text": "a", "target": "b"',          # truncated
            b'["not", "an", "object"]',
            b'{"id": "4", "text": "", "target": "b"}',
            b'{"id": "5", "text": "caf\xe9", "target": "b"}',  # latin-1, not UTF-8
            b'{"id": "1", "text": "dup", "target": "b"}',
            b'{"id": "7", "text": "a", "target": "b", "stance": "angry"}',
            b"",
        ])
    )
    with pytest.raises(DataValidationError) as exc:
        load_records(p)
    lines = {(pr.line, pr.reason.split(" (")[0].split(";")[0]) for pr in exc.value.problems}
    assert [pr.line for pr in exc.value.problems] == [2, 3, 4, 5, 6, 7]
    text = str(exc.value)
    for needle in ("invalid JSON", "expected a JSON object", "empty", "invalid UTF-8", "duplicate id", "unknown stance label"):
        assert needle in text
    assert exc.value.total == 7
    assert lines


def test_csv_and_tsv(tmp_path):
    p = tmp_path / "pairs.csv"
    p.write_text('text,target,stance,sentiment\n"We will, if needed, strike.",Iran,threatening,negative\nhello,UN,,\n', encoding="utf-8")
    recs = load_records(p)
    assert recs[0].text == "We will, if needed, strike." and recs[1].stance is None
    with pytest.raises(DataValidationError, match="missing label field"):
        load_records(p, require_labels=True)
    bad = tmp_path / "bad.csv"
    bad.write_text("text,target\na,b,c\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="cells"):
        load_records(bad)


def test_datasets_and_lists():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list([{"text": "a", "target": "b"}, {"text": "c", "target": "d"}])
    assert [r.target for r in load_records(ds)] == ["b", "d"]
    assert len(load_records([{"text": "a", "target": "b"}])) == 1


def test_missing_file_and_bad_type(tmp_path):
    with pytest.raises(InvalidInputError, match="not found"):
        load_records(tmp_path / "nope.jsonl")
    with pytest.raises(InvalidInputError):
        load_records(42)


def test_write_jsonl_is_atomic(tmp_path):
    out = tmp_path / "o.jsonl"
    write_jsonl([{"a": 1}], out)

    def rows():
        yield {"a": 2}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl(rows(), out)
    assert out.read_text() == '{"a": 1}\n'  # the old file is untouched, no half-written file
    assert not list(tmp_path.glob(".*tmp"))
