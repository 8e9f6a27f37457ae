"""Tests of the evaluation harness (stance.evaluation, stance.plots).

Expected numbers in the hand-built tests are worked out by hand in the comments, not by
calling scikit-learn, so a wrong metric definition fails here.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from stance.classifier import results_from_proba
from stance.data import load_records
from stance.errors import DataValidationError, InvalidInputError
from stance.evaluation import (
    EvaluationReport,
    _bootstrap_weights,
    _headline,
    evaluate,
    paired_bootstrap,
    run_evaluation,
)
from stance.schema import PairRecord
from stance.testing import FixedClassifier, KeywordClassifier

T, C, N = "threatening", "conciliatory", "neutral"
NEG, NEU, POS = "negative", "neutral", "positive"

# id, gold stance, predicted stance, gold sentiment, predicted sentiment, source, target_actor
HAND = [
    ("r1", T, T, NEG, NEG, "wire", "China"),
    ("r2", T, T, NEG, NEU, "wire", "China"),
    ("r3", T, C, NEG, NEG, "wire", "China"),
    ("r4", C, C, POS, POS, "wire", "China"),
    ("r5", C, N, POS, POS, "wire", "Taiwan"),
    ("r6", N, N, NEU, NEU, "un", "Taiwan"),
    ("r7", N, N, NEU, NEU, "un", None),
    ("r8", N, T, NEU, NEG, "un", None),
]


def hand_data() -> list[dict]:
    rows = []
    for rid, st, _, se, _, src, actor in HAND:
        row = {"id": rid, "text": f"Statement {rid} about Atlantis.", "target": "Atlantis",
               "stance": st, "sentiment": se, "source": src}
        if actor is not None:
            row["target_actor"] = actor
        rows.append(row)
    return rows


def hand_model(confidence: float = 0.9) -> FixedClassifier:
    clf = FixedClassifier({rid: (pst, pse) for rid, _, pst, _, pse, _, _ in HAND}, confidence=confidence)
    clf.name = "hand"
    return clf


@pytest.fixture(scope="module")
def hand_report() -> EvaluationReport:
    return evaluate(hand_model(), hand_data(), n_bootstrap=30, seed=0, min_group_size=4)


@pytest.fixture(scope="module")
def small_path(fixtures_dir: Path) -> Path:
    return fixtures_dir / "pairs_small.jsonl"


@pytest.fixture(scope="module")
def small_records(small_path: Path) -> list[PairRecord]:
    return load_records(small_path, require_labels=True)


@pytest.fixture(scope="module")
def keyword_report(small_path: Path) -> EvaluationReport:
    return evaluate(KeywordClassifier(), small_path, n_bootstrap=100, seed=0)


@pytest.fixture(scope="module")
def oracle_report(small_records: list[PairRecord]) -> EvaluationReport:
    oracle = FixedClassifier({r.id: (r.stance, r.sentiment) for r in small_records}, confidence=0.7)
    return evaluate(oracle, small_records, n_bootstrap=20, seed=0, name="oracle")


# ---------------------------------------------------------------------------- hand metrics
def test_stance_metrics_by_hand(hand_report: EvaluationReport) -> None:
    st = hand_report["stance"]
    # gold T T T C C N N N / pred T T C C N N N T
    assert st.confusion_matrix == ((2, 1, 0), (0, 1, 1), (1, 0, 2))
    assert st.accuracy == pytest.approx(5 / 8)
    # T: predicted {r1,r2,r8}, 2 right, gold 3 -> P 2/3 R 2/3 F1 2/3
    # C: predicted {r3,r4}, 1 right, gold 2 -> P 1/2 R 1/2 F1 1/2
    # N: predicted {r5,r6,r7}, 2 right, gold 3 -> P 2/3 R 2/3 F1 2/3
    expected = {T: (2 / 3, 2 / 3, 2 / 3, 3), C: (1 / 2, 1 / 2, 1 / 2, 2), N: (2 / 3, 2 / 3, 2 / 3, 3)}
    for label, (p, r, f, s) in expected.items():
        cm = st.class_metrics(label)
        assert (cm.precision, cm.recall, cm.f1) == pytest.approx((p, r, f))
        assert cm.support == s
    assert [c.label for c in st.per_class] == [T, C, N]
    assert st.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)  # 11/18
    assert st.f_avg == pytest.approx((2 / 3 + 1 / 2) / 2)  # 7/12, threatening & conciliatory
    assert st.f_avg_labels == (T, C)


def test_sentiment_metrics_by_hand(hand_report: EvaluationReport) -> None:
    se = hand_report["sentiment"]
    # gold neg neg neg pos pos neu neu neu / pred neg neu neg pos pos neu neu neg
    assert se.confusion_matrix == ((2, 1, 0), (1, 2, 0), (0, 0, 2))
    assert se.accuracy == pytest.approx(6 / 8)
    # neg: predicted {r1,r3,r8} 2 right, gold 3; neu: predicted {r2,r6,r7} 2 right, gold 3; pos: 2/2
    assert [c.f1 for c in se.per_class] == pytest.approx([2 / 3, 2 / 3, 1.0])
    assert [c.support for c in se.per_class] == [3, 3, 2]
    assert se.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)  # 7/9
    assert se.f_avg == pytest.approx((2 / 3 + 1) / 2)  # 5/6, negative & positive
    assert se.f_avg_labels == (NEG, POS)


def test_breakdowns_by_hand(hand_report: EvaluationReport) -> None:
    st = hand_report["stance"]
    wire, un = st.by_source
    # sorted by size; "un" (3 items) is below min_group_size=4 and flagged, not dropped
    assert (wire.group, wire.n, wire.small) == ("wire", 5, False)
    assert (un.group, un.n, un.small) == ("un", 3, True)
    # wire: gold T T T C C / pred T T C C N: acc 3/5; F1 T 0.8, C 0.5, N 0 (predicted once, wrongly)
    assert wire.accuracy == pytest.approx(3 / 5)
    assert wire.macro_f1 == pytest.approx((0.8 + 0.5 + 0.0) / 3)
    # un: gold N N N / pred N N T: acc 2/3; F1 T 0 (predicted, wrong), N 0.8; C occurs nowhere -> left out
    assert un.accuracy == pytest.approx(2 / 3)
    assert un.macro_f1 == pytest.approx((0.0 + 0.8) / 2)
    groups = {g.group: g.n for g in st.by_target_actor}
    assert groups == {"China": 4, "Taiwan": 2, "(missing)": 2}
    assert [g.n for g in st.by_target_actor] == sorted(groups.values(), reverse=True)
    assert sum(g.n for g in hand_report["sentiment"].by_source) == hand_report.n


# ---------------------------------------------------------------------------- calibration
def test_ece_and_brier_by_hand(hand_report: EvaluationReport) -> None:
    # every confidence is 0.9 -> one bin; ECE = |accuracy - 0.9|
    assert hand_report["stance"].calibration.ece == pytest.approx(abs(5 / 8 - 0.9))  # 0.275
    assert hand_report["sentiment"].calibration.ece == pytest.approx(abs(6 / 8 - 0.9))  # 0.15
    # Brier: right item (0.1^2 + 2 * 0.05^2) = 0.015; wrong item (0.95^2 + 0.9^2 + 0.05^2) = 1.715
    assert hand_report["stance"].calibration.brier == pytest.approx((5 * 0.015 + 3 * 1.715) / 8)  # 0.6525
    assert hand_report["sentiment"].calibration.brier == pytest.approx((6 * 0.015 + 2 * 1.715) / 8)  # 0.44
    bins = hand_report["stance"].calibration.bins
    assert len(bins) == 15 and sum(b.count for b in bins) == 8
    (full,) = [b for b in bins if b.count]
    assert full.lower < 0.9 <= full.upper and full.accuracy == pytest.approx(5 / 8)


def test_ece_zero_when_calibrated() -> None:
    # sentiment accuracy is 3/4 and every confidence 0.75: perfectly calibrated
    rep = evaluate(hand_model(confidence=0.75), hand_data(), n_bootstrap=0)
    assert rep["sentiment"].calibration.ece == pytest.approx(0.0, abs=1e-12)
    assert rep["stance"].calibration.ece == pytest.approx(0.75 - 5 / 8)
    # all right with confidence 1: ECE 0 and Brier 0
    oracle = FixedClassifier({rid: (st, se) for rid, st, _, se, _, _, _ in HAND}, confidence=1.0)
    rep = evaluate(oracle, hand_data(), n_bootstrap=0)
    for task in ("stance", "sentiment"):
        assert rep[task].calibration.ece == pytest.approx(0.0, abs=1e-12)
        assert rep[task].calibration.brier == pytest.approx(0.0, abs=1e-12)
        assert rep[task].ci == {"accuracy": None, "macro_f1": None, "f_avg": None}


def test_ece_two_bins_by_hand() -> None:
    data = hand_data()[:4]  # gold stance T T T C
    records = load_records(data, require_labels=True)
    stance = np.array([
        [0.55, 0.25, 0.20],  # T, conf 0.55, right
        [0.55, 0.20, 0.25],  # T, conf 0.55, right
        [0.25, 0.55, 0.20],  # C, conf 0.55, wrong
        [0.02, 0.95, 0.03],  # C, conf 0.95, right
    ])
    sentiment = np.tile([0.6, 0.3, 0.1], (4, 1))
    results = results_from_proba(records, {"stance": stance, "sentiment": sentiment}, model="probe")
    cal = evaluate(results, data, n_bootstrap=0)["stance"].calibration
    # bin (8/15, 9/15]: 3 items, acc 2/3, conf 0.55; bin (14/15, 1]: 1 item, acc 1, conf 0.95
    # ECE = 3/4 * |2/3 - 0.55| + 1/4 * |1 - 0.95| = 0.0875 + 0.0125 = 0.1
    assert cal.ece == pytest.approx(0.1)
    counts = {i: b.count for i, b in enumerate(cal.bins) if b.count}
    assert counts == {8: 3, 14: 1}
    assert cal.bins[8].accuracy == pytest.approx(2 / 3) and cal.bins[8].mean_confidence == pytest.approx(0.55)
    # Brier by hand: sum of squared differences to the one-hot gold row
    rows = [(0.45**2 + 0.25**2 + 0.2**2), (0.45**2 + 0.2**2 + 0.25**2), (0.75**2 + 0.55**2 + 0.2**2), (0.02**2 + 0.05**2 + 0.03**2)]
    assert cal.brier == pytest.approx(sum(rows) / 4)


# ---------------------------------------------------------------------------- bootstrap
def test_bootstrap_reproducible_and_seeded(keyword_report: EvaluationReport, small_path: Path) -> None:
    again = evaluate(KeywordClassifier(), small_path, n_bootstrap=100, seed=0)
    other = evaluate(KeywordClassifier(), small_path, n_bootstrap=100, seed=1)
    for task in ("stance", "sentiment"):
        assert again[task].ci == keyword_report[task].ci
        assert again[task].accuracy == other[task].accuracy
    cis = [keyword_report[t].ci[m] for t in ("stance", "sentiment") for m in ("accuracy", "macro_f1", "f_avg")]
    other_cis = [other[t].ci[m] for t in ("stance", "sentiment") for m in ("accuracy", "macro_f1", "f_avg")]
    assert cis != other_cis


def test_ci_contains_point_estimate(keyword_report: EvaluationReport) -> None:
    for task in ("stance", "sentiment"):
        tr = keyword_report[task]
        for metric in ("accuracy", "macro_f1", "f_avg"):
            lo, hi = tr.ci[metric]
            assert lo <= tr.metric(metric) <= hi
            assert lo < hi  # 120 real items: the interval has width
            assert 0.0 <= lo and hi <= 1.0


def test_bootstrap_weights_equal_copied_resample() -> None:
    from sklearn.metrics import accuracy_score, f1_score

    rng = np.random.default_rng(5)
    y, p = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    for w in _bootstrap_weights(40, 5, seed=3):
        idx = np.repeat(np.arange(40), w)  # the resample, item i copied w[i] times
        acc, macro, favg = _headline(y, p, 3, [0, 1], w)
        assert acc == pytest.approx(accuracy_score(y[idx], p[idx]))
        assert macro == pytest.approx(f1_score(y[idx], p[idx], labels=[0, 1, 2], average="macro", zero_division=np.nan))
        per = f1_score(y[idx], p[idx], labels=[0, 1, 2], average=None, zero_division=np.nan)
        assert favg == pytest.approx((per[0] + per[1]) / 2)


# ---------------------------------------------------------------------------- inputs
def test_precomputed_results_equal_model(small_path: Path, small_records: list[PairRecord], keyword_report: EvaluationReport) -> None:
    results = KeywordClassifier().predict(small_records)
    from_results = evaluate(results, small_path, n_bootstrap=100, seed=0)
    assert from_results == keyword_report
    assert from_results.to_dict() == keyword_report.to_dict()
    assert from_results.name == "keyword-dummy"  # taken from StanceResult.model


def test_results_matched_by_position(small_records: list[PairRecord]) -> None:
    results = KeywordClassifier().predict(small_records[:10])
    with pytest.raises(InvalidInputError, match="same order"):
        evaluate(results[::-1], small_records[:10], n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="9 result"):
        evaluate(results[:9], small_records[:10], n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="StanceResult"):
        evaluate([*results[:9], {"stance": T}], small_records[:10], n_bootstrap=0)
    # without ids, text and target must agree
    no_ids = [{k: v for k, v in r.to_dict().items() if k != "id"} for r in small_records[:3]]
    res = KeywordClassifier().predict(no_ids)
    assert evaluate(res, no_ids, n_bootstrap=0).n == 3
    with pytest.raises(InvalidInputError, match="does not match"):
        evaluate(res[::-1], no_ids, n_bootstrap=0)


def test_bad_arguments() -> None:
    data = hand_data()
    with pytest.raises(InvalidInputError, match="n_bootstrap"):
        evaluate(hand_model(), data, n_bootstrap=-1)
    with pytest.raises(InvalidInputError, match="seed"):
        evaluate(hand_model(), data, seed=1.5)
    with pytest.raises(InvalidInputError, match="cannot evaluate"):
        evaluate(42, data)
    with pytest.raises(InvalidInputError, match="no records"):
        evaluate(hand_model(), [])
    unlabelled = [{k: v for k, v in row.items() if k != "sentiment"} for row in data]
    with pytest.raises(DataValidationError, match="sentiment"):
        evaluate(hand_model(), unlabelled)
    records = load_records(data[:1])
    bad = results_from_proba(records, {"stance": np.array([[0.5, 0.4, 0.4]]), "sentiment": np.array([[1.0, 0, 0]])}, model="x")
    with pytest.raises(InvalidInputError, match="not probabilities"):
        evaluate(bad, data[:1], n_bootstrap=0)


def test_to_dict_is_strict_json() -> None:
    # a model that always says neutral: precision of the other classes is undefined -> None
    allneutral = FixedClassifier({rid: (N, NEU) for rid, *_ in HAND})
    rep = evaluate(allneutral, hand_data(), n_bootstrap=20)
    d = rep.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert rep["stance"].class_metrics(T).precision is None
    assert rep["stance"].class_metrics(T).f1 == 0.0  # occurs in gold: counts as 0
    assert json.loads(text)["tasks"]["stance"]["confusion_matrix"]["matrix"] == [[0, 0, 3], [0, 0, 2], [0, 0, 3]]
    assert len(d["items"]) == 8 and d["items"][0] == {
        "id": "r1",
        "stance": {"gold": T, "pred": N, "probs": pytest.approx([0.05, 0.05, 0.9])},
        "sentiment": {"gold": NEG, "pred": NEU, "probs": pytest.approx([0.05, 0.9, 0.05])},
    }
    assert "items" not in rep.to_dict(include_items=False)


# ---------------------------------------------------------------------------- paired bootstrap
def test_paired_against_itself_is_zero(keyword_report: EvaluationReport) -> None:
    out = paired_bootstrap(keyword_report, keyword_report, n_bootstrap=50, seed=0)
    for task in ("stance", "sentiment"):
        for metric in ("accuracy", "macro_f1", "f_avg"):
            d = out["tasks"][task][metric]
            assert d["diff"] == 0.0 and d["ci"] == [0.0, 0.0] and d["p_b_le_a"] == 1.0


def test_paired_detects_better_model(keyword_report: EvaluationReport, oracle_report: EvaluationReport) -> None:
    out = paired_bootstrap(keyword_report, oracle_report, n_bootstrap=60, seed=0)
    assert (out["a"], out["b"], out["n"]) == ("keyword-dummy", "oracle", 120)
    for task in ("stance", "sentiment"):
        for metric in ("accuracy", "macro_f1", "f_avg"):
            d = out["tasks"][task][metric]
            assert d["b"] == 1.0
            assert d["diff"] == pytest.approx(1.0 - keyword_report[task].metric(metric))
            assert 0 < d["ci"][0] <= d["diff"] <= d["ci"][1]
            assert d["p_b_le_a"] == 0.0
    back = paired_bootstrap(oracle_report, keyword_report, n_bootstrap=60, seed=0)
    d, e = out["tasks"]["stance"]["macro_f1"], back["tasks"]["stance"]["macro_f1"]
    assert e["diff"] == pytest.approx(-d["diff"]) and e["ci"] == pytest.approx([-d["ci"][1], -d["ci"][0]])
    assert e["p_b_le_a"] == 1.0
    assert paired_bootstrap(keyword_report, oracle_report, n_bootstrap=60, seed=0) == out


def test_paired_refuses_different_data(small_records: list[PairRecord], keyword_report: EvaluationReport) -> None:
    first = evaluate(KeywordClassifier(), small_records[:60], n_bootstrap=0)
    second = evaluate(KeywordClassifier(), small_records[60:], n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="different data"):
        paired_bootstrap(first, second)
    # same texts, one gold label changed
    changed = [r.to_dict() for r in small_records]
    changed[0]["stance"] = next(s for s in (T, C, N) if s != changed[0]["stance"])
    relabelled = evaluate(KeywordClassifier(), changed, n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="different data"):
        paired_bootstrap(keyword_report, relabelled)
    with pytest.raises(InvalidInputError, match="EvaluationReport"):
        paired_bootstrap(keyword_report, keyword_report.to_dict())


# ---------------------------------------------------------------------------- run_evaluation
def test_run_evaluation_writes_report(tmp_path: Path, small_path: Path, small_records: list[PairRecord]) -> None:
    oracle = FixedClassifier({r.id: (r.stance, r.sentiment) for r in small_records}, confidence=0.7)
    out_dir = tmp_path / "eval"
    doc = run_evaluation([KeywordClassifier(), ("oracle", oracle)], small_path, out_dir, n_bootstrap=30, seed=3)
    on_disk = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(doc))
    meta = on_disk["metadata"]
    assert meta["models"] == ["keyword-dummy", "oracle"]
    assert meta["data_path"] == str(small_path.resolve())
    assert meta["data_sha256"] == hashlib.sha256(small_path.read_bytes()).hexdigest()
    assert meta["n_items"] == 120 and meta["seed"] == 3 and meta["n_bootstrap"] == 30
    assert meta["date_utc"].endswith("+00:00")
    for lib in ("stance", "numpy", "scikit-learn", "torch", "transformers"):
        assert lib in meta["versions"]
    assert meta["versions"]["numpy"] == np.__version__
    assert [m["name"] for m in on_disk["models"]] == ["keyword-dummy", "oracle"]
    assert on_disk["models"][0]["tasks"]["stance"]["accuracy"] == pytest.approx(
        evaluate(KeywordClassifier(), small_path, n_bootstrap=0)["stance"].accuracy
    )
    (pair,) = on_disk["paired"]
    assert (pair["a"], pair["b"]) == ("keyword-dummy", "oracle")
    pngs = sorted(p.name for p in out_dir.glob("*.png"))
    assert len(pngs) == 8  # 2 models x 2 tasks x (confusion, reliability)
    for name in pngs:
        assert (out_dir / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert on_disk["plots"]["oracle"]["stance"] == {"confusion": "oracle_stance_confusion.png", "reliability": "oracle_stance_reliability.png"}
    summary = (out_dir / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Evaluation report")
    assert "## Stance" in summary and "## Sentiment" in summary
    assert "Paired differences" in summary and "`oracle`" in summary
    assert "By source" in summary and "By target actor" in summary
    assert "| threatening |" in summary
    for name in pngs:
        assert f"({name})" in summary


def test_run_evaluation_names_and_inputs(tmp_path: Path) -> None:
    data = hand_data()
    doc = run_evaluation([hand_model(), hand_model()], data, tmp_path, n_bootstrap=10)
    assert doc["metadata"]["models"] == ["hand", "hand-2"]
    assert doc["metadata"]["data_path"] is None and doc["metadata"]["data_sha256"] is None
    assert len(list(tmp_path.glob("hand-2_*.png"))) == 4
    # the same model twice: paired difference is exactly zero
    assert doc["paired"][0]["tasks"]["stance"]["macro_f1"]["diff"] == 0.0
    with pytest.raises(InvalidInputError, match="empty"):
        run_evaluation([], data, tmp_path)
    with pytest.raises(InvalidInputError, match="model 1"):
        run_evaluation(["not a model"], data, tmp_path)


def test_plot_functions_draw_into_given_axes(hand_report: EvaluationReport) -> None:
    from matplotlib.figure import Figure

    from stance.plots import plot_confusion_matrix, plot_reliability_diagram

    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert plot_confusion_matrix(hand_report["stance"], ax=ax1, normalize=True) is fig
    assert plot_reliability_diagram(hand_report["stance"], ax=ax2) is fig
    # the confusion matrix shows the hand counts (normalised by row)
    texts = [t.get_text() for t in ax1.texts]
    assert texts[:3] == ["0.67", "0.33", "0.00"]
    with pytest.raises(InvalidInputError):
        plot_confusion_matrix(hand_report)
    assert not math.isnan(hand_report["stance"].calibration.ece)


def test_sentiment_only_evaluation(tmp_path):
    """Sentiment-only data (like NewsMTSC) is scored with tasks=("sentiment",); missing labels
    of an evaluated task are reported, not guessed."""
    from stance.errors import DataValidationError
    from stance.testing import KeywordClassifier

    data = [
        {"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis", "sentiment": "negative"},
        {"id": "b", "text": "We welcome talks with Atlantis.", "target": "Atlantis", "sentiment": "positive"},
        {"id": "c", "text": "Atlantis held elections.", "target": "Atlantis", "sentiment": "positive"},
    ]
    rep = evaluate(KeywordClassifier(), data, tasks=("sentiment",), n_bootstrap=20)
    assert set(rep.tasks) == {"sentiment"}
    assert abs(rep["sentiment"].accuracy - 2 / 3) < 1e-9
    with pytest.raises(DataValidationError, match="missing label field 'stance'"):
        evaluate(KeywordClassifier(), data, n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="tasks"):
        evaluate(KeywordClassifier(), data, tasks=("mood",))
    assert paired_bootstrap(rep, rep, n_bootstrap=20)["tasks"]["sentiment"]["macro_f1"]["diff"] == 0
    doc = run_evaluation([KeywordClassifier()], data, tmp_path, tasks=["sentiment"], n_bootstrap=20)
    assert "## Sentiment" in (tmp_path / "summary.md").read_text() and "## Stance" not in (tmp_path / "summary.md").read_text()
    assert doc["models"][0]["tasks"].keys() == {"sentiment"}
