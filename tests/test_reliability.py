"""Reliability and safety (issue 6): bad input at every public entry point, the batch policy,
long text, untrusted model files, thread-safety and determinism.

Every bad input must give either a correct result or a typed :class:`stance.StanceError`
that names the record and the problem. Tests marked ``xfail(strict=True, reason="bug: ...")``
document a bug that is reported to the module's owner; they turn into failures (XPASS) once the
bug is fixed, so the marker can be removed.

The real baseline used here is fitted on the 120-pair fixture (tests/fixtures/pairs_small.jsonl)
and saved / loaded through ``stance.load``; the shipped models are used too when present.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import stance
from stance import baseline as baseline_mod
from stance.baseline import BaselineClassifier, train_baseline
from stance.cli import main as cli_main
from stance.data import load_records
from stance.errors import (
    ConfigError,
    DataValidationError,
    InvalidInputError,
    InvalidRecordError,
    ModelIntegrityError,
    ModelLoadError,
    ModelNotFoundError,
    StanceError,
)
from stance.integrity import write_manifest
from stance.loading import models_dir
from stance.schema import LABELS, TASKS, PairRecord
from stance.testing import KeywordClassifier

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pairs_small.jsonl"
SHIPPED_BASELINE = models_dir() / "baseline"
SHIPPED_TRANSFORMER = models_dir() / "stance-minilm"
# A small vocabulary overfits the 120-pair fixture quickly (as in tests/test_baseline.py).
FAST = {"C": 10.0, "min_df": 1}


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_records() -> list[PairRecord]:
    return load_records(FIXTURE, require_labels=True)


@pytest.fixture(scope="module")
def baseline_dir(tmp_path_factory, small_records) -> Path:
    clf = BaselineClassifier(stance_params=FAST, sentiment_params=FAST).fit(small_records)
    return clf.save(tmp_path_factory.mktemp("reliability") / "baseline")


@pytest.fixture(scope="module")
def baseline(baseline_dir):
    return stance.load(baseline_dir)


@pytest.fixture(params=["keyword", "baseline"])
def clf(request):
    return KeywordClassifier() if request.param == "keyword" else request.getfixturevalue("baseline")


@pytest.fixture(scope="module")
def transformer_dir(tmp_path_factory) -> Path:
    """An (untrained) two-head transformer built from the packaged all-MiniLM-L6-v2 and saved
    with stance: the persistence and inference code paths are those of the shipped model."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from stance.train import default_base_model
    from stance.transformer import TransformerClassifier, new_model

    try:
        base = default_base_model()
    except StanceError as exc:
        pytest.skip(str(exc))
    module, tok = new_model(base)
    clf = TransformerClassifier(module, tok, max_length=64, name="untrained-minilm")
    return clf.save(tmp_path_factory.mktemp("reliability") / "transformer")


@pytest.fixture(scope="module")
def transformer(transformer_dir):
    return stance.load(transformer_dir)


def _proba(clf, recs) -> dict[str, np.ndarray]:
    return clf.predict_proba(recs, show_progress=False)


def _assert_valid_result(res, rec: PairRecord | dict) -> None:
    rec_text = rec.text if isinstance(rec, PairRecord) else rec["text"]
    assert res.record.text == rec_text
    for task in TASKS:
        scores = res.scores(task)
        assert list(scores) == list(LABELS[task])
        vals = np.array(list(scores.values()))
        assert np.all(np.isfinite(vals)) and np.all(vals >= 0) and np.all(vals <= 1)
        assert abs(vals.sum() - 1) < 1e-6
        assert res.label(task) == max(scores, key=scores.get)


# ---------------------------------------------------------------------------------------------
# 1. bad records: every entry point gives a typed error naming the record and the problem
# ---------------------------------------------------------------------------------------------
BAD_RECORDS: list[tuple[str, Any, str]] = [
    ("text None", {"text": None, "target": "Iran"}, "text"),
    ("text missing", {"target": "Iran"}, "missing required field 'text'"),
    ("text int", {"text": 5, "target": "Iran"}, "'text' must be a string"),
    ("text list", {"text": ["a"], "target": "Iran"}, "'text' must be a string"),
    ("text NaN (pandas missing cell)", {"text": float("nan"), "target": "Iran"}, "text"),
    ("text empty", {"text": "", "target": "Iran"}, "empty"),
    ("text whitespace", {"text": " \n\t\u00a0 ", "target": "Iran"}, "empty"),
    ("target None", {"text": "We will retaliate.", "target": None}, "target"),
    ("target list", {"text": "We will retaliate.", "target": ["Iran"]}, "'target' must be a string"),
    ("target whitespace", {"text": "We will retaliate.", "target": "   "}, "empty"),
    ("unknown stance label", {"text": "We will retaliate.", "target": "Iran", "stance": "hostile"}, "unknown stance label 'hostile'"),
    ("unknown sentiment label", {"text": "We will retaliate.", "target": "Iran", "sentiment": "angry"}, "unknown sentiment label 'angry'"),
    ("label wrong case", {"text": "We will retaliate.", "target": "Iran", "stance": "Neutral"}, "unknown stance label"),
    ("unknown quote_type", {"text": "We will retaliate.", "target": "Iran", "quote_type": "rumour"}, "quote_type"),
    ("negative offset", {"text": "We will retaliate.", "target": "Iran", "start": -1}, "'start'"),
    ("bool offset", {"text": "We will retaliate.", "target": "Iran", "end": True}, "'end'"),
    ("speaker int", {"text": "We will retaliate.", "target": "Iran", "speaker": 7}, "'speaker'"),
]


