"""The scikit-learn baseline: a target-aware TF-IDF + logistic regression model per task.

Three layers:

- :class:`TargetedTextClassifier` is a plain scikit-learn estimator whose ``X`` is a list of
  :class:`~stance.schema.PairRecord` (or mappings). It turns each record into text columns
  (the statement with the target mention replaced by a ``TARGETMENTION`` token, the words
  around the mention, the target / speaker actors, optionally the context) and fits a
  ``Pipeline`` of a ``ColumnTransformer`` of TF-IDF vectorizers and a balanced
  ``LogisticRegression``. It follows the scikit-learn conventions (``get_params``/``clone``,
  ``fit`` returns ``self``, ``classes_``, ``NotFittedError`` before ``fit``).
- :class:`BaselineClassifier` holds one fitted estimator per task (stance, sentiment) behind
  the shared :class:`~stance.classifier.BaseClassifier` interface, and saves / loads itself
  safely with skops (an explicit allow-list of types) and a checksum manifest.
- :func:`train_baseline` trains, tunes ``C`` (and whether to use context) on a dev set,
  optionally adds NewsMTSC targets as sentiment-only data, and saves the model.

Only scikit-learn is imported at module import; skops is imported when saving or loading.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from stance.data import read_newsmtsc  # noqa: F401  (re-exported: stance.baseline.read_newsmtsc)
from stance.classifier import BaseClassifier
from stance.errors import (
    DataValidationError,
    InvalidInputError,
    ModelLoadError,
    ModelNotFoundError,
    RecordProblem,
)
from stance.schema import LABELS, TASKS, PairRecord, find_target

__all__ = [
    "TargetedTextClassifier",
    "BaselineClassifier",
    "train_baseline",
    "read_newsmtsc",
    "TRUSTED_TYPES",
    "C_GRID",
    "CONTEXT_GRID",
    "NEWSMTSC_WEIGHTS",
]

logger = logging.getLogger("stance.baseline")

#: Token that replaces the target mention in the statement text.
TARGET_TOKEN = "TARGETMENTION"
#: Values of ``C`` tried by :func:`train_baseline` (per task).
C_GRID: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 30.0)
#: Whether :func:`train_baseline` tries the statement's context as an extra feature block.
CONTEXT_GRID: tuple[bool, ...] = (False, True)
#: Sample weights of NewsMTSC targets tried for sentiment when NewsMTSC is given.
NEWSMTSC_WEIGHTS: tuple[float, ...] = (0.3, 1.0)

#: The types a saved baseline may contain beyond what skops trusts by default. Loading refuses
#: a file that holds any other untrusted type (see :meth:`BaselineClassifier.load`). With
#: skops 0.16 only ``TargetedTextClassifier`` is reported as untrusted; the scikit-learn, numpy
#: and scipy types the pipeline is built from are listed too, so the check keeps working if a
#: skops release stops trusting them by default.
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "stance.baseline.TargetedTextClassifier",
        "sklearn.pipeline.Pipeline",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.utils._bunch.Bunch",
        "builtins.slice",
        "numpy.float64",
        "numpy.int64",
        "numpy.dtype",
        "numpy.ndarray",
        "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._csr.csr_array",
    }
)

SKOPS_FILES: Mapping[str, str] = {"stance": "stance.skops", "sentiment": "sentiment.skops"}
FORMAT_VERSION = 1
_HOW_TO_GET = (
    "train one with `stance train-baseline --train ../shared/data/annotated/train.jsonl "
    "--dev ../shared/data/annotated/dev.jsonl --out models/baseline` "
    "(or call stance.baseline.train_baseline)"
)

_WORD = re.compile(r"\w+", re.UNICODE)
_COLUMNS = ("text", "window", "meta", "context")


# ----------------------------------------------------------------------------------------
# Record -> text columns
# ----------------------------------------------------------------------------------------
def _words(s: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(s or "")]


def _tokens(prefix: str, s: str | None) -> list[str]:
    return [f"{prefix}_{w}" for w in _words(s)]


def record_columns(rec: PairRecord, window: int) -> tuple[str, str, str, str]:
    """The four text columns the estimator vectorizes for one record.

    - ``text``: the statement with the target mention (``stance.schema.find_target``) replaced
      by :data:`TARGET_TOKEN`; unchanged when the target is not mentioned literally.
    - ``window``: up to ``window`` words left (``l_``) and right (``r_``) of the mention,
      or ``notarget`` when it is not mentioned.
    - ``meta``: target surface words (``tw_``), target actor words (``ta_``), target code
      (``tc_``), speaker actor words (``sa_``), quote type (``qt_``), whether the speaker
      actor equals the target actor and whether the target was found in the text.
    - ``context``: the context paragraph (empty when missing).
    """
    span = find_target(rec.text, rec.target)
    if span is None:
        text = rec.text
        win = "notarget"
    else:
        s, e = span
        text = f"{rec.text[:s]} {TARGET_TOKEN} {rec.text[e:]}"
        left = _words(rec.text[:s])[-window:] if window > 0 else []
        right = _words(rec.text[e:])[:window] if window > 0 else []
        win = " ".join([f"l_{w}" for w in left] + [f"r_{w}" for w in right]) or "nowindow"
    meta = _tokens("tw", rec.target) + _tokens("ta", rec.target_actor) + _tokens("sa", rec.speaker_actor)
    if rec.target_code:
        meta.append(f"tc_{rec.target_code.lower()}")
    if rec.quote_type:
        meta.append(f"qt_{rec.quote_type}")
    if rec.speaker_actor and rec.target_actor:
        meta.append("same_actor" if rec.speaker_actor.casefold() == rec.target_actor.casefold() else "other_actor")
    meta.append("tfound" if span is not None else "tmissing")
    return text, win, " ".join(meta), rec.context or ""


def _as_records(X: Any) -> list[PairRecord]:
    if isinstance(X, (str, bytes, Mapping, PairRecord)) or X is None:
        raise InvalidInputError(
            f"X must be a list of PairRecord or mappings with 'text' and 'target', got {type(X).__name__}"
        )
    out: list[PairRecord] = []
    problems: list[RecordProblem] = []
    for i, item in enumerate(X, 1):
        try:
            out.append(item if isinstance(item, PairRecord) else PairRecord.from_dict(item, source="<X>", line=i))
        except InvalidInputError as exc:
            problems.append(getattr(exc, "problem", RecordProblem("<X>", i, str(exc))))
    if problems:
        raise DataValidationError(problems, total=len(out) + len(problems))
    return out


# ----------------------------------------------------------------------------------------
# The scikit-learn estimator
# ----------------------------------------------------------------------------------------
class TargetedTextClassifier(ClassifierMixin, BaseEstimator):
    """Target-aware TF-IDF + logistic regression over statement-target pair records.

    ``X`` is a list of :class:`~stance.schema.PairRecord` (or mappings with at least ``text``
    and ``target``); ``y`` the labels of one task. Each record becomes text columns (see
    :func:`record_columns`) vectorized by word n-gram and character n-gram TF-IDF of the
    target-masked statement, a bag of words of the ``window`` words around the mention, a bag
    of target/speaker actor tokens and, with ``use_context=True``, TF-IDF of the context.
    A ``LogisticRegression`` (``class_weight`` balanced by default) classifies them.

    >>> X = [{"text": "We will strike Atlantis.", "target": "Atlantis"},
    ...      {"text": "We welcome talks with Atlantis.", "target": "Atlantis"}] * 3
    >>> est = TargetedTextClassifier(min_df=1).fit(X, ["threatening", "conciliatory"] * 3)
    >>> est.predict([{"text": "We will strike Utopia.", "target": "Utopia"}]).tolist()
    ['threatening']
    """

    def __init__(
        self,
        C: float = 1.0,
        *,
        window: int = 4,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (2, 5),
        max_word_features: int | None = 20000,
        max_char_features: int | None = 30000,
        min_df: int = 2,
        use_context: bool = False,
        class_weight: str | dict | None = "balanced",
        max_iter: int = 3000,
        random_state: int | None = 0,
    ):
        self.C = C
        self.window = window
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.use_context = use_context
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    # -- persistence: vocabularies as one string array each (skops stores a dict entry by entry,
    # which makes a 50k-term vocabulary slow to save and load) --------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        pipe = state.get("pipeline_")
        if isinstance(pipe, Pipeline):
            import copy

            pipe = copy.deepcopy(pipe)
            vocabularies = {}
            for name, vec, _ in pipe.named_steps["features"].transformers_:
                if isinstance(vec, TfidfVectorizer) and hasattr(vec, "vocabulary_"):
                    vocab = vec.vocabulary_
                    terms = sorted(vocab, key=vocab.__getitem__)
                    if [vocab[t] for t in terms] != list(range(len(terms))):  # pragma: no cover - sklearn invariant
                        raise RuntimeError(f"vocabulary of {name!r} is not indexed 0..n-1")
                    vocabularies[name] = np.array(terms, dtype=str)
                    del vec.vocabulary_
            state = {**state, "pipeline_": pipe, "_vocabularies": vocabularies}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        vocabularies = state.pop("_vocabularies", None) or {}
        super().__setstate__(state)
        pipe = state.get("pipeline_")
        if vocabularies and isinstance(pipe, Pipeline):
            vecs = {name: vec for name, vec, _ in pipe.named_steps["features"].transformers_}
            for name, terms in vocabularies.items():
                vecs[name].vocabulary_ = {str(t): i for i, t in enumerate(np.asarray(terms).tolist())}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.dict = True
        return tags

    # -- internals --------------------------------------------------------------------
    def _build_pipeline(self) -> Pipeline:
        if not isinstance(self.window, int) or isinstance(self.window, bool) or self.window < 0:
            raise InvalidInputError(f"window must be a non-negative integer, got {self.window!r}")
        if not isinstance(self.C, (int, float)) or isinstance(self.C, bool) or not self.C > 0:
            raise InvalidInputError(f"C must be a positive number, got {self.C!r}")
        blocks: list[tuple[str, Any, int]] = [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=tuple(self.word_ngram_range),
                    min_df=self.min_df,
                    max_features=self.max_word_features,
                    sublinear_tf=True,
                    dtype=np.float64,
                ),
                0,
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=tuple(self.char_ngram_range),
                    min_df=self.min_df,
                    max_features=self.max_char_features,
                    sublinear_tf=True,
                    dtype=np.float64,
                ),
                0,
            ),
            ("window", TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, dtype=np.float64), 1),
            ("meta", TfidfVectorizer(token_pattern=r"\S+", binary=True, dtype=np.float64), 2),
        ]
        if self.use_context:
            blocks.append(
                (
                    "context",
                    TfidfVectorizer(
                        min_df=self.min_df,
                        max_features=self.max_word_features,
                        sublinear_tf=True,
                        dtype=np.float64,
                    ),
                    3,
                )
            )
        features = ColumnTransformer(blocks, remainder="drop", sparse_threshold=1.0)
        clf = LogisticRegression(
            C=float(self.C),
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        return Pipeline([("features", features), ("clf", clf)])

    def _columns(self, X: Any) -> np.ndarray:
        recs = _as_records(X)
        rows = [record_columns(r, self.window) for r in recs]
        arr = np.empty((len(rows), len(_COLUMNS)), dtype=object)
        for i, row in enumerate(rows):
            arr[i, :] = row
        return arr

    # -- public API -------------------------------------------------------------------
    def fit(self, X: Sequence[Any], y: Sequence[str], sample_weight: Sequence[float] | None = None) -> "TargetedTextClassifier":
        """Fit on records ``X`` and labels ``y``; ``sample_weight`` weighs records (optional).
        Returns ``self``."""
        cols = self._columns(X)
        y_arr = np.asarray(list(y), dtype=object)
        if len(y_arr) != len(cols):
            raise InvalidInputError(f"X has {len(cols)} records but y has {len(y_arr)} labels")
        if len(cols) == 0:
            raise InvalidInputError("cannot fit on zero records")
        check_classification_targets(y_arr)
        if len(set(y_arr.tolist())) < 2:
            raise InvalidInputError(f"need at least two classes to fit, got only {sorted(set(y_arr.tolist()))}")
        pipe = self._build_pipeline()
        fit_params = {}
        if sample_weight is not None:
            w = np.asarray(sample_weight, dtype=float)
            if w.shape != (len(cols),):
                raise InvalidInputError(f"sample_weight must have one weight per record ({len(cols)}), got shape {w.shape}")
            fit_params["clf__sample_weight"] = w
        # Multithreaded BLAS buys nothing for a linear model on sparse features and is many
        # times slower on a busy machine (threads spin-wait), so fit single-threaded.
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            pipe.fit(cols, y_arr, **fit_params)
        _compact_vocabularies(pipe)
        self.pipeline_ = pipe
        self.classes_ = pipe.named_steps["clf"].classes_
        return self

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)``, columns in ``classes_`` order."""
        check_is_fitted(self, "pipeline_")
        cols = self._columns(X)
        if len(cols) == 0:
            return np.zeros((0, len(self.classes_)))
        return self.pipeline_.predict_proba(cols)

    def decision_function(self, X: Sequence[Any]) -> np.ndarray:
        """Linear scores of the logistic regression."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.decision_function(self._columns(X))

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        """The most probable class of each record."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)] if len(proba) else np.asarray([], dtype=object)

    def transform_features(self, X: Sequence[Any]):
        """The sparse feature matrix the classifier sees (for inspection and tests)."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.named_steps["features"].transform(self._columns(X))


def _compact_vocabularies(pipe: Pipeline) -> None:
    """Store vocabulary indices as Python ints (pruned vocabularies hold numpy integers, which
    skops would save as one file each)."""
    for _, vec, _ in pipe.named_steps["features"].transformers_:
        if isinstance(vec, TfidfVectorizer) and hasattr(vec, "vocabulary_"):
            vec.vocabulary_ = {term: int(i) for term, i in vec.vocabulary_.items()}


# ----------------------------------------------------------------------------------------
# The two-task classifier
# ----------------------------------------------------------------------------------------
def _library_versions() -> dict[str, str]:
    import scipy
    import sklearn

    versions = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}
    try:
        import skops

        versions["skops"] = skops.__version__
    except ImportError:  # pragma: no cover - skops is a dependency
        pass
    from stance import __version__

    versions["stance"] = __version__
    return versions


def _skops():
    try:
        import skops.io as sio
    except ImportError:  # pragma: no cover - skops is a dependency
        from stance.errors import MissingDependencyError

        raise MissingDependencyError("skops", "saving and loading the baseline model") from None
    return sio


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (over ``labels``) with scikit-learn metrics."""
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0)),
        "n": len(y_true),
    }


