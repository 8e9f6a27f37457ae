"""Tests of the scikit-learn baseline (stance.baseline): estimator conventions, persistence,
integrity and type checks, target-awareness, and the shipped model."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import FunctionTransformer

import stance
from stance import baseline
from stance.baseline import BaselineClassifier, TargetedTextClassifier, read_newsmtsc, record_columns, train_baseline
from stance.data import load_records
from stance.errors import DataValidationError, InvalidInputError, ModelIntegrityError, ModelLoadError, ModelNotFoundError
from stance.integrity import write_manifest
from stance.loading import models_dir
from stance.schema import LABELS, TASKS, PairRecord, StanceResult

# Small vocabularies overfit the 120-pair fixture quickly.
FAST = {"C": 10.0, "min_df": 1}


@pytest.fixture(scope="module")
def records(fixtures_dir: Path) -> list[PairRecord]:
    return load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)


@pytest.fixture(scope="module")
def fitted(records) -> BaselineClassifier:
    return BaselineClassifier(stance_params=FAST, sentiment_params=FAST).fit(records)


@pytest.fixture()
def saved(fitted, tmp_path) -> Path:
    return fitted.save(tmp_path / "model")


# -- scikit-learn conventions ---------------------------------------------------------------
def test_init_only_stores_params_and_clone_works():
    est = TargetedTextClassifier(C=3.0, window=2, use_context=True)
    params = est.get_params()
    assert params["C"] == 3.0 and params["window"] == 2 and params["use_context"] is True
    assert params["class_weight"] == "balanced"
    copy = clone(est)
    assert copy is not est and copy.get_params() == params
    assert not hasattr(copy, "classes_")
    assert est.set_params(C=0.5) is est and est.C == 0.5


def test_not_fitted_error_before_fit(records):
    est = TargetedTextClassifier()
    with pytest.raises(NotFittedError):
        est.predict_proba(records[:2])
    with pytest.raises(NotFittedError):
        est.predict(records[:2])
    with pytest.raises(NotFittedError):
        BaselineClassifier().predict(records[0])


def test_fit_returns_self_and_sets_classes_proba_order(records):
    y = [r.stance for r in records]
    est = TargetedTextClassifier(**FAST)
    assert est.fit(records, y) is est
    assert list(est.classes_) == sorted(set(y))
    proba = est.predict_proba(records)
    assert proba.shape == (len(records), len(est.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # columns follow classes_: predict is the argmax column's class
    assert list(est.predict(records)) == list(est.classes_[proba.argmax(axis=1)])
    # it learns the training data (overfitting a tiny set is the point here)
    assert est.score(records, y) >= 0.95
    # a clone of a fitted estimator is unfitted and refits to the same probabilities
    again = clone(est).fit(records, y)
    np.testing.assert_allclose(again.predict_proba(records), proba)


def test_dicts_and_records_give_the_same_result(records):
    y = [r.sentiment for r in records]
    a = TargetedTextClassifier(**FAST).fit(records, y)
    b = TargetedTextClassifier(**FAST).fit([r.to_dict() for r in records], y)
    np.testing.assert_allclose(a.predict_proba(records[:10]), b.predict_proba([r.to_dict() for r in records[:10]]))


def test_fit_rejects_bad_input(records):
    with pytest.raises(InvalidInputError):
        TargetedTextClassifier().fit(records, ["neutral"] * (len(records) - 1))
    with pytest.raises(InvalidInputError):
        TargetedTextClassifier().fit(records[:3], ["neutral"] * 3)
    with pytest.raises(DataValidationError):
        TargetedTextClassifier().fit([{"text": "x"}, {"text": "y", "target": "z"}], ["neutral", "negative"])
    with pytest.raises(InvalidInputError):
        TargetedTextClassifier(C=-1).fit(records, [r.stance for r in records])


def test_classifier_maps_classes_to_labels_order(fitted, records):
    probs = fitted.predict_proba(records[:15])
    for task in TASKS:
        est = fitted.estimators_[task]
        raw = est.predict_proba(records[:15])
        assert probs[task].shape == (15, len(LABELS[task]))
        for j, label in enumerate(est.classes_):
            np.testing.assert_allclose(probs[task][:, LABELS[task].index(label)], raw[:, j])
    # stance classes_ are sorted alphabetically, which differs from LABELS order
    assert list(fitted.estimators_["stance"].classes_) != list(LABELS["stance"])


# -- target-awareness -----------------------------------------------------------------------
def test_same_text_two_targets_gets_different_features(fitted):
    text = "China warned that Taiwan would pay a heavy price, while thanking Japan for its restraint."
    a = PairRecord(text=text, target="Taiwan", speaker_actor="China", target_actor="Taiwan")
    b = PairRecord(text=text, target="Japan", speaker_actor="China", target_actor="Japan")
    ca, cb = record_columns(a, 4), record_columns(b, 4)
    assert baseline.TARGET_TOKEN in ca[0] and "Taiwan" not in ca[0] and "Japan" in ca[0]
    assert "r_would" in ca[1] and "r_for" in cb[1]
    est = fitted.estimators_["stance"]
    fa, fb = est.transform_features([a, b])
    assert (fa != fb).nnz > 0
    assert not np.allclose(est.decision_function([a]), est.decision_function([b]))


def test_target_not_in_text_is_marked(fitted):
    rec = PairRecord(text="They will pay a heavy price.", target="Iran")
    text, window, meta, _ = record_columns(rec, 4)
    assert text == rec.text and window == "notarget" and "tmissing" in meta
    assert fitted.predict(rec).stance in LABELS["stance"]


# -- predict interface ----------------------------------------------------------------------
def test_predict_one_and_many(fitted, records):
    one = fitted.predict(records[0])
    assert isinstance(one, StanceResult) and one.model == "baseline"
    assert abs(sum(one.stance_scores.values()) - 1) < 1e-9
    many = fitted.predict(records[:7], batch_size=3)
    assert isinstance(many, list) and [r.record.id for r in many] == [r.id for r in records[:7]]
    assert [r.stance for r in many] == [fitted.predict(r).stance for r in records[:7]]
    # training fit is learned: most stance labels come back
    acc = np.mean([p.stance == r.stance for p, r in zip(fitted.predict(records), records)])
    assert acc >= 0.9


# -- persistence -----------------------------------------------------------------------------
def test_save_then_load_gives_identical_probabilities(fitted, saved, records):
    cfg = json.loads((saved / "stance_config.json").read_text())
    assert cfg["kind"] == "baseline" and cfg["labels"] == {t: list(LABELS[t]) for t in TASKS}
    assert "scikit-learn" in cfg["versions"] and cfg["params"]["stance"]["C"] == 10.0
    assert (saved / "manifest.json").is_file() and (saved / "stance.skops").is_file() and (saved / "sentiment.skops").is_file()
    loaded = BaselineClassifier.load(saved)
    via_api = stance.load(saved)
    assert isinstance(via_api, BaselineClassifier)
    before, after = fitted.predict_proba(records), loaded.predict_proba(records)
    for task in TASKS:
        np.testing.assert_array_equal(before[task], after[task])
        np.testing.assert_array_equal(via_api.predict_proba(records)[task], before[task])


def test_manifest_mismatch_is_refused(fitted, saved):
    f = saved / "stance.skops"
    data = bytearray(f.read_bytes())
    data[-10] ^= 0xFF
    f.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError):
        BaselineClassifier.load(saved)


def test_untrusted_type_is_refused(fitted, saved):
    import skops.io as sio

    est = clone(fitted.estimators_["stance"]).fit(*_xy(fitted))
    est.pipeline_.steps.insert(0, ("evil", FunctionTransformer(func=eval)))
    sio.dump(est, saved / "stance.skops")
    write_manifest(saved)  # the manifest matches, so only the type check can stop it
    with pytest.raises(ModelLoadError, match="builtins.eval"):
        BaselineClassifier.load(saved)


def _xy(fitted):
    recs = [PairRecord(text=f"We will {w} Atlantis.", target="Atlantis") for w in ("strike", "hug", "see")]
    return recs, ["threatening", "conciliatory", "neutral"]


def test_missing_or_broken_model_dirs(tmp_path, saved):
    with pytest.raises(ModelNotFoundError, match="train-baseline"):
        BaselineClassifier.load(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="train-baseline"):
        BaselineClassifier.load(tmp_path / "empty")
    (saved / "sentiment.skops").unlink()
    with pytest.raises(ModelIntegrityError):
        BaselineClassifier.load(saved)


def test_save_keeps_model_card(fitted, tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "README.md").write_text("card")
    fitted.save(tmp_path / "m")
    assert (tmp_path / "m" / "README.md").read_text() == "card"
    (tmp_path / "m" / "README.md").write_text("edited card")
    BaselineClassifier.load(tmp_path / "m")  # the card is not under the manifest


# -- NewsMTSC and training -------------------------------------------------------------------
def _newsmtsc_file(path: Path) -> Path:
    rows = [
        {"primary_gid": "a", "sentence_normalized": "Trump praised Macron for his leadership.",
         "targets": [{"Input.gid": "a1", "from": 0, "to": 5, "mention": "Trump", "polarity": 4.0},
                     {"Input.gid": "a2", "from": 14, "to": 20, "mention": "Macron", "polarity": 6.0}]},
        {"primary_gid": "b", "sentence_normalized": "Critics blamed Putin for the attack.",
         "targets": [{"Input.gid": "b1", "from": 15, "to": 20, "mention": "Putin", "polarity": 2.0}]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_read_newsmtsc(tmp_path):
    f = _newsmtsc_file(tmp_path / "n.jsonl")
    recs, counts = read_newsmtsc(f)
    assert [(r.target, r.sentiment) for r in recs] == [("Trump", "neutral"), ("Macron", "positive"), ("Putin", "negative")]
    assert all(r.stance is None for r in recs) and counts["targets"] == 3
    recs, counts = read_newsmtsc(f, exclude_texts=["critics  BLAMED Putin for"])  # case and spacing ignored
    assert len(recs) == 2 and counts["excluded_sentences"] == 1
    recs, counts = read_newsmtsc(f, exclude_texts=["Putin", "the attack."])  # too short to mean the same sentence
    assert len(recs) == 3 and counts.get("excluded_sentences", 0) == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"sentence_normalized": "x y", "targets": [{"mention": "x", "polarity": 3.0}]}\nnot json\n')
    with pytest.raises(DataValidationError) as exc:
        read_newsmtsc(bad)
    assert len(exc.value.problems) == 2


def test_train_baseline_small(records, tmp_path, monkeypatch):
    monkeypatch.setattr(baseline, "C_GRID", (1.0, 10.0))
    monkeypatch.setattr(baseline, "CONTEXT_GRID", (False,))
    monkeypatch.setattr(baseline, "NEWSMTSC_WEIGHTS", (0.5,))
    train, dev = records[::2], records[1::2]
    out = train_baseline(train, dev, tmp_path / "m", newsmtsc=_newsmtsc_file(tmp_path / "n.jsonl"), seed=3, show_progress=False)
    assert set(out["params"]) == set(TASKS) and out["params"]["stance"]["C"] in (1.0, 10.0)
    assert len(out["grid"]) == 2 * 3  # stance, sentiment, sentiment + NewsMTSC
    for task in TASKS:
        assert 0.0 <= out["dev"][task]["macro_f1"] <= 1.0
    clf = BaselineClassifier.load(tmp_path / "m")
    assert clf.evaluate_records(dev) == out["dev"]
    assert out["newsmtsc_weight"] in (None, 0.5)
    cfg = json.loads((tmp_path / "m" / "stance_config.json").read_text())
    assert cfg["dev_scores"] == out["dev"] and cfg["training"]["seed"] == 3


# -- the shipped model -----------------------------------------------------------------------
SHIPPED = models_dir() / "baseline" / "stance_config.json"


@pytest.fixture(scope="module")
def shipped() -> BaselineClassifier:
    if not SHIPPED.is_file():
        pytest.skip("no shipped baseline in models/")
    return stance.load("baseline")


def test_shipped_baseline_loads_and_predicts(shipped):
    assert isinstance(shipped, BaselineClassifier) and shipped.name == "baseline"
    recs = [
        {"text": "We thank Japan for its generous support and look forward to close cooperation.", "target": "Japan"},
        {"text": "China warned that Taiwan would pay a heavy price.", "target": "Taiwan", "speaker_actor": "China"},
    ]
    res = shipped.predict(recs)
    assert [r.record.target for r in res] == ["Japan", "Taiwan"]
    assert res[0].stance == "conciliatory" and res[0].sentiment == "positive"
    for r in res:
        assert abs(sum(r.stance_scores.values()) - 1) < 1e-9 and abs(sum(r.sentiment_scores.values()) - 1) < 1e-9


def test_shipped_baseline_reproduces_its_dev_scores(shipped, shared_dir):
    """The dev scores written in the model's config (and its model card) come from this model."""
    dev = shared_dir / "data" / "annotated" / "dev.jsonl"
    if not dev.is_file():
        pytest.skip("annotated dev set not available")
    got = shipped.evaluate_records(dev)
    want = json.loads(SHIPPED.read_text())["dev_scores"]
    for task in TASKS:
        assert got[task]["n"] == want[task]["n"]
        assert got[task]["accuracy"] == pytest.approx(want[task]["accuracy"], abs=1e-9)
        assert got[task]["macro_f1"] == pytest.approx(want[task]["macro_f1"], abs=1e-9)
    assert got["stance"]["macro_f1"] > 0.6 and got["sentiment"]["macro_f1"] > 0.6
