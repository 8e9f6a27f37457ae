"""Property-based tests (hypothesis) over arbitrary Unicode statements and targets.

For every classifier: no crash, probabilities finite, in [0, 1] and summing to 1 per task,
the label is the most probable one, output length and order equal input, a batch gives the
same scores as one-by-one prediction (any batch size), and the same input gives the same output.

Classifiers: the keyword dummy, a real baseline fitted on the 120-pair fixture, the shipped
baseline (``models/baseline``) and the shipped transformer (``models/stance-minilm``) when they
exist. The default run keeps ~30 examples per property (4 for the transformer); the fuzz
run (``pytest -m fuzz tests/test_fuzz.py``, ``scripts/fuzz.py``) runs the same properties at scale.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stance
from stance.baseline import BaselineClassifier
from stance.data import load_records
from stance.loading import models_dir
from stance.schema import LABELS, TASKS, PairRecord
from stance.testing import KeywordClassifier

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pairs_small.jsonl"
FAST = {"C": 10.0, "min_df": 1}

# -- strategies ---------------------------------------------------------------------------------
# Any Unicode text hypothesis generates (all planes, control characters, combining marks, RTL,
# emoji; no lone surrogates: see test_reliability.py for those), with at least one non-space.
_chars = st.characters(codec="utf-8")
_any_text = st.text(_chars, min_size=1, max_size=300).filter(lambda s: s.strip() != "")
_newsy = st.sampled_from([
    "We will crush Atlantis.", "Beijing warned Taipei of a heavy price.", "Peace talks with Lemuria resume.",
    "Москва предупредила Киев.", "中国警告台湾。", "هددت إيران إسرائيل", "The minister thanked Japan for its help.",
])
TEXTS = st.one_of(_any_text, _newsy, st.builds(lambda a, b: a + " " + b, _newsy, _any_text))
TARGETS = st.text(_chars, min_size=1, max_size=40).filter(lambda s: s.strip() != "")


@st.composite
def records(draw) -> dict:
    text = draw(TEXTS)
    if draw(st.booleans()) and len(text.strip()) > 0:
        # a target that occurs in the text: a random slice of it
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i + 1, min(len(text), i + 40)))
        target = text[i:j] if text[i:j].strip() else draw(TARGETS)
    else:
        target = draw(TARGETS)
    rec = {"text": text, "target": target}
    if draw(st.booleans()):
        rec["speaker_actor"] = draw(st.one_of(st.none(), TARGETS))
        rec["context"] = draw(st.one_of(st.none(), TEXTS))
    return rec


BATCHES = st.lists(records(), min_size=1, max_size=8)
SMALL_BATCHES = st.lists(records(), min_size=1, max_size=4)  # for the (slower) transformer


# -- classifiers --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_baseline():
    recs = load_records(FIXTURE, require_labels=True)
    return BaselineClassifier(stance_params=FAST, sentiment_params=FAST).fit(recs)


def _shipped(name: str):
    if not (models_dir() / name / "stance_config.json").is_file():
        pytest.skip(f"no shipped model models/{name}")
    return stance.load(name)


@pytest.fixture(scope="module")
def shipped_baseline():
    return _shipped("baseline")


@pytest.fixture(scope="module")
def shipped_transformer():
    return _shipped("stance-minilm")


@pytest.fixture(scope="module")
def shipped_transformer_fp32(shipped_transformer):
    if not getattr(shipped_transformer, "quantized", False):
        pytest.skip("the shipped transformer loads in fp32 by default (covered by transformer-shipped)")
    return stance.load("stance-minilm", quantize="none")


# name -> (fixture, examples per property, tolerance for batched vs one-by-one)
MODELS = {
    "keyword": (None, 30, 0.0),
    "baseline-fixture": ("fixture_baseline", 30, 1e-12),
    "baseline-shipped": ("shipped_baseline", 30, 1e-12),
    "transformer-shipped": ("shipped_transformer", 4, 1e-5),
    # only for batched == one-by-one, when the shipped default is int8
    "transformer-shipped-fp32": ("shipped_transformer_fp32", 4, 1e-5),
}
INT8_REASON = ("bug: with int8 dynamic quantisation a record's scores depend on the other records in its batch "
               "(activations are quantised per batch tensor); see tests/test_reliability.py")


@pytest.fixture(params=list(MODELS))
def model(request):
    fixture, n, tol = MODELS[request.param]
    if request.param.endswith("-fp32") and request.function.__name__ != "test_batched_equals_one_by_one":
        pytest.skip("the fp32 variant is only used for batched == one-by-one")
    clf = KeywordClassifier() if fixture is None else request.getfixturevalue(fixture)
    return clf, n, tol


def _batches(n: int):
    return BATCHES if n > 10 else SMALL_BATCHES


def _settings(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# -- the properties (shared with tests/test_fuzz.py and scripts/fuzz.py) ------------------------
def check_result_invariants(clf, batch: list[dict]) -> list:
    """Run ``predict`` on a batch and check the invariants of every result; return them."""
    results = clf.predict(batch, show_progress=False)
    assert isinstance(results, list) and len(results) == len(batch)
    for res, rec in zip(results, batch):
        assert res.record.text == rec["text"] and res.record.target == rec["target"]  # order kept
        for task in TASKS:
            scores = res.scores(task)
            assert tuple(scores) == LABELS[task]
            p = np.array(list(scores.values()))
            assert np.all(np.isfinite(p)) and np.all(p >= 0) and np.all(p <= 1), p
            assert abs(p.sum() - 1) < 1e-6, p
            assert res.label(task) == LABELS[task][int(np.argmax(p))]
        if res.target_found:  # a found target really occurs in the text
            assert re.search(re.escape(rec["target"].strip()), rec["text"], re.IGNORECASE)
    return results


def check_batch_equals_single(clf, batch: list[dict], batch_size: int, tol: float) -> None:
    together = clf.predict_proba(batch, batch_size=batch_size, show_progress=False)
    for i, rec in enumerate(batch):
        alone = clf.predict_proba(rec, show_progress=False)
        for task in TASKS:
            assert together[task].shape == (len(batch), 3)
            np.testing.assert_allclose(together[task][i], alone[task][0], rtol=0, atol=tol)


def check_same_input_same_output(clf, batch: list[dict]) -> None:
    a = clf.predict_proba(batch, show_progress=False)
    b = clf.predict_proba(list(reversed(batch)), show_progress=False)
    c = clf.predict_proba(batch, show_progress=False)
    for task in TASKS:
        np.testing.assert_array_equal(a[task], c[task])
        # the same records in another order get the same scores (up to padding effects)
        np.testing.assert_allclose(a[task], b[task][::-1], rtol=0, atol=1e-5)


# -- tests --------------------------------------------------------------------------------------
def test_invariants(model):
    clf, n, _ = model

    @_settings(n)
    @given(_batches(n))
    def run(batch):
        check_result_invariants(clf, batch)

    run()


def test_batched_equals_one_by_one(model):
    clf, n, tol = model
    if getattr(clf, "quantized", False):
        # known int8 issue: check on the fixture, and report XFAIL (not a hypothesis hunt) if it breaks
        batch = [r.to_dict() for r in load_records(FIXTURE)[:16]]
        try:
            check_batch_equals_single(clf, batch, 16, tol)
        except AssertionError:
            pytest.xfail(INT8_REASON)
        return

    @_settings(n)
    @given(_batches(n), st.integers(1, 9))
    def run(batch, batch_size):
        check_batch_equals_single(clf, batch, batch_size, tol)

    run()


def test_same_input_same_output(model):
    clf, n, _ = model

    @_settings(n)
    @given(_batches(n))
    def run(batch):
        check_same_input_same_output(clf, batch)

    run()


def test_classify_never_crashes_on_unicode(model):
    """stance.classify with any statement and any targets: one valid result per target."""
    clf, n, _ = model

    @_settings(n)
    @given(TEXTS, st.lists(TARGETS, min_size=1, max_size=4 if n > 10 else 2))
    def run(text, targets):
        res = stance.classify(text, targets=targets, model=clf, show_progress=False)
        assert [r.record.target for r in res] == targets
        check_result_invariants(clf, [{"text": text, "target": t} for t in targets])

    run()


@_settings(30)
@given(st.dictionaries(st.sampled_from(["text", "target", "id", "stance", "sentiment", "start", "speaker", "quote_type", "x"]),
                       st.one_of(st.none(), st.text(max_size=20), st.integers(-3, 3), st.floats(), st.booleans(),
                                 st.lists(st.integers(), max_size=2)),
                       max_size=7))
def test_record_from_any_mapping_is_valid_or_typed_error(data):
    """Any mapping becomes a valid record or an InvalidRecordError, never anything else."""
    try:
        rec = PairRecord.from_dict(data)
    except stance.InvalidRecordError as exc:
        assert exc.problem.reason
        return
    assert rec.text.strip() and rec.target.strip()
    assert rec.to_dict()["text"] == rec.text