@pytest.mark.parametrize("name,item,reason", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_bad_record_single_predict(clf, name, item, reason):
    with pytest.raises(InvalidRecordError) as info:
        clf.predict(item)
    assert reason in str(info.value)
    with pytest.raises(InvalidRecordError):
        clf.predict_proba(item)


@pytest.mark.parametrize("name,item,reason", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_bad_record_in_load_records_names_position_and_id(name, item, reason):
    good = {"text": "We will talk with Japan.", "target": "Japan"}
    bad = {**item, "id": "bad-1"}
    with pytest.raises(DataValidationError) as info:
        load_records([good, bad, good])
    (problem,) = info.value.problems
    assert problem.line == 2 and problem.record_id == "bad-1" and reason in problem.reason
    assert info.value.total == 3
    assert "<input>:2 (id 'bad-1')" in str(info.value)


@pytest.mark.parametrize("item", [None, "We will retaliate.", b"bytes"])
def test_non_record_input_is_a_typed_error(clf, item):
    with pytest.raises(InvalidInputError):
        clf.predict(item)


def test_predict_non_iterable_int_is_a_typed_error():
    with pytest.raises(InvalidInputError):
        KeywordClassifier().predict(5)


@pytest.mark.parametrize("items", [[None], ["a statement"], [5], [["text", "target"]]])
def test_list_of_non_records_is_reported_by_position(clf, items):
    with pytest.raises(DataValidationError) as info:
        clf.predict(items)
    assert info.value.problems[0].line == 1
    assert "expected a JSON object" in info.value.problems[0].reason


@pytest.mark.parametrize("bs", [0, -1, 1.5, "8", None, True])
def test_bad_batch_size(clf, bs):
    with pytest.raises(InvalidInputError, match="batch_size"):
        clf.predict({"text": "We will talk.", "target": "Japan"}, batch_size=bs)


LONE_SURROGATE = {"text": "We will strike \ud800 Atlantis.", "target": "Atlantis"}


@pytest.mark.parametrize(
    "field",
    ["text", "target", "context", "speaker",
     "speaker_actor", "target_actor", "target_code", "id", "doc_id", "source", "note", "comment (extra field)"],
)
def test_lone_surrogate_is_rejected_as_invalid_record(field):
    data = {"text": "We will strike Atlantis.", "target": "Atlantis"}
    data[field.split(" ")[0]] = "Atlantis \ud800"
    with pytest.raises(InvalidRecordError, match="(?i)surrogate|unicode|utf-8"):
        PairRecord.from_dict(data)


# ---------------------------------------------------------------------------------------------
# 2. odd but valid input gets a correct result
# ---------------------------------------------------------------------------------------------
ODD_VALID: list[tuple[str, dict, bool]] = [
    ("target not in text (implicit)", {"text": "The mainland will crush any separatist move.", "target": "China"}, False),
    ("target found case-insensitively", {"text": "We will crush ATLANTIS.", "target": "atlantis"}, True),
    ("control characters", {"text": "We\x00 will\x07 crush\x1b[31m Atlantis\x7f\u200b.", "target": "Atlantis"}, True),
    ("mixed scripts", {"text": "Moscow: «Мы ответим» — Москва warns Kyiv 🇺🇦, 北京 watches.", "target": "Kyiv"}, True),
    ("arabic (rtl)", {"text": "هددت إيران إسرائيل برد قاس", "target": "إسرائيل"}, True),
    ("cyrillic target", {"text": "Россия предупредила Украину о последствиях.", "target": "Украину"}, True),
    ("emoji only text", {"text": "🔥🔥🔥", "target": "Atlantis"}, False),
    ("regex metacharacters in target", {"text": "Talks with the U.S. (and its allies) [sic].", "target": "U.S. (and"}, True),
    ("single character", {"text": "x", "target": "x"}, True),
    ("newlines and tabs", {"text": "Line one\n\tline two\r\nAtlantis\n", "target": "Atlantis"}, True),
]


@pytest.mark.parametrize("name,item,found", ODD_VALID, ids=[o[0] for o in ODD_VALID])
def test_odd_valid_input_gets_a_result(clf, name, item, found):
    res = clf.predict(item)
    _assert_valid_result(res, item)
    assert res.target_found is found
    assert res.to_dict()["target_found"] is found
    json.dumps(res.to_dict(), ensure_ascii=False).encode("utf-8")  # serialisable as UTF-8 JSON


def test_target_found_in_unspaced_script():
    assert PairRecord(text="中国警告台湾不要挑衅。", target="台湾").target_found


def test_classify_target_not_in_text_and_odd_targets(clf):
    res = stance.classify("Beijing vowed resolute countermeasures.", targets=["China", "Beijing", "北京"], model=clf)
    assert [r.record.target for r in res] == ["China", "Beijing", "北京"]
    assert [r.target_found for r in res] == [False, True, False]
    for r in res:
        _assert_valid_result(r, {"text": "Beijing vowed resolute countermeasures."})


@pytest.mark.parametrize(
    "text,targets",
    [(None, ["X"]), (5, ["X"]), (b"war", ["X"]), ("", ["X"]), (" \n", ["X"]),
     ("war", []), ("war", [""]), ("war", [None]), ("war", [5]), ("war", 5), ("war", {"X"}), ("war", (t for t in "X"))],
)
def test_classify_bad_arguments(text, targets):
    with pytest.raises(InvalidInputError):
        stance.classify(text, targets=targets, model=KeywordClassifier())


@pytest.mark.parametrize(
    "text,message",
    [(None, "text must be a string or a list"), (5, "text must be a string or a list"),
     ([""], "article 0 is empty"), (["Iran warned Israel.", None], "article 1 must be a string"),
     (["Iran warned Israel.", " \n "], "article 1 is empty")],
)
def test_classify_whole_article_mode_bad_text(text, message):
    with pytest.raises(InvalidInputError, match=message):
        stance.classify(text, model=KeywordClassifier())


def test_classify_whole_article_mode_lone_surrogate_is_typed():
    with pytest.raises(InvalidInputError):
        stance.classify("Iran said it would retaliate against \ud800 Israel.", model=KeywordClassifier())


def test_classify_bad_speaker_is_typed():
    with pytest.raises(InvalidRecordError, match="speaker"):
        stance.classify("We will talk.", targets=["Japan"], speaker=5, model=KeywordClassifier())


def test_classify_bad_model_argument_is_typed():
    with pytest.raises(InvalidInputError):
        stance.classify("We will talk.", targets=["Japan"], model=5)


def test_load_bad_model_argument_is_typed():
    with pytest.raises(StanceError):
        stance.load(5)


def test_load_unknown_model_name_is_typed():
    with pytest.raises(ModelNotFoundError, match="no model at"):
        stance.load("no-such-model-anywhere")


# ---------------------------------------------------------------------------------------------
# 3. the batch policy: validate all records first, one error listing every bad position,
#    before any model work; nothing is dropped or reordered
# ---------------------------------------------------------------------------------------------
class SpyClassifier(KeywordClassifier):
    """KeywordClassifier that counts how many records reached the model."""

    def __init__(self) -> None:
        self.seen = 0

    def _predict_proba(self, records, batch_size, show_progress):
        self.seen += len(records)
        return super()._predict_proba(records, batch_size, show_progress)


def test_batch_policy_lists_every_bad_position_before_model_work():
    spy = SpyClassifier()
    batch = [
        {"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis"},
        {"id": "b", "text": "", "target": "Atlantis"},
        {"id": "c", "text": "Peace talks with Lemuria.", "target": "Lemuria"},
        {"id": "d", "text": "We will talk.", "target": "Mu", "stance": "furious"},
        None,
    ]
    with pytest.raises(DataValidationError) as info:
        spy.predict(batch, batch_size=1)
    err = info.value
    assert [(p.line, p.record_id) for p in err.problems] == [(2, "b"), (4, "d"), (5, None)]
    assert err.total == 5
    assert spy.seen == 0  # no model work for a batch with a bad record
    with pytest.raises(DataValidationError):
        spy.predict_proba(batch)
    assert spy.seen == 0


def test_batch_policy_recovery_keeps_every_good_result(clf):
    """The error's positions let a caller drop the bad records and label the rest; the good
    records get exactly the results they get on their own."""
    good = [{"text": f"We will {w} Atlantis.", "target": "Atlantis"} for w in ("crush", "welcome", "visit")]
    batch = [good[0], {"text": " ", "target": "Atlantis"}, good[1], {"text": "x"}, good[2]]
    with pytest.raises(DataValidationError) as info:
        clf.predict(batch)
    bad = {p.line for p in info.value.problems}
    assert bad == {2, 4}
    kept = [r for i, r in enumerate(batch, 1) if i not in bad]
    results = clf.predict(kept)
    assert [r.record.text for r in results] == [g["text"] for g in good]
    for r, g in zip(results, good):
        one = clf.predict(g)
        assert r.stance == one.stance and r.sentiment == one.sentiment
        np.testing.assert_allclose(list(r.stance_scores.values()), list(one.stance_scores.values()), atol=1e-9)


def test_empty_and_odd_containers(clf):
    assert clf.predict([]) == []
    p = clf.predict_proba([])
    assert p["stance"].shape == (0, 3) and p["sentiment"].shape == (0, 3)
    rec = {"text": "We will crush Atlantis.", "target": "Atlantis"}
    gen = clf.predict(rec2 for rec2 in [rec, rec])
    tup = clf.predict((rec, rec))
    assert len(gen) == len(tup) == 2 and gen[0].stance == tup[1].stance


def test_duplicate_ids_policy(clf):
    """load_records refuses duplicate ids (unless allowed); predict labels them (ids are the
    caller's business there) and keeps both, in order."""
    recs = [{"id": "1", "text": "We will crush Atlantis.", "target": "Atlantis"},
            {"id": 1, "text": "Peace with Lemuria.", "target": "Lemuria"}]
    with pytest.raises(DataValidationError, match=r"duplicate id \(first seen on line 1\)"):
        load_records(recs)
    assert len(load_records(recs, allow_duplicate_ids=True)) == 2
    out = clf.predict(recs)
    assert [r.record.id for r in out] == ["1", "1"] and [r.record.target for r in out] == ["Atlantis", "Lemuria"]


# ---------------------------------------------------------------------------------------------
# 4. files: invalid UTF-8, malformed / truncated JSONL and CSV, odd encodings
# ---------------------------------------------------------------------------------------------
GOOD_LINE = b'{"id": "g1", "text": "We will talk with Japan.", "target": "Japan"}\n'


@pytest.mark.parametrize(
    "name,payload,line,reason",
    [
        ("invalid utf-8", GOOD_LINE + b'{"text": "caf\xe9", "target": "X"}\n', 2, "invalid UTF-8"),
        ("truncated last line", GOOD_LINE + b'{"text": "We will', 2, "invalid JSON"),
        ("not an object", GOOD_LINE + b"[1, 2]\n", 2, "expected a JSON object, got list"),
        ("json null", b"null\n" + GOOD_LINE, 1, "expected a JSON object, got NoneType"),
        ("bare string", GOOD_LINE + b'"text"\n', 2, "expected a JSON object, got str"),
        ("NaN literal text", GOOD_LINE + b'{"text": NaN, "target": "X"}\n', 2, "text"),
        ("trailing garbage", GOOD_LINE + b'{"text": "a", "target": "X"} x\n', 2, "invalid JSON"),
        ("unknown label", GOOD_LINE + b'{"text": "a", "target": "X", "stance": "war"}\n', 2, "unknown stance label"),
        ("duplicate id", GOOD_LINE + GOOD_LINE, 2, "duplicate id"),
        ("nul byte line", GOOD_LINE + b"\x00\x00\n", 2, "invalid JSON"),
        ("utf-16 file", '{"text": "a", "target": "X"}\n'.encode("utf-16"), 1, "invalid UTF-8"),
    ],
)
def test_bad_jsonl_files(tmp_path, name, payload, line, reason):
    f = tmp_path / "data.jsonl"
    f.write_bytes(payload)
    with pytest.raises(DataValidationError) as info:
        load_records(f)
    p = info.value.problems[0]
    assert p.source == str(f) and p.line == line and reason in p.reason
    assert f"{f}:{line}" in str(info.value)


def test_jsonl_reports_every_bad_line_and_accepts_bom_and_blank_lines(tmp_path):
    f = tmp_path / "data.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + GOOD_LINE + b"\n   \n" + b"{bad\n" + b'{"text": "", "target": "X"}\n' + b"\xff\n")
    with pytest.raises(DataValidationError) as info:
        load_records(f)
    assert [p.line for p in info.value.problems] == [4, 5, 6]
    f.write_bytes(b"\xef\xbb\xbf" + GOOD_LINE + b"\n \n")
    assert [r.id for r in load_records(f)] == ["g1"]


@pytest.mark.parametrize(
    "name,payload,line,reason",
    [
        ("too many cells", b"text,target\nWe talk,Japan,extra\n", 2, "cells but the header has 2"),
        ("too few cells", b"text,target\nWe talk\n", 2, "fewer cells"),
        ("unterminated quote", b'text,target\nWe talk,Japan\n"We will,Korea\n', 3, "fewer cells"),
        ("invalid utf-8", b"text,target\nWe talk,Japan\ncaf\xe9,X\n", 3, "invalid UTF-8"),
        ("missing target column", b"text,actor\nWe talk,Japan\n", 2, "missing required field 'target'"),
        ("empty text cell", b"text,target\n,Japan\n", 2, "text"),
        ("unknown label", b"text,target,stance\nWe talk,Japan,friendly\n", 2, "unknown stance label"),
    ],
)
def test_bad_csv_files(tmp_path, name, payload, line, reason):
    f = tmp_path / "data.csv"
    f.write_bytes(payload)
    with pytest.raises(DataValidationError) as info:
        load_records(f)
    p = info.value.problems[0]
    assert p.line == line and reason in p.reason, str(info.value)


def test_csv_odd_but_valid(tmp_path):
    f = tmp_path / "data.csv"
    f.write_bytes('\ufefftext,target,id\n"We said, ""no""\nto Japan",Japan,1\nМосква warns Kyiv,Kyiv,2\n'.encode("utf-8"))
    recs = load_records(f)
    assert [r.id for r in recs] == ["1", "2"]
    assert recs[0].text == 'We said, "no"\nto Japan' and recs[1].target_found


def test_datasets_input_is_validated():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list([
        {"text": "We will talk with Japan.", "target": "Japan", "stance": "conciliatory"},
        {"text": "", "target": "Japan", "stance": "neutral"},
        {"text": "We will fight.", "target": "Korea", "stance": "furious"},
    ])
    with pytest.raises(DataValidationError) as info:
        load_records(ds)
    assert [(p.source, p.line) for p in info.value.problems] == [("<datasets.Dataset>", 2), ("<datasets.Dataset>", 3)]


@pytest.mark.parametrize("data", [None, 5, b"bytes", 3.5, object()])
def test_load_records_bad_source_types(data):
    with pytest.raises(InvalidInputError, match="cannot read records"):
        load_records(data)


def test_load_records_missing_file_and_bad_format(tmp_path):
    with pytest.raises(InvalidInputError, match="not found"):
        load_records(tmp_path / "nope.jsonl")
    with pytest.raises(InvalidInputError, match="not found"):
        load_records(tmp_path)  # a directory
    f = tmp_path / "a.jsonl"
    f.write_bytes(GOOD_LINE)
    with pytest.raises(InvalidInputError, match="unknown data format"):
        load_records(f, fmt="xml")


# ---------------------------------------------------------------------------------------------
# 5. the CLI: exit 1 with the bad lines named, nothing written
# ---------------------------------------------------------------------------------------------
def _run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_predict_bad_file_exits_1_names_lines_and_writes_nothing(tmp_path, capsys, baseline_dir):
    data = tmp_path / "in.jsonl"
    data.write_bytes(GOOD_LINE + b'{"text": "", "target": "X"}\n' + b"\xfe\n" + b'{"text": "tru')
    out = tmp_path / "out.jsonl"
    out.write_text("previous content\n")
    code, stdout, stderr = _run_cli(["predict", str(data), "--model", str(baseline_dir), "-o", str(out), "-q"], capsys)
    assert code == 1
    for n in (2, 3, 4):
        assert f"{data}:{n}" in stderr
    assert "3 of 4 record(s) are invalid" in stderr
    assert out.read_text() == "previous content\n"  # untouched: no partial output
    assert stdout == ""
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_predict_odd_valid_file_round_trips(tmp_path, capsys, baseline_dir):
    rows = [item for _, item, _ in ODD_VALID]
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=bool(i % 2)) + "\n" for i, r in enumerate(rows)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = _run_cli(["predict", str(data), "--model", str(baseline_dir), "-o", str(out), "-q"], capsys)
    assert code == 0, err
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["text"] for g in got] == [r["text"] for r in rows]
    assert [g["target_found"] for g in got] == [f for _, _, f in ODD_VALID]


def test_cli_predict_from_stdin(monkeypatch, capsys, baseline_dir):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD_LINE * 1 + b'{"text": "War!", "target": "Mu"}\n')))
    code, out, err = _run_cli(["predict", "-", "--model", str(baseline_dir), "-q"], capsys)
    assert code == 0, err
    assert [json.loads(l)["target"] for l in out.splitlines()] == ["Japan", "Mu"]


