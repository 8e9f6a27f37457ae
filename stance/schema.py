"""Record and result types and the label sets: the one definition used everywhere.

A :class:`PairRecord` is one statement toward one target, in the format of the annotation
guideline (section 4). A :class:`StanceResult` is a record plus the predicted stance and
sentiment with their probabilities.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

from stance.errors import InvalidInputError, InvalidRecordError, RecordProblem

__all__ = [
    "STANCE_LABELS",
    "SENTIMENT_LABELS",
    "LABELS",
    "TASKS",
    "QUOTE_TYPES",
    "PairRecord",
    "StanceResult",
    "find_target",
    "results_to_dataframe",
]

#: Stance of the speaker toward the target (guideline section 2).
STANCE_LABELS: tuple[str, ...] = ("threatening", "conciliatory", "neutral")
#: Sentiment toward the target (guideline section 3).
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
#: Task name -> label tuple. Probability arrays always use this column order.
LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"stance": STANCE_LABELS, "sentiment": SENTIMENT_LABELS}
)
TASKS: tuple[str, ...] = ("stance", "sentiment")
QUOTE_TYPES: tuple[str, ...] = ("direct", "indirect", "narration")

_STR_FIELDS = (
    "id",
    "doc_id",
    "context",
    "quote_type",
    "speaker",
    "speaker_actor",
    "target_actor",
    "target_code",
    "source",
    "note",
)
_INT_FIELDS = ("start", "end", "target_start", "target_end", "speaker_start", "speaker_end")


def find_target(text: str, target: str) -> tuple[int, int] | None:
    """Return the character span of the first whole-word, case-insensitive occurrence of
    ``target`` in ``text``, or ``None`` when the target is not mentioned literally (it may be
    implicit, e.g. "the mainland" for China).

    >>> find_target("Beijing warned Taipei", "taipei")
    (15, 21)
    >>> find_target("Lemuria", "Mu") is None
    True
    >>> find_target("中国警告台湾不要挑衅。", "台湾")
    (4, 6)
    """
    if not target or not target.strip():
        return None
    target = target.strip()
    left = r"(?<!\w)" if _spaced(target[0]) else ""
    right = r"(?!\w)" if _spaced(target[-1]) else ""
    m = re.search(left + re.escape(target) + right, text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


# Scripts written without spaces between words: a mention there has no word boundary.
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0x9FFF), (0xF900, 0xFAFF),
             (0xFF66, 0xFF9F), (0x20000, 0x3FFFF))


def _spaced(ch: str) -> bool:
    o = ord(ch)
    return not any(lo <= o <= hi for lo, hi in _UNSPACED)


@dataclass(frozen=True)
class PairRecord:
    """One statement toward one target (guideline section 4).

    Only ``text`` (the statement) and ``target`` (the surface mention of the target actor) are
    required. ``stance`` and ``sentiment`` are set on labelled data. Offsets (``start``/``end``
    of the statement, ``target_start``/``target_end``, ``speaker_start``/``speaker_end``) are
    character offsets into the source document when the record comes from whole-article mode.
    Fields that are not part of the format are kept, read-only, in ``extra``.

    >>> rec = PairRecord.from_dict({"text": "Beijing warned Taipei.", "target": "Taipei", "speaker_actor": "China"})
    >>> rec.target_found, rec.target_span
    (True, (15, 21))
    """

    text: str
    target: str
    id: str | None = None
    doc_id: str | None = None
    context: str | None = None
    quote_type: str | None = None
    speaker: str | None = None
    speaker_actor: str | None = None
    target_actor: str | None = None
    target_code: str | None = None
    source: str | None = None
    stance: str | None = None
    sentiment: str | None = None
    note: str | None = None
    start: int | None = None
    end: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        problem = _check_record(self)
        if problem:
            raise InvalidRecordError(RecordProblem("<record>", None, problem, self.id))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(
        cls,
        data: Any,
        *,
        source: str = "<record>",
        line: int | None = None,
        require_labels: bool = False,
    ) -> "PairRecord":
        """Build a record from a mapping (a parsed JSON line, a CSV row, a dict).

        Raises :class:`~stance.errors.InvalidRecordError` naming ``source``/``line`` and the
        reason when the mapping is not a valid record. Empty strings in optional fields are
        read as missing (CSV cells are never ``null``). With ``require_labels=True`` both
        ``stance`` and ``sentiment`` must be present.
        """
        rid = data.get("id") if isinstance(data, Mapping) else None
        rid = str(rid) if rid is not None else None

        def fail(reason: str) -> InvalidRecordError:
            return InvalidRecordError(RecordProblem(source, line, reason, rid))

        if not isinstance(data, Mapping):
            return _raise(fail(f"expected a JSON object, got {type(data).__name__}"))
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key in known:
                if isinstance(value, float) and math.isnan(value):
                    value = None  # pandas/datasets missing cells
                if value == "" and key not in ("text", "target"):
                    value = None
                kwargs[key] = value
            else:
                extra[key] = value
        for required in ("text", "target"):
            if kwargs.get(required) is None:
                return _raise(fail(f"missing required field {required!r}"))
        if require_labels:
            for task in TASKS:
                if kwargs.get(task) is None:
                    return _raise(fail(f"missing label field {task!r} (labelled data needs both stance and sentiment)"))
        if rid is not None:
            kwargs["id"] = rid
        try:
            return cls(**kwargs, extra=extra)
        except InvalidRecordError as exc:
            raise fail(exc.problem.reason) from None

    @classmethod
    def coerce(cls, item: Any) -> "PairRecord":
        """Return ``item`` if it is a record, else build one from a mapping."""
        if isinstance(item, cls):
            return item
        return cls.from_dict(item)

    # -- views --------------------------------------------------------------------------
    @property
    def target_span(self) -> tuple[int, int] | None:
        """Span of the target mention inside ``text`` (``None`` if it does not occur)."""
        return find_target(self.text, self.target)

    @property
    def target_found(self) -> bool:
        """Whether the target is mentioned literally in the statement text."""
        return self.target_span is not None

    @property
    def labels(self) -> dict[str, str | None]:
        return {"stance": self.stance, "sentiment": self.sentiment}

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict: set fields only, in format order, extras last."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


def _raise(exc: Exception) -> Any:
    raise exc


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone UTF-16 surrogate (e.g. from the JSON escape ``\\ud800``),
    which is not valid Unicode text and cannot be encoded as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_field(r: PairRecord) -> str | None:
    """The name of the first field (or extra field) holding a lone surrogate, else None."""
    for name in ("text", "target", *_STR_FIELDS):
        value = getattr(r, name)
        if isinstance(value, str) and has_lone_surrogate(value):
            return name
    for key, value in r.extra.items():
        if has_lone_surrogate(json.dumps({key: value}, ensure_ascii=False, default=str)):
            return key
    return None


def _check_record(r: PairRecord) -> str | None:
    bad = _surrogate_field(r)
    if bad is not None:
        return f"field {bad!r} contains a lone surrogate code point (not valid Unicode; check the JSON escapes)"
    if not isinstance(r.text, str):
        return f"field 'text' must be a string, got {type(r.text).__name__}"
    if not r.text.strip():
        return "field 'text' is empty or whitespace only"
    if not isinstance(r.target, str):
        return f"field 'target' must be a string, got {type(r.target).__name__}"
    if not r.target.strip():
        return "field 'target' is empty or whitespace only"
    for name in _STR_FIELDS:
        value = getattr(r, name)
        if value is not None and not isinstance(value, str):
            return f"field {name!r} must be a string or null, got {type(value).__name__}"
    for name in _INT_FIELDS:
        value = getattr(r, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            return f"field {name!r} must be a non-negative integer or null, got {value!r}"
    if r.quote_type is not None and r.quote_type not in QUOTE_TYPES:
        return f"unknown quote_type {r.quote_type!r}; allowed: {', '.join(QUOTE_TYPES)}"
    for task in TASKS:
        value = getattr(r, task)
        if value is not None and value not in LABELS[task]:
            return f"unknown {task} label {value!r}; allowed: {', '.join(LABELS[task])}"
    return None


@dataclass(frozen=True)
class StanceResult:
    """A record with its predicted stance and sentiment.

    ``stance_scores`` and ``sentiment_scores`` map every label of the task to a probability;
    each sums to 1. ``stance``/``sentiment`` are the most probable labels. ``model`` names the
    classifier that produced the result.

    >>> from stance.testing import KeywordClassifier
    >>> r = KeywordClassifier().predict({"text": "We welcome talks with Atlantis.", "target": "Atlantis"})
    >>> r.stance, r.stance_scores["conciliatory"], r.label("sentiment")
    ('conciliatory', 0.8, 'positive')
    """

    record: PairRecord
    stance: str
    stance_scores: Mapping[str, float]
    sentiment: str
    sentiment_scores: Mapping[str, float]
    model: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "stance_scores", MappingProxyType(dict(self.stance_scores)))
        object.__setattr__(self, "sentiment_scores", MappingProxyType(dict(self.sentiment_scores)))

    @property
    def target_found(self) -> bool:
        """Whether the target is mentioned literally in the statement text."""
        return self.record.target_found

    def scores(self, task: str) -> Mapping[str, float]:
        """The probabilities of ``task`` ("stance" or "sentiment")."""
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}; allowed: {', '.join(TASKS)}")
        return self.stance_scores if task == "stance" else self.sentiment_scores

    def label(self, task: str) -> str:
        """The predicted label of ``task`` ("stance" or "sentiment")."""
        self.scores(task)
        return self.stance if task == "stance" else self.sentiment

    def to_dict(self) -> dict[str, Any]:
        """The input record's fields plus ``stance``, ``stance_scores``, ``sentiment``,
        ``sentiment_scores`` and ``target_found``. Gold labels of the input, if any, are kept
        as ``gold_stance``/``gold_sentiment``."""
        out = self.record.to_dict()
        for task in TASKS:
            if task in out:
                out[f"gold_{task}"] = out.pop(task)
        out["target_found"] = self.target_found
        out["stance"] = self.stance
        out["stance_scores"] = {k: float(v) for k, v in self.stance_scores.items()}
        out["sentiment"] = self.sentiment
        out["sentiment_scores"] = {k: float(v) for k, v in self.sentiment_scores.items()}
        if self.model is not None:
            out["model"] = self.model
        return out


def _flat_results(results: Any) -> list[StanceResult]:
    """Results as one list: a single result, a list of them, or a list per article (as
    ``stance.classify([text1, text2])`` returns)."""
    if isinstance(results, StanceResult):
        return [results]
    if isinstance(results, (str, bytes, Mapping)) or not isinstance(results, Iterable):
        raise InvalidInputError(f"expected StanceResult objects (or lists of them), got {type(results).__name__}")
    out: list[StanceResult] = []
    for item in results:
        if isinstance(item, StanceResult):
            out.append(item)
        elif isinstance(item, (list, tuple)):
            out.extend(_flat_results(item))
        else:
            raise InvalidInputError(f"expected StanceResult objects (or lists of them), got {type(item).__name__}")
    return out


def results_to_dataframe(results: Iterable[StanceResult] | StanceResult | Iterable[Sequence[StanceResult]]):
    """Turn results into a :class:`pandas.DataFrame`, one row per result, with one column per
    record field and per label probability (``p_stance_threatening``, ...). The per-article lists
    of ``stance.classify([text1, text2])`` are flattened (each row keeps its ``doc_id``).

    >>> from stance.testing import KeywordClassifier
    >>> res = KeywordClassifier().predict([{"text": "We will crush Atlantis.", "target": "Atlantis"}])
    >>> results_to_dataframe(res)[["target", "stance", "p_stance_threatening"]].values.tolist()
    [['Atlantis', 'threatening', 0.8]]
    """
    import pandas as pd

    rows = []
    for r in _flat_results(results):
        row = r.to_dict()
        for task in TASKS:
            for label, p in row.pop(f"{task}_scores").items():
                row[f"p_{task}_{label}"] = p
        rows.append(row)
    return pd.DataFrame(rows)


def records_from(items: Any) -> tuple[list[PairRecord], bool]:
    """Normalise one record / mapping or a sequence of them to a list; also say whether the
    input was a single item (so callers return one result for one input)."""
    if isinstance(items, (PairRecord, Mapping)):
        return [PairRecord.coerce(items)], True
    if isinstance(items, (str, bytes)) or items is None or not isinstance(items, Iterable):
        raise InvalidRecordError(
            RecordProblem("<input>", None, f"expected a PairRecord, a mapping or a list of them, got {type(items).__name__}")
        )
    out: list[PairRecord] = []
    problems: list[RecordProblem] = []
    i = 0
    for i, item in enumerate(items, 1):
        try:
            out.append(item if isinstance(item, PairRecord) else PairRecord.from_dict(item, source="<input>", line=i))
        except InvalidRecordError as exc:
            problems.append(exc.problem)
    if problems:
        from stance.errors import DataValidationError

        raise DataValidationError(problems, total=i)
    return out, False

