"""Evaluation harness: metrics with bootstrap confidence intervals, calibration, breakdowns,
paired model comparison and on-disk reports.

Definitions (all per task, ``"stance"`` and ``"sentiment"``; labels in :data:`stance.LABELS` order):

- **accuracy**, **per-class precision / recall / F1 / support** and the **confusion matrix**
  (rows = gold label, columns = predicted label) come from :mod:`sklearn.metrics`.
- **macro-F1** is the unweighted mean of the per-class F1 scores. A class that occurs neither in
  the gold labels nor in the predictions has an undefined F1 (scikit-learn's
  ``zero_division=np.nan``) and is left out of the mean; a class that occurs in either one
  always counts (with F1 = 0 when it is never predicted correctly).
- **F_avg** is the mean F1 of the two polar classes, the SemEval-2016 stance convention:
  ``threatening`` and ``conciliatory`` for stance; ``negative`` and ``positive`` for sentiment.
- **Bootstrap CIs** are 95% percentile intervals from ``n_bootstrap`` resamples of the
  (gold, prediction) pairs, drawn with replacement with :func:`numpy.random.default_rng` (``seed``).
  A resample is passed to scikit-learn as integer ``sample_weight`` (how often each item was
  drawn), which gives the same numbers as copying the items. The same seed always gives the
  same intervals.
- **ECE** (expected calibration error) is the *top-label* multiclass ECE of Guo et al. (2017):
  each item's confidence is the probability the model gave its predicted label; confidences are
  put into 15 equal-width bins ``(k/15, (k+1)/15]`` (a confidence of exactly 0 goes to the first
  bin), and ``ECE = sum_b (n_b / n) * |accuracy_b - mean_confidence_b|``.
- **Brier score** is the multiclass Brier score ``mean_i sum_k (p_ik - y_ik)^2`` (range 0 to 2;
  :func:`sklearn.metrics.brier_score_loss` with ``scale_by_half=False``).
- **Breakdowns** by ``source`` and by ``target_actor`` give n, accuracy and macro-F1 per group,
  largest group first; groups smaller than ``min_group_size`` are kept and flagged ``small``.
  Records without the field are grouped under ``"(missing)"``.

Undefined numbers (the precision of a class that is never predicted, an F_avg when neither polar
class occurs) are ``None``, never NaN, so reports compare equal and serialise to strict JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import platform
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    precision_recall_fscore_support,
)

from stance.errors import InvalidInputError
from stance.schema import LABELS, TASKS, PairRecord, StanceResult

__all__ = [
    "evaluate",
    "paired_bootstrap",
    "run_evaluation",
    "summary_markdown",
    "EvaluationReport",
    "TaskReport",
    "ClassMetrics",
    "Calibration",
    "ReliabilityBin",
    "GroupMetrics",
    "F_AVG_LABELS",
    "METRICS",
    "CI_LEVEL",
    "ECE_BINS",
    "DEFAULT_MIN_GROUP_SIZE",
]

logger = logging.getLogger("stance.evaluation")

#: The headline metrics that get bootstrap CIs and paired comparisons.
METRICS: tuple[str, ...] = ("accuracy", "macro_f1", "f_avg")
#: Confidence level of every bootstrap interval.
CI_LEVEL: float = 0.95
#: Number of equal-width confidence bins of the ECE and the reliability diagram.
ECE_BINS: int = 15
#: Groups with fewer items than this are flagged ``small`` in the breakdowns.
DEFAULT_MIN_GROUP_SIZE: int = 20
#: The polar classes whose mean F1 is F_avg, per task.
F_AVG_LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"stance": ("threatening", "conciliatory"), "sentiment": ("negative", "positive")}
)
_MISSING_GROUP = "(missing)"
_PROB_SUM_TOL = 1e-3


# ---------------------------------------------------------------------------------------------
# result types
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall and F1 of one label; ``None`` where undefined (e.g. the precision of
    a label that is never predicted). ``support`` is the number of gold items with the label."""

    label: str
    precision: float | None
    recall: float | None
    f1: float | None
    support: int

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "precision": self.precision, "recall": self.recall, "f1": self.f1, "support": self.support}


@dataclass(frozen=True)
class ReliabilityBin:
    """One confidence bin ``(lower, upper]`` of the reliability diagram. ``mean_confidence`` and
    ``accuracy`` are ``None`` for an empty bin."""

    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    accuracy: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": self.lower,
            "upper": self.upper,
            "count": self.count,
            "mean_confidence": self.mean_confidence,
            "accuracy": self.accuracy,
        }


@dataclass(frozen=True)
class Calibration:
    """Top-label expected calibration error, multiclass Brier score and the reliability bins
    (see the module docstring for the definitions)."""

    ece: float
    brier: float
    n_bins: int
    bins: tuple[ReliabilityBin, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ece": self.ece,
            "ece_definition": f"top-label, {self.n_bins} equal-width bins, sum_b n_b/n * |acc_b - conf_b|",
            "brier": self.brier,
            "brier_definition": "multiclass, mean over items of sum over labels of (p - onehot)^2, range 0..2",
            "n_bins": self.n_bins,
            "bins": [b.to_dict() for b in self.bins],
        }