@pytest.mark.parametrize("field", ["text", "id", "speaker_actor", "comment"])
def test_cli_predict_lone_surrogate_exits_1(tmp_path, capsys, baseline_dir, field):
    data = tmp_path / "in.jsonl"
    row = {"text": "We will strike Atlantis.", "target": "Atlantis"}
    row[field] = "x \ud800"
    data.write_text(json.dumps(row) + "\n")  # json.dumps writes the surrogate as the escape \ud800
    code, _, err = _run_cli(["predict", str(data), "--model", str(baseline_dir), "-o", str(tmp_path / "o.jsonl"), "-q"], capsys)
    assert code == 1 and f"{data}:1" in err


def test_cli_predict_unwritable_output_exits_1(tmp_path, capsys, baseline_dir):
    data = tmp_path / "in.jsonl"
    data.write_bytes(GOOD_LINE)
    code, _, err = _run_cli(["predict", str(data), "--model", str(baseline_dir), "-o", str(tmp_path / "no" / "o.jsonl"), "-q"], capsys)
    assert code == 1 and "error" in err


@pytest.mark.parametrize(
    "argv_tail,expected,message",
    [
        (["--batch-size", "0"], 2, "must be a positive integer"),
        (["--batch-size", "x"], 2, "invalid int value"),
        (["--model", "no-such-model"], 1, "no model at"),
    ],
)
def test_cli_predict_bad_options(tmp_path, capsys, baseline_dir, argv_tail, expected, message):
    data = tmp_path / "in.jsonl"
    data.write_bytes(GOOD_LINE)
    model = [] if "--model" in argv_tail else ["--model", str(baseline_dir)]
    code, out, err = _run_cli(["predict", str(data), "-q", *model, *argv_tail], capsys)
    assert code == expected and message in err
    assert out == "" and "Traceback" not in err