class BaselineClassifier(BaseClassifier):
    """One :class:`TargetedTextClassifier` per task behind the shared classifier interface.

    ``stance_params`` / ``sentiment_params`` are keyword arguments of
    :class:`TargetedTextClassifier` for each task. ``fit`` needs records labelled with both
    tasks; ``extra_sentiment`` adds records that carry only a sentiment label (e.g. NewsMTSC
    targets), with weight ``extra_weight``.

    >>> import stance
    >>> clf = stance.load("baseline")                                         # doctest: +SKIP
    >>> clf.predict({"text": "We will retaliate.", "target": "Iran"}).stance  # doctest: +SKIP
    """

    name = "baseline"

    def __init__(
        self,
        stance_params: Mapping[str, Any] | None = None,
        sentiment_params: Mapping[str, Any] | None = None,
    ):
        self.stance_params = stance_params
        self.sentiment_params = sentiment_params

    def params(self, task: str) -> dict[str, Any]:
        """Estimator keyword arguments for ``task``."""
        p = self.stance_params if task == "stance" else self.sentiment_params
        return dict(p or {})

    def fit(
        self,
        records: Any,
        *,
        extra_sentiment: Sequence[PairRecord] | None = None,
        extra_weight: float = 1.0,
    ) -> "BaselineClassifier":
        """Fit both tasks on labelled ``records`` (a path, a list of records or mappings).
        ``extra_sentiment`` records (sentiment label required, stance ignored) are added to the
        sentiment training set only. Returns ``self``."""
        from stance.data import load_records

        recs = load_records(records, require_labels=True, allow_duplicate_ids=True)
        if not recs:
            raise InvalidInputError("cannot fit the baseline on zero records")
        extra = list(extra_sentiment or [])
        bad = [RecordProblem("<extra_sentiment>", i, "missing sentiment label", r.id) for i, r in enumerate(extra, 1) if r.sentiment is None]
        if bad:
            raise DataValidationError(bad, total=len(extra))
        if not extra_weight > 0:
            raise InvalidInputError(f"extra_weight must be positive, got {extra_weight!r}")
        self.estimators_: dict[str, TargetedTextClassifier] = {}
        for task in TASKS:
            X: list[PairRecord] = list(recs)
            y = [getattr(r, task) for r in recs]
            w = None
            if task == "sentiment" and extra:
                X += extra
                y += [r.sentiment for r in extra]
                w = np.r_[np.ones(len(recs)), np.full(len(extra), float(extra_weight))]
            logger.info("fitting %s baseline on %d records", task, len(X))
            self.estimators_[task] = TargetedTextClassifier(**self.params(task)).fit(X, y, sample_weight=w)
        self.training_info_: dict[str, Any] = {
            "n_records": len(recs),
            "n_extra_sentiment": len(extra),
            "extra_weight": float(extra_weight) if extra else None,
            "label_counts": {task: dict(Counter(getattr(r, task) for r in recs)) for task in TASKS},
        }
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "estimators_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this BaselineClassifier is not fitted yet; call fit() or BaselineClassifier.load()")

    def _predict_proba(self, records: Sequence[PairRecord], batch_size: int, show_progress: bool) -> dict[str, np.ndarray]:
        self._check_fitted()
        n = len(records)
        out = {task: np.zeros((n, len(LABELS[task]))) for task in TASKS}
        starts = range(0, n, batch_size)
        if show_progress:
            from tqdm.auto import tqdm

            starts = tqdm(starts, total=(n + batch_size - 1) // batch_size, desc="baseline", unit="batch")
        for s in starts:
            chunk = records[s : s + batch_size]
            for task in TASKS:
                est = self.estimators_[task]
                proba = est.predict_proba(chunk)
                for j, label in enumerate(est.classes_):
                    out[task][s : s + len(chunk), LABELS[task].index(label)] = proba[:, j]
        return out

    def evaluate_records(self, records: Any) -> dict[str, dict[str, float]]:
        """Accuracy and macro-F1 per task on labelled records (a quick check; the evaluation
        harness gives confidence intervals)."""
        from stance.data import load_records

        recs = load_records(records, require_labels=True, allow_duplicate_ids=True)
        preds = self.predict(recs, show_progress=False)
        return {
            task: scores([getattr(r, task) for r in recs], [p.label(task) for p in preds], LABELS[task]) for task in TASKS
        }

    # -- persistence --------------------------------------------------------------------
    def save(self, path: str | os.PathLike, *, metadata: Mapping[str, Any] | None = None) -> Path:
        """Write the model to directory ``path`` (created if needed): ``stance.skops``,
        ``sentiment.skops``, ``stance_config.json`` and ``manifest.json``. An existing model
        card ``README.md`` is kept. ``metadata`` (e.g. training data and dev scores) is stored
        in the config. Returns the directory."""
        from stance.integrity import write_manifest
        from stance.loading import SIDECAR

        self._check_fitted()
        sio = _skops()
        import zipfile

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for task, fname in SKOPS_FILES.items():
            tmp = path / f".{fname}.tmp"
            sio.dump(self.estimators_[task], tmp, compression=zipfile.ZIP_DEFLATED)
            os.replace(tmp, path / fname)
        config = {
            "kind": "baseline",
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "labels": {task: list(LABELS[task]) for task in TASKS},
            "classes": {task: [str(c) for c in self.estimators_[task].classes_] for task in TASKS},
            "files": dict(SKOPS_FILES),
            "params": {task: {k: _jsonable(v) for k, v in self.estimators_[task].get_params().items()} for task in TASKS},
            "versions": _library_versions(),
            "training": {**getattr(self, "training_info_", {}), **dict((metadata or {}).get("training", {}))},
        }
        for key, value in (metadata or {}).items():
            if key != "training":
                config[key] = value
        (path / SIDECAR).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        write_manifest(path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "BaselineClassifier":
        """Load a saved baseline after checking its manifest and the types in its skops files.

        Raises :class:`~stance.errors.ModelNotFoundError` when ``path`` is not a directory,
        :class:`~stance.errors.ModelIntegrityError` when a file does not match the manifest and
        :class:`~stance.errors.ModelLoadError` when a file is missing, unreadable or holds a
        type outside :data:`TRUSTED_TYPES`.
        """
        from stance.integrity import verify_manifest
        from stance.loading import read_sidecar

        path = Path(path)
        if not path.is_dir():
            raise ModelNotFoundError(f"no baseline model at {str(path)!r}; {_HOW_TO_GET}")
        try:
            cfg = read_sidecar(path)
        except ModelLoadError as exc:
            raise ModelLoadError(f"{exc}; {_HOW_TO_GET}") from None
        if cfg.get("kind") != "baseline":
            raise ModelLoadError(f"{path} holds a {cfg.get('kind')!r} model, not a baseline; load it with stance.load()")
        verify_manifest(path)
        if cfg.get("format_version") != FORMAT_VERSION:
            raise ModelLoadError(f"{path} has baseline format {cfg.get('format_version')!r}; this stance reads format {FORMAT_VERSION}")
        labels = cfg.get("labels")
        if labels != {task: list(LABELS[task]) for task in TASKS}:
            raise ModelLoadError(f"{path} was saved with labels {labels!r}, which differ from this library's {dict(LABELS)!r}")
        saved_sklearn = (cfg.get("versions") or {}).get("scikit-learn")
        import sklearn

        if saved_sklearn and saved_sklearn != sklearn.__version__:
            logger.warning("%s was saved with scikit-learn %s; loading it with %s", path, saved_sklearn, sklearn.__version__)
        sio = _skops()
        obj = cls.__new__(cls)
        obj.stance_params = None
        obj.sentiment_params = None
        obj.estimators_ = {}
        for task in TASKS:
            f = path / SKOPS_FILES[task]
            if not f.is_file():
                raise ModelLoadError(f"{path} lacks {f.name}; {_HOW_TO_GET}")
            try:
                untrusted = sio.get_untrusted_types(file=f)
            except Exception as exc:  # skops raises many kinds of errors on a broken archive
                raise ModelLoadError(f"{f} is not a readable skops file ({type(exc).__name__}: {exc}); {_HOW_TO_GET}") from None
            refused = sorted(set(untrusted) - TRUSTED_TYPES)
            if refused:
                raise ModelLoadError(
                    f"{f} contains type(s) that the baseline never saves and will not be loaded: {', '.join(refused)}. "
                    "Do not load model files you do not trust."
                )
            try:
                est = sio.load(f, trusted=list(untrusted))
            except Exception as exc:
                raise ModelLoadError(f"{f} could not be loaded ({type(exc).__name__}: {exc}); {_HOW_TO_GET}") from None
            if not isinstance(est, TargetedTextClassifier) or not hasattr(est, "classes_"):
                raise ModelLoadError(f"{f} does not hold a fitted TargetedTextClassifier (got {type(est).__name__})")
            unknown = [str(c) for c in est.classes_ if c not in LABELS[task]]
            if unknown:
                raise ModelLoadError(f"{f} predicts unknown {task} labels {unknown}; allowed: {', '.join(LABELS[task])}")
            obj.estimators_[task] = est
        obj.stance_params = obj.estimators_["stance"].get_params()
        obj.sentiment_params = obj.estimators_["sentiment"].get_params()
        obj.config_ = cfg
        obj.training_info_ = dict(cfg.get("training") or {})
        return obj


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return list(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


# ----------------------------------------------------------------------------------------
# NewsMTSC and training
# ----------------------------------------------------------------------------------------
def _describe(data: Any) -> str:
    return str(data) if isinstance(data, (str, os.PathLike)) else f"<{len(data)} records passed in memory>"


def train_baseline(
    train: Any,
    dev: Any,
    out_dir: str | os.PathLike,
    *,
    newsmtsc: str | os.PathLike | None = None,
    seed: int = 0,
    show_progress: bool | None = None,
) -> dict[str, Any]:
    """Train, tune and save the baseline.

    ``train`` and ``dev`` are labelled data (JSONL/CSV paths or lists of records). For each task,
    ``C`` out of :data:`C_GRID` and the use of context out of :data:`CONTEXT_GRID` are chosen by
    dev macro-F1 (ties go to the earlier grid point). With ``newsmtsc`` (a NewsMTSC
    ``train.jsonl``), the sentiment grid is also run with NewsMTSC targets added as extra
    sentiment-only training data at each weight in :data:`NEWSMTSC_WEIGHTS` (sentences
    overlapping the dev set are left out) and the best variant on dev is kept. The final model is fitted on ``train`` (plus NewsMTSC if chosen)
    only, so the reported dev scores are those of the saved model, and saved to ``out_dir``.

    Returns a dict with ``params`` (per task), ``newsmtsc_used``, ``dev`` (accuracy and
    macro-F1 per task), ``grid`` (every tried setting with its dev score), data counts,
    ``seconds`` and ``out_dir``.
    """
    from stance.classifier import progress_enabled
    from stance.data import load_records

    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InvalidInputError(f"seed must be an integer, got {seed!r}")
    if not isinstance(out_dir, (str, os.PathLike)) or not str(out_dir).strip():
        raise InvalidInputError(f"out_dir must be a directory path, got {out_dir!r}")
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise InvalidInputError(f"out_dir {out_dir} exists and is not a directory")
    t0 = time.perf_counter()
    train_recs = load_records(train, require_labels=True)
    dev_recs = load_records(dev, require_labels=True)
    if not train_recs or not dev_recs:
        raise InvalidInputError("train and dev must both hold at least one labelled record")
    extra: list[PairRecord] = []
    nm_counts: dict[str, int] = {}
    if newsmtsc is not None:
        exclude = [r.text for r in dev_recs] + [r.context for r in dev_recs if r.context]
        extra, nm_counts = read_newsmtsc(newsmtsc, exclude_texts=exclude)
        logger.info("NewsMTSC: %d targets read, %d sentences left out for overlapping dev", len(extra), nm_counts.get("excluded_sentences", 0))

    variants: list[tuple[str, float | None]] = [("stance", None), ("sentiment", None)]
    if extra:
        variants += [("sentiment", w) for w in NEWSMTSC_WEIGHTS]
    grid_points = [(task, nm_w, c, ctx) for task, nm_w in variants for c in C_GRID for ctx in CONTEXT_GRID]
    show = progress_enabled(show_progress)
    it: Iterable = grid_points
    if show:
        from tqdm.auto import tqdm

        it = tqdm(grid_points, desc="tuning baseline", unit="fit")
    grid: list[dict[str, Any]] = []
    for task, nm_w, c, ctx in it:
        params = {"C": c, "use_context": ctx, "random_state": seed}
        X: list[PairRecord] = list(train_recs)
        w = None
        if nm_w is not None:
            X += extra
            w = np.r_[np.ones(len(train_recs)), np.full(len(extra), nm_w)]
        y = [getattr(r, task) for r in X]
        est = TargetedTextClassifier(**params).fit(X, y, sample_weight=w)
        pred = est.predict(dev_recs)
        sc = scores([getattr(r, task) for r in dev_recs], pred, LABELS[task])
        grid.append(
            {
                "task": task,
                "newsmtsc_weight": nm_w,
                "C": c,
                "use_context": ctx,
                "dev_accuracy": round(sc["accuracy"], 4),
                "dev_macro_f1": round(sc["macro_f1"], 4),
            }
        )
        logger.info("%s newsmtsc_weight=%s C=%s context=%s: dev macro-F1 %.4f", task, nm_w, c, ctx, sc["macro_f1"])

    best: dict[str, dict[str, Any]] = {}
    for row in grid:
        task = row["task"]
        if task not in best or row["dev_macro_f1"] > best[task]["dev_macro_f1"]:
            best[task] = row
    chosen = {task: {"C": best[task]["C"], "use_context": best[task]["use_context"], "random_state": seed} for task in TASKS}
    nm_weight = best["sentiment"]["newsmtsc_weight"]
    use_newsmtsc = nm_weight is not None

    clf = BaselineClassifier(stance_params=chosen["stance"], sentiment_params=chosen["sentiment"])
    clf.fit(train_recs, extra_sentiment=extra if use_newsmtsc else None, extra_weight=nm_weight or 1.0)
    dev_scores = clf.evaluate_records(dev_recs)
    metadata = {
        "training": {
            "train": _describe(train),
            "dev": _describe(dev),
            "newsmtsc": str(newsmtsc) if newsmtsc is not None else None,
            "newsmtsc_used": use_newsmtsc,
            "newsmtsc_counts": nm_counts or None,
            "seed": seed,
            "newsmtsc_weight": nm_weight,
            "selection": (
                f"per task: C in {list(C_GRID)} x use_context in {list(CONTEXT_GRID)}"
                + (f" (sentiment also with NewsMTSC at weight {list(NEWSMTSC_WEIGHTS)})" if extra else "")
                + " by dev macro-F1, ties to the earlier setting; final fit on train only"
            ),
        },
        "dev_scores": dev_scores,
        "tuning_grid": grid,
    }
    out = clf.save(out_dir, metadata=metadata)
    seconds = time.perf_counter() - t0
    return {
        "params": chosen,
        "newsmtsc_used": use_newsmtsc,
        "newsmtsc_weight": nm_weight,
        "dev": dev_scores,
        "grid": grid,
        "n_train": len(train_recs),
        "n_dev": len(dev_recs),
        "n_newsmtsc": len(extra) if use_newsmtsc else 0,
        "newsmtsc_counts": nm_counts,
        "seconds": round(seconds, 1),
        "out_dir": str(out),
    }