@dataclass(frozen=True)
class GroupMetrics:
    """Metrics of one group of a breakdown (one ``source`` or one ``target_actor``)."""

    group: str
    n: int
    accuracy: float
    macro_f1: float
    small: bool

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "n": self.n, "accuracy": self.accuracy, "macro_f1": self.macro_f1, "small": self.small}


@dataclass(frozen=True, repr=False)
class TaskReport:
    """Everything measured for one task.

    ``ci`` maps each name in :data:`METRICS` to its ``(low, high)`` 95% bootstrap interval
    (``None`` when ``n_bootstrap`` was 0 or the metric is undefined). ``gold``, ``pred`` and
    ``probs`` keep the per-item gold label, predicted label and probabilities (columns in
    ``labels`` order) for paired tests.
    """

    task: str
    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    f_avg: float | None
    f_avg_labels: tuple[str, str]
    ci: Mapping[str, tuple[float, float] | None]
    per_class: tuple[ClassMetrics, ...]
    confusion_matrix: tuple[tuple[int, ...], ...]
    calibration: Calibration
    by_source: tuple[GroupMetrics, ...]
    by_target_actor: tuple[GroupMetrics, ...]
    gold: tuple[str, ...] = field(repr=False)
    pred: tuple[str, ...] = field(repr=False)
    probs: tuple[tuple[float, ...], ...] = field(repr=False)

    def __repr__(self) -> str:
        def fmt(m: str) -> str:
            v, ci = getattr(self, m), self.ci.get(m)
            s = "n/a" if v is None else f"{v:.3f}"
            return s + (f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")

        return (
            f"TaskReport(task={self.task!r}, n={len(self.gold)}, accuracy={fmt('accuracy')}, "
            f"macro_f1={fmt('macro_f1')}, f_avg={fmt('f_avg')}, ece={self.calibration.ece:.3f}, "
            f"brier={self.calibration.brier:.3f})"
        )

    def metric(self, name: str) -> float | None:
        """The point estimate of ``name`` (one of :data:`METRICS`)."""
        if name not in METRICS:
            raise InvalidInputError(f"unknown metric {name!r}; allowed: {', '.join(METRICS)}")
        return getattr(self, name)

    def class_metrics(self, label: str) -> ClassMetrics:
        """The :class:`ClassMetrics` of ``label``."""
        for cm in self.per_class:
            if cm.label == label:
                return cm
        raise InvalidInputError(f"unknown {self.task} label {label!r}; allowed: {', '.join(self.labels)}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "labels": list(self.labels),
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "f_avg": self.f_avg,
            "f_avg_labels": list(self.f_avg_labels),
            "ci": {m: (list(v) if v is not None else None) for m, v in self.ci.items()},
            "per_class": [c.to_dict() for c in self.per_class],
            "confusion_matrix": {
                "labels": list(self.labels),
                "rows": "gold",
                "columns": "predicted",
                "matrix": [list(r) for r in self.confusion_matrix],
            },
            "calibration": self.calibration.to_dict(),
            "by_source": [g.to_dict() for g in self.by_source],
            "by_target_actor": [g.to_dict() for g in self.by_target_actor],
        }


@dataclass(frozen=True, repr=False)
class EvaluationReport:
    """The evaluation of one model on one labelled data set (see :func:`evaluate`).

    ``tasks`` maps ``"stance"`` and ``"sentiment"`` to their :class:`TaskReport`
    (``report["stance"]`` works too). ``data_fingerprint`` is a SHA-256 over the ids, texts,
    targets and gold labels in order; :func:`paired_bootstrap` uses it to refuse reports on
    different data.
    """

    name: str
    n: int
    tasks: Mapping[str, TaskReport]
    data_fingerprint: str
    n_bootstrap: int
    seed: int
    min_group_size: int
    ids: tuple[str | None, ...] = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", MappingProxyType(dict(self.tasks)))

    def __repr__(self) -> str:
        tasks = ", ".join(repr(t) for t in self.tasks.values())
        return f"EvaluationReport(name={self.name!r}, n={self.n}, n_bootstrap={self.n_bootstrap}, seed={self.seed}, tasks=[{tasks}])"

    def __getitem__(self, task: str) -> TaskReport:
        if task not in self.tasks:
            raise KeyError(f"unknown task {task!r}; allowed: {', '.join(self.tasks)}")
        return self.tasks[task]

    def to_dict(self, *, include_items: bool = True) -> dict[str, Any]:
        """A JSON-ready dict (no NaN; undefined values are ``None``). With ``include_items`` the
        per-item gold labels, predictions and probabilities are included under ``"items"``."""
        out: dict[str, Any] = {
            "name": self.name,
            "n": self.n,
            "data_fingerprint": self.data_fingerprint,
            "n_bootstrap": self.n_bootstrap,
            "seed": self.seed,
            "ci_level": CI_LEVEL,
            "ci_method": "percentile bootstrap over (gold, prediction) pairs",
            "min_group_size": self.min_group_size,
            "tasks": {t: r.to_dict() for t, r in self.tasks.items()},
        }
        if include_items:
            items = []
            for i in range(self.n):
                item: dict[str, Any] = {"id": self.ids[i]}
                for t, r in self.tasks.items():
                    item[t] = {"gold": r.gold[i], "pred": r.pred[i], "probs": list(r.probs[i])}
                items.append(item)
            out["items"] = items
        return out


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
def _check_int(name: str, value: Any, minimum: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise InvalidInputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_tasks(tasks: Any) -> tuple[str, ...]:
    if isinstance(tasks, str):
        tasks = (tasks,)
    try:
        out = tuple(dict.fromkeys(tasks))
    except TypeError:
        out = ()
    if not out or any(t not in TASKS for t in out):
        raise InvalidInputError(f"tasks must be a non-empty subset of {', '.join(TASKS)}, got {tasks!r}")
    return tuple(t for t in TASKS if t in out)


def _gold_records(data: Any, tasks: tuple[str, ...] = TASKS) -> list[PairRecord]:
    from stance.data import load_records
    from stance.errors import DataValidationError, RecordProblem

    records = load_records(data, require_labels=tasks == TASKS, skip_untargeted=True)  # gold files list them too
    if not records:
        raise InvalidInputError("the evaluation data holds no records; pass a non-empty labelled data set")
    problems = [
        RecordProblem("<data>", i, f"missing gold {task!r} label (evaluated tasks: {', '.join(tasks)})", r.id)
        for i, r in enumerate(records, 1) for task in tasks if getattr(r, task) is None
    ]
    if problems:
        raise DataValidationError(problems, total=len(records))
    return records


def _fingerprint(records: Sequence[PairRecord]) -> str:
    h = hashlib.sha256()
    for r in records:
        h.update(json.dumps([r.id, r.text, r.target, r.stance, r.sentiment], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _obtain_results(
    model_or_predictions: Any, records: list[PairRecord], batch_size: int, show_progress: bool | None
) -> tuple[list[StanceResult], str | None]:
    """Run the model (or take the given results); return the results and a default name."""
    if hasattr(model_or_predictions, "predict") and callable(model_or_predictions.predict):
        model = model_or_predictions
        results = model.predict(records, batch_size=batch_size, show_progress=show_progress)
        if isinstance(results, StanceResult):
            results = [results]
        results = list(results)
        name = getattr(model, "name", None) or type(model).__name__
        source = f"{name}.predict()"
    elif isinstance(model_or_predictions, Iterable) and not isinstance(model_or_predictions, (str, bytes, Mapping)):
        results = list(model_or_predictions)
        models = {r.model for r in results if isinstance(r, StanceResult)}
        name = models.pop() if len(models) == 1 else None
        source = "the given predictions"
    else:
        raise InvalidInputError(
            f"cannot evaluate a {type(model_or_predictions).__name__}; pass a classifier with "
            "predict(records, batch_size=..., show_progress=...) or a list of StanceResult"
        )
    bad = [i for i, r in enumerate(results, 1) if not isinstance(r, StanceResult)]
    if bad:
        raise InvalidInputError(
            f"{source} must be StanceResult objects; position(s) {bad[:10]} hold "
            f"{type(results[bad[0] - 1]).__name__}"
        )
    if len(results) != len(records):
        raise InvalidInputError(
            f"{source} gave {len(results)} result(s) for {len(records)} labelled record(s); "
            "results are matched to gold records by position, so the counts must be equal"
        )
    for i, (res, gold) in enumerate(zip(results, records), 1):
        rec = res.record
        if rec.id is not None and gold.id is not None:
            if rec.id != gold.id:
                raise InvalidInputError(
                    f"result {i} is for record id {rec.id!r} but gold record {i} has id {gold.id!r}; "
                    "results must be in the same order as the data"
                )
        elif (rec.text, rec.target) != (gold.text, gold.target):
            raise InvalidInputError(
                f"result {i} (target {rec.target!r}) does not match gold record {i} (target {gold.target!r}); "
                "results must be in the same order as the data"
            )
    return results, name


def _task_arrays(results: Sequence[StanceResult], records: Sequence[PairRecord], task: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gold label indices, predicted label indices and the (n, k) probability matrix."""
    labels = LABELS[task]
    index = {lab: j for j, lab in enumerate(labels)}
    y = np.array([index[getattr(r, task)] for r in records], dtype=np.int64)
    p = np.empty(len(results), dtype=np.int64)
    probs = np.empty((len(results), len(labels)), dtype=float)
    for i, res in enumerate(results):
        pred = res.label(task)
        if pred not in index:
            raise InvalidInputError(f"result {i + 1}: unknown {task} label {pred!r}; allowed: {', '.join(labels)}")
        p[i] = index[pred]
        scores = res.scores(task)
        missing = [lab for lab in labels if lab not in scores]
        if missing:
            raise InvalidInputError(f"result {i + 1}: {task}_scores lacks label(s) {missing}; every label needs a probability")
        row = [float(scores[lab]) for lab in labels]
        if not all(math.isfinite(v) and -1e-9 <= v <= 1 + 1e-9 for v in row) or abs(sum(row) - 1.0) > _PROB_SUM_TOL:
            raise InvalidInputError(
                f"result {i + 1} (id {res.record.id!r}): {task}_scores {dict(zip(labels, row))} are not probabilities "
                f"(each in [0, 1], summing to 1 within {_PROB_SUM_TOL})"
            )
        probs[i] = row
    return y, p, probs


# ---------------------------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------------------------
def _nanmean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    ok = ~np.isnan(values)
    return float(values[ok].mean()) if ok.any() else float("nan")


def _opt(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _headline(y: np.ndarray, p: np.ndarray, k: int, favg_idx: Sequence[int], weights: np.ndarray | None = None) -> tuple[float, float, float]:
    """(accuracy, macro-F1, F_avg) of one sample; ``weights`` = bootstrap draw counts."""
    _, _, f1, _ = precision_recall_fscore_support(
        y, p, labels=list(range(k)), average=None, zero_division=np.nan, sample_weight=weights
    )
    if weights is None:
        acc = float(accuracy_score(y, p))
    else:
        # identical to accuracy_score(y, p, sample_weight=weights), without its input checks
        acc = float(np.average(y == p, weights=weights))
    return acc, _nanmean(f1), _nanmean(f1[list(favg_idx)])


def _bootstrap_weights(n: int, n_bootstrap: int, seed: int) -> Iterator[np.ndarray]:
    """Draw counts of each item for each resample (resampling n items with replacement)."""
    rng = np.random.default_rng(seed)
    for _ in range(n_bootstrap):
        yield np.bincount(rng.integers(0, n, size=n), minlength=n)


def _percentile_ci(values: np.ndarray) -> tuple[float, float] | None:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None
    alpha = (1.0 - CI_LEVEL) / 2.0
    lo, hi = np.percentile(values, [100 * alpha, 100 * (1 - alpha)])
    return float(lo), float(hi)


def _progress(iterable: Iterable[Any], total: int, desc: str, show_progress: bool | None) -> Iterable[Any]:
    from stance.classifier import progress_enabled

    if not progress_enabled(show_progress):
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)


def _calibration(y: np.ndarray, p: np.ndarray, probs: np.ndarray, n_bins: int = ECE_BINS) -> Calibration:
    n, k = probs.shape
    conf = probs[np.arange(n), p]
    correct = (p == y).astype(float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    bins = []
    ece = 0.0
    for b in range(n_bins):
        mask = which == b
        count = int(mask.sum())
        if count:
            mc, acc = float(conf[mask].mean()), float(correct[mask].mean())
            ece += count / n * abs(acc - mc)
        else:
            mc = acc = None
        bins.append(ReliabilityBin(float(edges[b]), float(edges[b + 1]), count, mc, acc))
    brier = float(brier_score_loss(y, probs, labels=list(range(k)), scale_by_half=False))
    return Calibration(ece=float(ece), brier=brier, n_bins=n_bins, bins=tuple(bins))


def _breakdown(keys: Sequence[str | None], y: np.ndarray, p: np.ndarray, k: int, min_group_size: int) -> tuple[GroupMetrics, ...]:
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key if key is not None else _MISSING_GROUP, []).append(i)
    out = []
    for key, idx in groups.items():
        yi, pi = y[idx], p[idx]
        acc, macro, _ = _headline(yi, pi, k, [])
        out.append(GroupMetrics(group=key, n=len(idx), accuracy=acc, macro_f1=macro, small=len(idx) < min_group_size))
    out.sort(key=lambda g: (-g.n, g.group))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------
def evaluate(
    model_or_predictions: Any,
    data: Any,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
    batch_size: int = 32,
    show_progress: bool | None = None,
    name: str | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    tasks: Sequence[str] = TASKS,
) -> EvaluationReport:
    """Evaluate a classifier (or its precomputed results) against labelled data.

    ``model_or_predictions`` is any object with ``predict(records, batch_size=...,
    show_progress=...)`` returning a list of :class:`~stance.schema.StanceResult` (the baseline,
    the transformer, :mod:`stance.testing` dummies), or such a list already computed. ``data`` is
    anything :func:`stance.data.load_records` reads (a JSONL/CSV path, a list of dicts or
    records, a ``datasets.Dataset``); every record needs the gold label of every task in
    ``tasks`` (default both; ``tasks=("sentiment",)`` scores sentiment-only data such as NewsMTSC).
    Results are matched to the gold records by position; where both carry an ``id`` the ids
    must agree (otherwise the text and target must), or :class:`~stance.errors.InvalidInputError`
    is raised.

    Per task the report holds accuracy, macro-F1 and F_avg with 95% percentile bootstrap CIs
    (``n_bootstrap`` resamples seeded by ``seed``; 0 skips the CIs), per-class
    precision/recall/F1/support, the confusion matrix, top-label ECE (15 bins), the multiclass
    Brier score with reliability-diagram bins, and breakdowns by ``source`` and
    ``target_actor`` (groups below ``min_group_size`` flagged). See the module docstring for the
    exact definitions. ``name`` defaults to the model's ``name``.

    >>> from stance.testing import KeywordClassifier
    >>> data = [
    ...     {"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis",
    ...      "stance": "threatening", "sentiment": "negative"},
    ...     {"id": "b", "text": "We welcome talks with Atlantis.", "target": "Atlantis",
    ...      "stance": "conciliatory", "sentiment": "positive"},
    ...     {"id": "c", "text": "Atlantis held elections.", "target": "Atlantis",
    ...      "stance": "neutral", "sentiment": "negative"},
    ... ]
    >>> report = evaluate(KeywordClassifier(), data, n_bootstrap=50)
    >>> report.name, report.n
    ('keyword-dummy', 3)
    >>> report["stance"].accuracy, report["stance"].f_avg
    (1.0, 1.0)
    >>> round(report["sentiment"].accuracy, 3), report["sentiment"].confusion_matrix
    (0.667, ((1, 1, 0), (0, 0, 0), (0, 0, 1)))
    >>> round(report["stance"].calibration.ece, 2)  # confidence 0.8, all correct
    0.2
    """
    n_bootstrap = _check_int("n_bootstrap", n_bootstrap, 0)
    seed = _check_int("seed", seed, 0)
    min_group_size = _check_int("min_group_size", min_group_size, 1)
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise InvalidInputError(f"name must be a non-empty string or None, got {name!r}")
    task_list = _check_tasks(tasks)
    records = _gold_records(data, task_list)
    results, default_name = _obtain_results(model_or_predictions, records, batch_size, show_progress)
    name = name or default_name or "predictions"
    n = len(records)
    logger.info("evaluating %s on %d records (%d bootstrap resamples)", name, n, n_bootstrap)

    arrays = {task: _task_arrays(results, records, task) for task in task_list}
    for task in task_list:
        absent = [lab for j, lab in enumerate(LABELS[task]) if not np.any(arrays[task][0] == j)]
        if absent:
            logger.warning(
                "%s label(s) %s do not occur in the gold data (%d records); their recall is undefined and "
                "macro-F1/F_avg average over fewer classes", task, ", ".join(absent), n,
            )
    favg_idx = {task: [LABELS[task].index(lab) for lab in F_AVG_LABELS[task]] for task in task_list}

    boot: dict[str, np.ndarray] = {task: np.empty((n_bootstrap, len(METRICS))) for task in task_list}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        draws = _bootstrap_weights(n, n_bootstrap, seed)
        for b, w in enumerate(_progress(draws, n_bootstrap, f"bootstrap {name}", show_progress)):
            for task in task_list:
                y, p, _ = arrays[task]
                boot[task][b] = _headline(y, p, len(LABELS[task]), favg_idx[task], w)

    sources = [r.source for r in records]
    actors = [r.target_actor for r in records]
    tasks: dict[str, TaskReport] = {}
    for task in task_list:
        labels = LABELS[task]
        k = len(labels)
        y, p, probs = arrays[task]
        acc, macro, favg = _headline(y, p, k, favg_idx[task])
        prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=list(range(k)), average=None, zero_division=np.nan)
        per_class = tuple(
            ClassMetrics(labels[j], _opt(prec[j]), _opt(rec[j]), _opt(f1[j]), int(sup[j])) for j in range(k)
        )
        cm = confusion_matrix(y, p, labels=list(range(k)))
        ci = {m: (_percentile_ci(boot[task][:, j]) if n_bootstrap else None) for j, m in enumerate(METRICS)}
        tasks[task] = TaskReport(
            task=task,
            labels=tuple(labels),
            accuracy=acc,
            macro_f1=macro,
            f_avg=_opt(favg),
            f_avg_labels=F_AVG_LABELS[task],
            ci=MappingProxyType(ci),
            per_class=per_class,
            confusion_matrix=tuple(tuple(int(v) for v in row) for row in cm),
            calibration=_calibration(y, p, probs),
            by_source=_breakdown(sources, y, p, k, min_group_size),
            by_target_actor=_breakdown(actors, y, p, k, min_group_size),
            gold=tuple(labels[i] for i in y),
            pred=tuple(labels[i] for i in p),
            probs=tuple(tuple(float(v) for v in row) for row in probs),
        )
    return EvaluationReport(
        name=name,
        n=n,
        tasks=tasks,
        data_fingerprint=_fingerprint(records),
        n_bootstrap=n_bootstrap,
        seed=seed,
        min_group_size=min_group_size,
        ids=tuple(r.id for r in records),
    )


def paired_bootstrap(
    report_a: EvaluationReport,
    report_b: EvaluationReport,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
    show_progress: bool | None = None,
) -> dict[str, Any]:
    """Compare two models evaluated on the same data with a paired bootstrap.

    Each resample draws the same items for both models; per task and per metric in
    :data:`METRICS` the result holds the point estimates ``a`` and ``b``, the difference
    ``diff = b - a``, its 95% percentile interval ``ci`` and ``p_b_le_a``, the share of
    resamples in which ``b <= a`` (a one-sided p-value-like figure for "b is better than a").
    Resamples where the metric is undefined for either model are left out of ``ci`` and
    ``p_b_le_a``.

    ``show_progress`` shows a progress bar (``None``: when the ``stance`` logger is at INFO).
    Raises :class:`~stance.errors.InvalidInputError` unless both reports come from
    :func:`evaluate` on the same records (same ids, texts, targets and gold labels, same order).

    >>> from stance.testing import FixedClassifier, KeywordClassifier
    >>> data = [{"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis",
    ...          "stance": "threatening", "sentiment": "negative"},
    ...         {"id": "b", "text": "Talks with Atlantis resumed.", "target": "Atlantis",
    ...          "stance": "neutral", "sentiment": "neutral"}]
    >>> a = evaluate(KeywordClassifier(), data, n_bootstrap=0)
    >>> b = evaluate(FixedClassifier({"a": ("threatening", "negative"), "b": ("neutral", "neutral")}), data, n_bootstrap=0)
    >>> paired_bootstrap(a, b, n_bootstrap=100)["tasks"]["stance"]["accuracy"]["diff"]
    0.5
    """
    for label, rep in (("report_a", report_a), ("report_b", report_b)):
        if not isinstance(rep, EvaluationReport):
            raise InvalidInputError(f"{label} must be an EvaluationReport from stance.evaluation.evaluate, got {type(rep).__name__}")
    n_bootstrap = _check_int("n_bootstrap", n_bootstrap, 1)
    seed = _check_int("seed", seed, 0)
    if report_a.n != report_b.n or report_a.data_fingerprint != report_b.data_fingerprint:
        raise InvalidInputError(
            f"reports {report_a.name!r} ({report_a.n} items) and {report_b.name!r} ({report_b.n} items) "
            "were computed on different data; a paired bootstrap needs both models evaluated on the same records in the same order"
        )
    n = report_a.n
    common = tuple(t for t in TASKS if t in report_a.tasks and t in report_b.tasks)
    if not common:
        raise InvalidInputError("the two reports share no evaluated task")
    enc = {}
    for task in common:
        labels = LABELS[task]
        index = {lab: j for j, lab in enumerate(labels)}
        enc[task] = (
            np.array([index[g] for g in report_a[task].gold]),
            np.array([index[v] for v in report_a[task].pred]),
            np.array([index[v] for v in report_b[task].pred]),
            [index[lab] for lab in F_AVG_LABELS[task]],
            len(labels),
        )
    diffs = {task: np.empty((n_bootstrap, len(METRICS))) for task in common}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        draws = _bootstrap_weights(n, n_bootstrap, seed)
        for b, w in enumerate(_progress(draws, n_bootstrap, f"paired {report_a.name} vs {report_b.name}", show_progress)):
            for task in common:
                y, pa, pb, favg_idx, k = enc[task]
                ma = np.array(_headline(y, pa, k, favg_idx, w))
                mb = np.array(_headline(y, pb, k, favg_idx, w))
                diffs[task][b] = mb - ma
    out: dict[str, Any] = {
        "a": report_a.name,
        "b": report_b.name,
        "n": n,
        "n_bootstrap": n_bootstrap,
        "seed": seed,
        "ci_level": CI_LEVEL,
        "tasks": {},
    }
    for task in common:
        per_metric = {}
        for j, m in enumerate(METRICS):
            a, b = report_a[task].metric(m), report_b[task].metric(m)
            d = diffs[task][:, j]
            d = d[~np.isnan(d)]
            per_metric[m] = {
                "a": a,
                "b": b,
                "diff": (b - a) if a is not None and b is not None else None,
                "ci": list(ci) if (ci := _percentile_ci(d)) is not None else None,
                "p_b_le_a": float(np.mean(d <= 0)) if d.size else None,
            }
        out["tasks"][task] = per_metric
    return out


# ---------------------------------------------------------------------------------------------
# run_evaluation: several models, files on disk
# ---------------------------------------------------------------------------------------------
def _named_models(models: Any) -> list[tuple[str, Any]]:
    if hasattr(models, "predict"):
        models = [models]
    if isinstance(models, (str, bytes, Mapping)) or not isinstance(models, Iterable):
        raise InvalidInputError(f"models must be a list of classifiers or (name, classifier) pairs, got {type(models).__name__}")
    out: list[tuple[str, Any]] = []
    for i, item in enumerate(models, 1):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            nm, clf = item
            if not nm.strip():
                raise InvalidInputError(f"model {i}: the name must be non-empty")
        elif hasattr(item, "predict"):
            nm, clf = getattr(item, "name", None) or type(item).__name__, item
        else:
            raise InvalidInputError(
                f"model {i} is a {type(item).__name__}; pass classifiers (objects with predict) or (name, classifier) pairs"
            )
        out.append((str(nm), clf))
    if not out:
        raise InvalidInputError("models is empty; pass at least one classifier")
    seen: dict[str, int] = {}
    unique = []
    for nm, clf in out:
        seen[nm] = seen.get(nm, 0) + 1
        unique.append((nm if seen[nm] == 1 else f"{nm}-{seen[nm]}", clf))
    if len({nm for nm, _ in unique}) != len(unique):
        raise InvalidInputError(f"model names must be unique, got {[nm for nm, _ in out]}")
    return unique


def _versions() -> dict[str, str | None]:
    from importlib import metadata

    import stance

    out: dict[str, str | None] = {"stance": getattr(stance, "__version__", None), "python": platform.python_version()}
    for dist in ("numpy", "scikit-learn", "torch", "transformers"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "model"


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def run_evaluation(
    models: Any,
    data: Any,
    out_dir: str | os.PathLike,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
    batch_size: int = 32,
    show_progress: bool | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    tasks: Sequence[str] = TASKS,
) -> dict[str, Any]:
    """Evaluate one or more models on the same labelled data and write a report folder.

    ``models`` is a list of classifiers or ``(name, classifier)`` pairs (a classifier's
    ``name`` is used otherwise; repeated names get ``-2``, ``-3``, ...). Each model is evaluated
    with :func:`evaluate`; every model after the first is compared with the first by
    :func:`paired_bootstrap` (same ``n_bootstrap`` and ``seed``; with ``n_bootstrap=0`` there are
    no CIs and no paired comparisons). Written into ``out_dir``
    (created if needed):

    - ``report.json``: ``metadata`` (model names, data path and SHA-256 when ``data`` is a file,
      number of items, library versions, UTC date, seed, n_bootstrap), ``models`` (each
      :meth:`EvaluationReport.to_dict`, with per-item predictions), ``paired`` (one entry per
      model after the first) and ``plots`` (``{model: {task: {"confusion": file, "reliability": file}}}``);
    - ``summary.md``: a readable Markdown summary (:func:`summary_markdown`);
    - per model and task, a confusion-matrix and a reliability-diagram PNG.

    Returns the dict written to ``report.json``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from stance.testing import KeywordClassifier
    >>> out = Path(tempfile.mkdtemp())
    >>> doc = run_evaluation([("keywords", KeywordClassifier())], [{"id": "a", "text": "We will crush Atlantis.", "target": "Atlantis",
    ...          "stance": "threatening", "sentiment": "negative"},
    ...         {"id": "b", "text": "Talks with Atlantis resumed.", "target": "Atlantis",
    ...          "stance": "neutral", "sentiment": "neutral"}], out, n_bootstrap=20)
    >>> doc["models"][0]["name"], (out / "report.json").is_file(), (out / "summary.md").is_file()
    ('keywords', True, True)
    """
    from stance import plots

    n_bootstrap = _check_int("n_bootstrap", n_bootstrap, 0)
    seed = _check_int("seed", seed, 0)
    named = _named_models(models)
    data_path: str | None = None
    data_sha: str | None = None
    if isinstance(data, (str, os.PathLike)) and str(data) != "-":
        p = Path(data)
        if p.is_file():
            data_path, data_sha = str(p.resolve()), _sha256_file(p)
    task_list = _check_tasks(tasks)
    records = _gold_records(data, task_list)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"out_dir {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)

    reports = [
        evaluate(clf, records, tasks=task_list, n_bootstrap=n_bootstrap, seed=seed, batch_size=batch_size,
                 show_progress=show_progress, name=nm, min_group_size=min_group_size)
        for nm, clf in named
    ]
    paired = [
        paired_bootstrap(reports[0], r, n_bootstrap=n_bootstrap, seed=seed, show_progress=show_progress)
        for r in reports[1:]
    ] if n_bootstrap else []

    plot_files: dict[str, dict[str, dict[str, str]]] = {}
    used: set[str] = set()
    for rep in reports:
        prefix = base = _slug(rep.name)
        i = 1
        while prefix in used:  # names that differ only in unsafe characters
            i += 1
            prefix = f"{base}-{i}"
        used.add(prefix)
        written = plots.save_report_plots(rep, out, prefix=prefix)
        plot_files[rep.name] = {t: {kind: p.name for kind, p in files.items()} for t, files in written.items()}

    doc: dict[str, Any] = {
        "metadata": {
            "models": [r.name for r in reports],
            "data_path": data_path,
            "data_sha256": data_sha,
            "data_fingerprint": reports[0].data_fingerprint,
            "n_items": len(records),
            "versions": _versions(),
            "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seed": seed,
            "n_bootstrap": n_bootstrap,
            "ci_level": CI_LEVEL,
            "ece_bins": ECE_BINS,
            "min_group_size": min_group_size,
            "f_avg_labels": {t: list(v) for t, v in F_AVG_LABELS.items()},
        },
        "models": [r.to_dict() for r in reports],
        "paired": paired,
        "plots": plot_files,
    }
    _write_text_atomic(out / "report.json", json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    _write_text_atomic(out / "summary.md", summary_markdown(doc))
    logger.info("wrote evaluation report to %s", out)
    return doc


# ---------------------------------------------------------------------------------------------
# Markdown summary
# ---------------------------------------------------------------------------------------------
def _f(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _with_ci(value: float | None, ci: Sequence[float] | None) -> str:
    s = _f(value)
    return f"{s} [{_f(ci[0])}, {_f(ci[1])}]" if ci else s


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


def summary_markdown(doc: Mapping[str, Any], *, max_groups: int = 25) -> str:
    """Render the dict returned by :func:`run_evaluation` as Markdown: per task a headline
    table with CIs and calibration, per-class tables, confusion matrices, paired differences
    and breakdowns (the ``max_groups`` largest groups per breakdown; the rest are counted and
    are in ``report.json``)."""
    meta = doc["metadata"]
    models = doc["models"]
    lines = ["# Evaluation report", ""]
    data_desc = f"`{meta['data_path']}` (sha256 `{meta['data_sha256']}`)" if meta.get("data_path") else "in-memory data"
    lines += [
        f"- Data: {data_desc}, {meta['n_items']} labelled statement-target pairs",
        f"- Models: {', '.join(f'`{m}`' for m in meta['models'])}",
        f"- Date (UTC): {meta['date_utc']}; seed {meta['seed']}; {meta['n_bootstrap']} bootstrap resamples; "
        f"{int(meta['ci_level'] * 100)}% percentile bootstrap CIs in brackets",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v),
        f"- Macro-F1 averages the per-class F1 of the labels that occur; F_avg is the mean F1 of "
        f"{' / '.join(meta['f_avg_labels']['stance'])} (stance) and {' / '.join(meta['f_avg_labels']['sentiment'])} (sentiment).",
        f"- ECE: top-label, {meta['ece_bins']} equal-width bins. Brier: multiclass (0 best, 2 worst).",
        "",
    ]
    for task in [t for t in TASKS if all(t in m["tasks"] for m in models)]:
        lines += [f"## {task.capitalize()}", "", "### Overall", ""]
        rows = []
        for m in models:
            t = m["tasks"][task]
            rows.append([
                f"`{m['name']}`",
                _with_ci(t["accuracy"], t["ci"]["accuracy"]),
                _with_ci(t["macro_f1"], t["ci"]["macro_f1"]),
                _with_ci(t["f_avg"], t["ci"]["f_avg"]),
                _f(t["calibration"]["ece"]),
                _f(t["calibration"]["brier"]),
            ])
        lines += _table(["Model", "Accuracy", "Macro-F1", "F_avg", "ECE", "Brier"], rows) + [""]

        if doc.get("paired"):
            lines += [f"### Paired differences (model - `{models[0]['name']}`)", ""]
            rows = []
            for pr in doc["paired"]:
                for metric in METRICS:
                    d = pr["tasks"][task][metric]
                    rows.append([f"`{pr['b']}`", metric, _with_ci(d["diff"], d["ci"]), _f(d["p_b_le_a"])])
            lines += _table(["Model", "Metric", "Difference", "Share of resamples with B <= A"], rows) + [""]

        for m in models:
            t = m["tasks"][task]
            lines += [f"### `{m['name']}`", "", "Per class:", ""]
            lines += _table(
                ["Label", "Precision", "Recall", "F1", "Support"],
                [[c["label"], _f(c["precision"]), _f(c["recall"]), _f(c["f1"]), str(c["support"])] for c in t["per_class"]],
            ) + [""]
            cmx = t["confusion_matrix"]
            lines += ["Confusion matrix (rows gold, columns predicted):", ""]
            lines += _table(["gold \\ pred", *cmx["labels"]], [[lab, *map(str, row)] for lab, row in zip(cmx["labels"], cmx["matrix"])]) + [""]
            for kind, title in (("by_source", "source"), ("by_target_actor", "target actor")):
                groups = t[kind]
                shown = groups[:max_groups]
                lines += [f"By {title} ({len(groups)} groups; * = fewer than {meta['min_group_size']} items):", ""]
                lines += _table(
                    [title.capitalize(), "n", "Accuracy", "Macro-F1"],
                    [[g["group"] + (" *" if g["small"] else ""), str(g["n"]), _f(g["accuracy"]), _f(g["macro_f1"])] for g in shown],
                )
                if len(groups) > len(shown):
                    rest = groups[len(shown):]
                    lines.append(f"\n{len(rest)} smaller groups ({sum(g['n'] for g in rest)} items) are listed in report.json.")
                lines.append("")
            files = doc.get("plots", {}).get(m["name"], {}).get(task)
            if files:
                lines += [f"![confusion matrix]({files['confusion']}) ![reliability diagram]({files['reliability']})", ""]
    return "\n".join(lines).rstrip() + "\n"