def test_cli_predict_missing_input(tmp_path, capsys):
    code, _, err = _run_cli(["predict", str(tmp_path / "nope.jsonl"), "-q"], capsys)
    assert code == 1 and "not found" in err


@pytest.mark.parametrize(
    "payload,message",
    [(b"", "is empty"), (b"   \n\t", "is empty"), (b"Iran warned \xff Israel.", "not valid UTF-8")],
)
def test_cli_classify_bad_article(tmp_path, capsys, payload, message):
    art = tmp_path / "article.txt"
    art.write_bytes(payload)
    code, _, err = _run_cli(["classify", str(art), "--model", "no-such-model", "-q"], capsys)
    assert code == 1 and message in err


def test_cli_classify_bad_articles_jsonl(tmp_path, capsys):
    arts = tmp_path / "articles.jsonl"
    arts.write_bytes(b'{"id": "a", "text": "Iran said it would retaliate."}\n{"id": "b"}\n[1]\n{"text": "  "}\n\xff\n')
    code, _, err = _run_cli(["classify", "--articles", str(arts), "--model", "no-such-model", "-q"], capsys)
    assert code == 1
    for n in (2, 3, 4, 5):
        assert f"{arts}:{n}" in err


@pytest.mark.parametrize(
    "payload,message",
    [
        (GOOD_LINE, "missing label field 'stance'"),
        (b'{"text": "a", "target": "X", "stance": "neutral", "sentiment": "mad"}\n', "unknown sentiment label"),
        (b'{"text": "a", "target": "X", "stance": "neutral", "sentiment": "neutral"}\n{"te', "invalid JSON"),
    ],
)
def test_cli_evaluate_bad_data(tmp_path, capsys, baseline_dir, payload, message):
    data = tmp_path / "gold.jsonl"
    data.write_bytes(payload)
    out = tmp_path / "report"
    code, _, err = _run_cli(["evaluate", "--model", str(baseline_dir), "--data", str(data), "--out", str(out), "-q"], capsys)
    assert code == 1 and message in err
    assert not (out / "report.json").exists()


