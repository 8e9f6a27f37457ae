"""Record/result types and label sets."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

import stance
from stance.errors import DataValidationError, InvalidInputError, InvalidRecordError
from stance.schema import LABELS, PairRecord, StanceResult, find_target, records_from, results_to_dataframe


def test_label_sets_are_the_guideline_ones():
    assert stance.STANCE_LABELS == ("threatening", "conciliatory", "neutral")
    assert stance.SENTIMENT_LABELS == ("negative", "neutral", "positive")
    assert dict(LABELS) == {"stance": stance.STANCE_LABELS, "sentiment": stance.SENTIMENT_LABELS}


def test_record_round_trip_keeps_extra_fields():
    d = {"id": "a1", "text": "Beijing warned Taipei.", "target": "Taipei", "stance": "threatening",
         "sentiment": "negative", "quote_type": "indirect", "weird": [1, 2]}
    rec = PairRecord.from_dict(d)
    assert rec.extra["weird"] == [1, 2]
    assert rec.to_dict() == d
    with pytest.raises(TypeError):
        rec.extra["x"] = 1  # read-only
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.text = "x"


@pytest.mark.parametrize(
    "data, reason",
    [
        ([1, 2], "expected a JSON object"),
        ({"target": "X"}, "missing required field 'text'"),
        ({"text": "hi"}, "missing required field 'target'"),
        ({"text": "   ", "target": "X"}, "empty"),
        ({"text": 5, "target": "X"}, "must be a string"),
        ({"text": "a", "target": "X", "stance": "hostile"}, "unknown stance label 'hostile'"),
        ({"text": "a", "target": "X", "sentiment": "pos"}, "unknown sentiment label"),
        ({"text": "a", "target": "X", "quote_type": "said"}, "unknown quote_type"),
        ({"text": "a", "target": "X", "start": -3}, "non-negative integer"),
    ],
)
def test_invalid_records_name_the_problem(data, reason):
    with pytest.raises(InvalidRecordError) as exc:
        PairRecord.from_dict(data, source="f.jsonl", line=7)
    assert reason in str(exc.value)
    assert exc.value.problem.line == 7 and exc.value.problem.source == "f.jsonl"


def test_require_labels():
    with pytest.raises(InvalidRecordError, match="missing label field 'stance'"):
        PairRecord.from_dict({"text": "a", "target": "b"}, require_labels=True)


def test_empty_optional_strings_read_as_missing():
    rec = PairRecord.from_dict({"text": "a", "target": "b", "stance": "", "context": ""})
    assert rec.stance is None and rec.context is None


def test_find_target_and_target_found():
    assert find_target("Beijing warned TAIPEI", "Taipei") == (15, 21)
    assert find_target("Beijing warned", "Tokyo") is None
    rec = PairRecord(text="The mainland cannot bear it", target="China")
    assert rec.target_found is False


def test_records_from_single_and_list():
    recs, single = records_from({"text": "a", "target": "b"})
    assert single and len(recs) == 1
    recs, single = records_from([{"text": "a", "target": "b"}, PairRecord(text="c", target="d")])
    assert not single and [r.text for r in recs] == ["a", "c"]
    with pytest.raises(DataValidationError) as exc:
        records_from([{"text": "a", "target": "b"}, {"text": ""}])
    assert "<input>:2" in str(exc.value)
    with pytest.raises(InvalidInputError):
        records_from("just a string")


def _result():
    rec = PairRecord(text="We will strike", target="X", stance="threatening", sentiment="negative")
    return StanceResult(rec, "threatening", {"threatening": 0.7, "conciliatory": 0.1, "neutral": 0.2},
                        "negative", {"negative": 0.6, "neutral": 0.3, "positive": 0.1}, model="m")


def test_result_to_dict_and_dataframe():
    r = _result()
    d = r.to_dict()
    assert d["stance"] == "threatening" and d["gold_stance"] == "threatening"
    assert d["target_found"] is False
    assert abs(sum(d["stance_scores"].values()) - 1) < 1e-9
    df = results_to_dataframe([r, r])
    assert len(df) == 2 and "p_stance_threatening" in df.columns
    assert r.label("sentiment") == "negative"
    with pytest.raises(ValueError):
        r.scores("mood")
    with pytest.raises(TypeError):
        r.stance_scores["neutral"] = 1.0


def test_import_is_light():
    code = ("import sys, stance; heavy = [m for m in ('torch', 'transformers', 'spacy', 'sklearn', 'pandas', 'datasets') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api():
    expected = {"load", "classify", "evaluate", "dyads", "load_records", "results_to_dataframe", "PairRecord",
                "StanceResult", "STANCE_LABELS", "SENTIMENT_LABELS", "StanceError", "ModelNotFoundError"}
    assert expected <= set(stance.__all__)
    for name in stance.__all__:
        assert getattr(stance, name) is not None
    with pytest.raises(AttributeError):
        stance.not_a_thing


def test_results_to_dataframe_flattens_per_article_lists():
    from stance.schema import results_to_dataframe
    from stance.testing import KeywordClassifier

    a = KeywordClassifier().predict([{"text": "We will crush Atlantis.", "target": "Atlantis", "doc_id": "a"}])
    b = KeywordClassifier().predict([{"text": "We thank Lemuria.", "target": "Lemuria", "doc_id": "b"}])
    df = results_to_dataframe([a, b])
    assert df["doc_id"].tolist() == ["a", "b"]
    with pytest.raises(InvalidInputError):
        results_to_dataframe([a, "not a result"])