# ---------------------------------------------------------------------------------------------
# 6. training inputs
# ---------------------------------------------------------------------------------------------
@pytest.fixture()
def tiny_grid(monkeypatch):
    """One grid point per task: the same training code path, a fraction of the fits."""
    monkeypatch.setattr(baseline_mod, "C_GRID", (10.0,))
    monkeypatch.setattr(baseline_mod, "CONTEXT_GRID", (False,))


@pytest.mark.parametrize(
    "train,exc,message",
    [
        (None, InvalidInputError, "cannot read records"),
        ([], InvalidInputError, "at least one labelled record"),
        ([{"text": "a", "target": "X"}], DataValidationError, "missing label field"),
        ([{"text": "a", "target": "X", "stance": "war", "sentiment": "neutral"}], DataValidationError, "unknown stance label"),
        ([{"id": "1", "text": "a", "target": "X", "stance": "neutral", "sentiment": "neutral"}] * 2, DataValidationError, "duplicate id"),
        ([{"text": "a b", "target": "X", "stance": "neutral", "sentiment": "neutral"}] * 3, InvalidInputError, "two classes"),
    ],
)
def test_train_baseline_bad_data(tmp_path, tiny_grid, train, exc, message):
    with pytest.raises(exc, match=message):
        train_baseline(train, FIXTURE, tmp_path / "m", show_progress=False)
    assert not (tmp_path / "m" / "manifest.json").exists()


@pytest.mark.parametrize("seed", ["0", 1.5, None, True])
def test_train_baseline_bad_seed(tmp_path, seed):
    with pytest.raises(InvalidInputError, match="seed"):
        train_baseline(FIXTURE, FIXTURE, tmp_path / "m", seed=seed)


def test_train_baseline_bad_files(tmp_path, tiny_grid):
    bad = tmp_path / "train.jsonl"
    bad.write_bytes(FIXTURE.read_bytes() + b'{"text": "cut off')
    with pytest.raises(DataValidationError) as info:
        train_baseline(bad, FIXTURE, tmp_path / "m", show_progress=False)
    assert info.value.problems[0].line == 121
    with pytest.raises(InvalidInputError, match="NewsMTSC file not found"):
        train_baseline(FIXTURE, FIXTURE, tmp_path / "m", newsmtsc=tmp_path / "nope.jsonl", show_progress=False)


def test_train_baseline_bad_out_dir_fails_before_training(tmp_path, tiny_grid, monkeypatch):
    calls = []
    orig_fit = baseline_mod.TargetedTextClassifier.fit
    monkeypatch.setattr(baseline_mod.TargetedTextClassifier, "fit", lambda self, *a, **k: calls.append(1) or orig_fit(self, *a, **k))
    with pytest.raises(InvalidInputError):
        train_baseline(FIXTURE, FIXTURE, None, show_progress=False)
    assert calls == []


@pytest.mark.parametrize(
    "kwargs",
    [{"epochs": "3"}, {"epochs": 0}, {"lr": float("nan")}, {"lr": -1.0}, {"batch_size": None}, {"max_length": 4096},
     {"train_path": None}, {"train_path": " "}, {"pooling": "max"}, {"loss_weights": {"stance": 1.0}},
     {"use_context": "yes"}, {"seed": -1}],
)
def test_train_config_bad_values(kwargs):
    train = pytest.importorskip("stance.train")
    with pytest.raises(ConfigError, match=next(iter(kwargs))):
        train.TrainConfig(**kwargs)


def test_train_config_bad_files(tmp_path):
    train = pytest.importorskip("stance.train")
    with pytest.raises(ConfigError, match="not found"):
        train.TrainConfig.from_json(tmp_path / "nope.json")
    for payload, msg in [(b"\xff{}", "not valid JSON"), (b"{", "not valid JSON"), (b"[]", "JSON object"), (b'{"epoch": 3}', "unknown")]:
        f = tmp_path / "c.json"
        f.write_bytes(payload)
        with pytest.raises(ConfigError, match=msg):
            train.TrainConfig.from_json(f)


@pytest.mark.parametrize(
    "line",
    [
        {"sentence_normalized": "Iran warned Israel.", "targets": [{"mention": "Israel", "polarity": "bad"}]},
        {"sentence_normalized": "Iran warned Israel.", "targets": [{"mention": "Israel", "polarity": None}]},
        {"sentence_normalized": "Iran warned Israel.", "targets": 5},
        {"sentence_normalized": "Iran warned Israel.", "targets": ["Israel"]},
    ],
)
def test_load_newsmtsc_bad_lines_are_typed(tmp_path, line):
    train = pytest.importorskip("stance.train")
    f = tmp_path / "nm.jsonl"
    f.write_text(json.dumps(line) + "\n")
    with pytest.raises(DataValidationError, match=f"{f}:1"):
        train.load_newsmtsc(f)


# ---------------------------------------------------------------------------------------------
# 7. long text: documented truncation (transformer) / whole text (baseline)
# ---------------------------------------------------------------------------------------------
def test_baseline_reads_very_long_text_whole(baseline):
    """The baseline has no length limit: every word of a long statement is a feature, so a
    threat at the very end of a 100,000-character statement still changes the scores."""
    filler = "The delegation discussed the agenda of the meeting. " * 2000  # ~104,000 characters
    a = baseline.predict({"text": filler + "Atlantis", "target": "Atlantis"})
    b = baseline.predict({"text": filler + "Atlantis will pay a heavy price and face war.", "target": "Atlantis"})
    _assert_valid_result(a, {"text": filler + "Atlantis"})
    assert dict(a.stance_scores) != dict(b.stance_scores)


def test_transformer_truncates_long_text_at_max_length(transformer):
    """The transformer sees at most ``max_length`` tokens of (target segment, statement):
    two statements that differ only after the cut get identical scores, and a target mentioned
    only after the cut is still labelled (without its position marker)."""
    head = "Atlantis said the talks were useful. " * 40  # far more than 64 tokens
    a = transformer.predict_proba([{"text": head + "We welcome peace.", "target": "Atlantis"}])
    b = transformer.predict_proba([{"text": head + "We will crush you in a war " * 500, "target": "Atlantis"}])
    for task in TASKS:
        np.testing.assert_allclose(a[task], b[task], atol=1e-6)
    enc = transformer.encode([PairRecord(text=head * 50, target="Atlantis")])
    assert len(enc["input_ids"][0]) == transformer.max_length
    long_target = PairRecord(text="We will talk.", target="the government of " * 300, speaker="a spokesman " * 300)
    assert len(transformer.encode([long_target])["input_ids"][0]) == transformer.max_length
    _assert_valid_result(transformer.predict(long_target), long_target)
    late = transformer.predict({"text": head + " Lemuria", "target": "Lemuria"})
    _assert_valid_result(late, {"text": head + " Lemuria"})
    assert late.target_found  # target_found describes the text, not what fits in the window


@pytest.mark.xfail(strict=True, reason="bug: int8 dynamic quantisation (transformer.quantize_int8) quantises "
                                       "activations per batch tensor, so a record's scores depend on the other "
                                       "records in its batch (see docs/reliability.md)")
def test_transformer_int8_batched_equals_one_by_one(transformer_dir, small_records):
    clf = stance.load(transformer_dir, quantize="int8")
    recs = small_records[:12]
    together = _proba(clf, recs)
    for i, rec in enumerate(recs):
        alone = _proba(clf, rec)
        for task in TASKS:
            np.testing.assert_allclose(together[task][i], alone[task][0], rtol=0, atol=1e-5)


def test_transformer_odd_text(transformer):
    items = [item for _, item, _ in ODD_VALID]
    for res, (_, item, found) in zip(transformer.predict(items), ODD_VALID):
        _assert_valid_result(res, item)
        assert res.target_found is found


@pytest.mark.slow
def test_whole_article_mode_sees_every_statement_of_a_50000_word_document():
    """A 50,000-word article (300,084 characters) gives one result per statement-target pair
    (2 x 2,942 here). Measured 231 s on the shared 2-core machine, hence slow."""
    from stance.article import classify_articles

    sent = 'Iran said it would retaliate against Israel. "We want peace with Egypt," the minister of Jordan said. '
    reps = 50000 // len(sent.split()) + 1
    res = classify_articles([sent * reps], KeywordClassifier())[0]
    assert len(res) == 2 * reps
    assert sum(r.record.target_actor == "Israel" and r.stance == "threatening" for r in res) == reps
    assert sum(r.record.target_actor == "Egypt" and r.stance == "conciliatory" for r in res) == reps


def test_whole_article_mode_over_one_million_characters_is_refused_by_name():
    """A text over spaCy's nlp.max_length (1,000,000 characters) is refused with a typed error
    naming the article and the limit, before any parsing (the whole batch, as for records)."""
    from stance.article import classify_articles

    text = "Iran said it would retaliate against Israel. " * 25000  # 1,125,000 characters
    with pytest.raises(InvalidInputError, match="1,125,000 characters") as info:
        classify_articles(["Iran warned Israel.", text], KeywordClassifier())
    assert "article 1" in str(info.value) or "limit" in str(info.value)


# ---------------------------------------------------------------------------------------------
# 8. untrusted model files
# ---------------------------------------------------------------------------------------------
def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    return dst


def _flip_byte(f: Path, at: int = -100) -> None:
    data = bytearray(f.read_bytes())
    data[at] ^= 0xFF
    f.write_bytes(bytes(data))


class _Boom:
    """Pickle payload: unpickling it creates a marker file (stands for running any code)."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _baseline_dirs(baseline_dir: Path) -> list[Path]:
    dirs = [baseline_dir]
    if (SHIPPED_BASELINE / "stance_config.json").is_file():
        dirs.append(SHIPPED_BASELINE)
    return dirs


@pytest.mark.parametrize("which", ["fixture-trained", "shipped"])
@pytest.mark.parametrize("victim", ["stance.skops", "sentiment.skops", "stance_config.json"])
def test_baseline_tampered_file_is_refused(tmp_path, baseline_dir, which, victim):
    src = baseline_dir if which == "fixture-trained" else SHIPPED_BASELINE
    if not (src / "stance_config.json").is_file():
        pytest.skip("no shipped baseline (models/baseline)")
    d = _copy(src, tmp_path)
    if victim.endswith(".json"):
        cfg = json.loads((d / victim).read_text())
        cfg["name"] = "tampered"
        (d / victim).write_text(json.dumps(cfg))
    else:
        _flip_byte(d / victim)
    with pytest.raises(ModelIntegrityError, match=victim.replace(".", r"\.")):
        stance.load(d)


def test_baseline_manifest_missing_or_listing_missing_file(tmp_path, baseline_dir):
    d = _copy(baseline_dir, tmp_path)
    (d / "manifest.json").unlink()
    with pytest.raises(ModelLoadError, match="manifest.json"):
        stance.load(d)
    write_manifest(d)
    (d / "sentiment.skops").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        stance.load(d)
    (d / "manifest.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="not a valid manifest"):
        stance.load(d)


def test_baseline_skops_with_untrusted_type_is_refused_even_with_valid_manifest(tmp_path, baseline_dir):
    """An attacker who rewrites the manifest still cannot get a function or class outside the
    baseline's allow-list loaded: skops refuses it before building any object."""
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    d = _copy(baseline_dir, tmp_path)
    est = sio.load(d / "stance.skops", trusted=sorted(baseline_mod.TRUSTED_TYPES))
    est.pipeline_.steps.insert(0, ("evil", FunctionTransformer(func=os.system)))
    sio.dump(est, d / "stance.skops")
    write_manifest(d)
    with pytest.raises(ModelLoadError, match="will not be loaded") as info:
        stance.load(d)
    assert "system" in str(info.value)


def test_baseline_pickle_disguised_as_skops_is_refused(tmp_path, baseline_dir):
    d = _copy(baseline_dir, tmp_path)
    marker = tmp_path / "pwned"
    (d / "stance.skops").write_bytes(pickle.dumps(_Boom(marker)))
    write_manifest(d)
    with pytest.raises(ModelLoadError):
        stance.load(d)
    assert not marker.exists()


def test_transformer_tampered_files_are_refused(tmp_path, transformer_dir):
    for victim in ("model.safetensors", "heads.safetensors", "tokenizer.json", "config.json", "stance_config.json"):
        d = tmp_path / victim
        shutil.copytree(transformer_dir, d)
        f = d / victim
        if victim.endswith(".json"):
            f.write_text(f.read_text().replace("{", '{"tampered": 1, ', 1))
        else:
            _flip_byte(f)
        with pytest.raises(ModelIntegrityError, match=victim.replace(".", r"\.")):
            stance.load(d)


def test_shipped_transformer_tampered_is_refused(tmp_path):
    if not (SHIPPED_TRANSFORMER / "stance_config.json").is_file():
        pytest.skip("no shipped transformer (models/stance-minilm)")
    d = _copy(SHIPPED_TRANSFORMER, tmp_path)
    _flip_byte(d / "heads.safetensors")
    with pytest.raises(ModelIntegrityError):
        stance.load(d)


def test_transformer_pickle_weights_are_never_loaded(tmp_path, transformer_dir, transformer):
    """A pytorch_model.bin (pickle) next to the safetensors is ignored; one that replaces them
    is refused. Unpickling never happens in either case (the marker file is never created)."""
    marker = tmp_path / "pwned"
    probe = [{"text": "We will crush Atlantis.", "target": "Atlantis"}]
    expected = _proba(transformer, probe)

    d = _copy(transformer_dir, tmp_path / "next_to")
    (d / "pytorch_model.bin").write_bytes(pickle.dumps(_Boom(marker)))
    write_manifest(d)  # even with a manifest that vouches for it
    again = stance.load(d)
    assert not marker.exists()
    got = _proba(again, probe)
    for task in TASKS:
        np.testing.assert_allclose(got[task], expected[task], atol=1e-6)

    d2 = _copy(transformer_dir, tmp_path / "instead")
    (d2 / "model.safetensors").unlink()
    (d2 / "pytorch_model.bin").write_bytes(pickle.dumps(_Boom(marker)))
    write_manifest(d2)
    with pytest.raises(ModelLoadError):
        stance.load(d2)
    assert not marker.exists()


def test_transformer_unlisted_file_that_the_loader_reads_is_refused(tmp_path, transformer_dir):
    d = _copy(transformer_dir, tmp_path)
    (d / "added_tokens.json").write_text(json.dumps({"Atlantis": 30522, "crush": 30523}))
    try:
        clf = stance.load(d)
    except ModelIntegrityError:
        return
    clf.predict({"text": "We will crush Atlantis.", "target": "Atlantis"})  # IndexError today
    pytest.fail("a file outside the manifest was loaded")


def test_transformer_manifest_missing_is_refused(tmp_path, transformer_dir):
    d = _copy(transformer_dir, tmp_path)
    (d / "manifest.json").unlink()
    with pytest.raises(ModelLoadError, match="manifest.json"):
        stance.load(d)


# ---------------------------------------------------------------------------------------------
# 9. thread-safety and determinism
# ---------------------------------------------------------------------------------------------
def _thread_records(small_records) -> list[PairRecord]:
    extra = [PairRecord(text=t, target=g) for _, item, _ in ODD_VALID for t, g in [(item["text"], item["target"])]]
    return list(small_records) + extra


def _check_threads(clf, recs: list[PairRecord], n_threads: int = 4, rounds: int = 3, atol: float = 0.0) -> None:
    sequential = [_proba(clf, recs[i::n_threads]) for i in range(n_threads)]
    barrier = threading.Barrier(n_threads)

    def work(i: int):
        barrier.wait()
        return [_proba(clf, recs[i::n_threads]) for _ in range(rounds)]

    with ThreadPoolExecutor(n_threads) as pool:
        concurrent = list(pool.map(work, range(n_threads)))
    for i in range(n_threads):
        for got in concurrent[i]:
            for task in TASKS:
                np.testing.assert_allclose(got[task], sequential[i][task], rtol=0, atol=atol)


def test_baseline_thread_safe(baseline, small_records):
    _check_threads(baseline, _thread_records(small_records))


def test_shipped_baseline_thread_safe(small_records):
    if not (SHIPPED_BASELINE / "stance_config.json").is_file():
        pytest.skip("no shipped baseline (models/baseline)")
    _check_threads(stance.load("baseline"), _thread_records(small_records))


def test_transformer_thread_safe(transformer, small_records):
    _check_threads(transformer, _thread_records(small_records)[:8], rounds=1, atol=1e-6)


def test_shipped_transformer_thread_safe(small_records):
    if not (SHIPPED_TRANSFORMER / "stance_config.json").is_file():
        pytest.skip("no shipped transformer (models/stance-minilm)")
    _check_threads(stance.load("stance-minilm"), _thread_records(small_records)[:8], rounds=1, atol=1e-6)


def test_classify_cache_is_shared_across_threads(baseline_dir):
    """stance.classify loads a model once even when many threads ask for it at once."""
    from stance import api

    key = os.fspath(baseline_dir)
    api._cache.pop(key, None)
    barrier = threading.Barrier(4)

    def work(_):
        barrier.wait()
        res = stance.classify("We will crush Atlantis.", targets=["Atlantis"], model=key)
        return api._cache[key], res[0].stance_scores

    try:
        with ThreadPoolExecutor(4) as pool:
            out = list(pool.map(work, range(4)))
        assert len({id(m) for m, _ in out}) == 1
        assert len({tuple(s.values()) for _, s in out}) == 1
    finally:
        api._cache.pop(key, None)


def test_baseline_fit_is_deterministic(small_records):
    a = BaselineClassifier(stance_params=FAST, sentiment_params=FAST).fit(small_records)
    b = BaselineClassifier(stance_params=FAST, sentiment_params=FAST).fit(small_records)
    pa, pb = _proba(a, small_records), _proba(b, small_records)
    for task in TASKS:
        np.testing.assert_array_equal(pa[task], pb[task])


def test_train_baseline_same_seed_same_scores(tmp_path, tiny_grid, small_records):
    """Two train_baseline runs with the same data and seed save models that give bit-identical
    probabilities (one grid point per task here; the full grid is checked under -m slow)."""
    ra = train_baseline(small_records[:80], small_records[80:], tmp_path / "a", seed=3, show_progress=False)
    rb = train_baseline(small_records[:80], small_records[80:], tmp_path / "b", seed=3, show_progress=False)
    assert ra["dev"] == rb["dev"] and ra["params"] == rb["params"]
    pa, pb = _proba(stance.load(tmp_path / "a"), small_records), _proba(stance.load(tmp_path / "b"), small_records)
    for task in TASKS:
        np.testing.assert_array_equal(pa[task], pb[task])


@pytest.mark.slow
def test_train_baseline_full_grid_same_seed_same_scores(tmp_path, small_records):
    ra = train_baseline(FIXTURE, FIXTURE, tmp_path / "a", seed=0, show_progress=False)
    rb = train_baseline(FIXTURE, FIXTURE, tmp_path / "b", seed=0, show_progress=False)
    assert ra["grid"] == rb["grid"] and ra["dev"] == rb["dev"]
    pa, pb = _proba(stance.load(tmp_path / "a"), small_records), _proba(stance.load(tmp_path / "b"), small_records)
    for task in TASKS:
        np.testing.assert_array_equal(pa[task], pb[task])


@pytest.mark.parametrize("which", ["baseline", "transformer"])
def test_inference_is_deterministic_across_loads(request, which, small_records):
    """Same input, same output: twice from one loaded model and once from a second load."""
    recs = small_records[:6]
    a = request.getfixturevalue(which)
    b = stance.load(request.getfixturevalue(f"{which}_dir"))
    pa, pa2, pb = _proba(a, recs), _proba(a, recs), _proba(b, recs)
    for task in TASKS:
        np.testing.assert_array_equal(pa[task], pa2[task])
        np.testing.assert_array_equal(pa[task], pb[task])
