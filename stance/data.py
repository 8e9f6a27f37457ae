"""Reading and validating pair records from JSONL, CSV, ``datasets.Dataset`` or Python lists.

Every record is validated; every bad one is reported with its file, line number and reason in
one :class:`~stance.errors.DataValidationError`. Nothing is silently dropped.
"""

from __future__ import annotations

import csv
import io
import logging
import json
import os
from pathlib import Path
from collections import Counter
from typing import Any, Iterable, Iterator, Mapping, Sequence

from stance.errors import DataValidationError, InvalidInputError, InvalidRecordError, RecordProblem
from stance.schema import PairRecord

__all__ = ["load_records", "read_jsonl_objects", "read_newsmtsc", "write_jsonl", "normalize_text", "overlapping",
           "DataSource", "NEWSMTSC_POLARITY"]

DataSource = Any  # a path, "-" for stdin, a datasets.Dataset, or an iterable of mappings/records

logger = logging.getLogger("stance.data")


def read_jsonl_objects(path: str | os.PathLike, *, stream: io.BufferedIOBase | None = None) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(line_number, parsed_object_or_None, error_or_None)`` for each non-blank line.

    Invalid UTF-8 and invalid JSON are reported per line, never raised, so one bad line does
    not hide the others.
    """
    fh = stream if stream is not None else open(path, "rb")
    try:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield n, None, f"invalid UTF-8 ({exc.reason} at byte {exc.start})"
                continue
            if n == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            try:
                yield n, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield n, None, f"invalid JSON ({exc.msg} at column {exc.colno}); the line may be truncated"
    finally:
        if stream is None:
            fh.close()


def _read_csv_rows(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        yield line, None, f"invalid UTF-8 ({exc.reason} at byte {exc.start}); the file must be UTF-8"
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        line = reader.line_num
        if None in row:
            yield line, None, f"row has {len(reader.fieldnames or []) + len(row[None])} cells but the header has {len(reader.fieldnames or [])}"
            continue
        if any(v is None for v in row.values()):
            yield line, None, "row has fewer cells than the header"
            continue
        yield line, row, None


def _iter_source(data: DataSource, fmt: str | None) -> tuple[str, Iterator[tuple[int | None, Any, str | None]]]:
    if isinstance(data, (str, os.PathLike)):
        if str(data) == "-":
            import sys

            return "<stdin>", read_jsonl_objects("-", stream=sys.stdin.buffer)
        path = Path(data)
        if not path.is_file():
            raise InvalidInputError(f"data file not found: {path}")
        kind = fmt or ("csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl")
        if kind == "csv":
            return str(path), _read_csv_rows(path)
        if kind != "jsonl":
            raise InvalidInputError(f"unknown data format {kind!r}; use 'jsonl' or 'csv'")
        return str(path), read_jsonl_objects(path)
    if type(data).__module__.startswith("datasets") and hasattr(data, "column_names"):
        return "<datasets.Dataset>", ((i, row, None) for i, row in enumerate(data, 1))
    if isinstance(data, (Mapping, PairRecord)):
        return "<input>", iter([(1, data, None)])
    if isinstance(data, Iterable) and not isinstance(data, (bytes, str)):
        return "<input>", ((i, row, None) for i, row in enumerate(data, 1))
    raise InvalidInputError(
        f"cannot read records from {type(data).__name__}; pass a JSONL/CSV path, '-', a datasets.Dataset or a list of dicts"
    )


def load_records(
    data: DataSource,
    *,
    require_labels: bool = False,
    fmt: str | None = None,
    allow_duplicate_ids: bool = False,
    skip_untargeted: bool = False,
) -> list[PairRecord]:
    """Read pair records and validate every one of them.

    ``data`` is a JSONL or CSV path (``.csv``/``.tsv`` suffix means CSV unless ``fmt`` says
    otherwise), ``"-"`` for JSONL on standard input, a ``datasets.Dataset``, or an iterable of
    mappings / :class:`PairRecord`. With ``require_labels=True`` every record needs ``stance``
    and ``sentiment``. Duplicate ``id`` values are errors unless ``allow_duplicate_ids``. Guideline
    records of statements without a target (``"target": null`` and no labels, as in the shipped
    example's gold file) give no pair: they are errors unless ``skip_untargeted``, which leaves them
    out and counts them in an INFO log line.

    Raises :class:`~stance.errors.DataValidationError` listing *every* bad record (file, line,
    reason) when any is invalid; returns the records in input order otherwise.

    >>> recs = load_records([{"text": "We will retaliate.", "target": "Iran"}])
    >>> recs[0].target
    'Iran'
    """
    source, rows = _iter_source(data, fmt)
    records: list[PairRecord] = []
    problems: list[RecordProblem] = []
    seen: dict[str, int | None] = {}
    total = untargeted = 0
    for line, obj, error in rows:
        total += 1
        if error is not None:
            problems.append(RecordProblem(source, line, error))
            continue
        if (isinstance(obj, Mapping) and "target" in obj and obj["target"] is None and obj.get("stance") is None
                and obj.get("sentiment") is None and isinstance(obj.get("text"), str) and obj["text"].strip()):
            # a guideline record of a statement with no target: no pair to label
            if skip_untargeted:
                untargeted += 1
                continue
            problems.append(RecordProblem(source, line, "a statement without a target (\"target\": null) gives no pair to "
                                          "label; leave such records out, or pass skip_untargeted=True (stance evaluate "
                                          "does)", obj.get("id") if isinstance(obj.get("id"), str) else None))
            continue
        try:
            rec = obj if isinstance(obj, PairRecord) else PairRecord.from_dict(
                obj, source=source, line=line, require_labels=require_labels
            )
            if require_labels and isinstance(obj, PairRecord) and (rec.stance is None or rec.sentiment is None):
                raise InvalidRecordError(RecordProblem(source, line, "missing label field (labelled data needs both stance and sentiment)", rec.id))
        except InvalidRecordError as exc:
            problems.append(exc.problem)
            continue
        if rec.id is not None and not allow_duplicate_ids:
            if rec.id in seen:
                problems.append(RecordProblem(source, line, f"duplicate id (first seen on line {seen[rec.id]})", rec.id))
                continue
            seen[rec.id] = line
        records.append(rec)
    if problems:
        raise DataValidationError(problems, total=total)
    if untargeted:
        logger.info("%s: skipped %d statement(s) without a target (\"target\": null, no labels): they give no pair", source, untargeted)
    return records


def write_jsonl(rows: Iterable[Mapping[str, Any]], path: str | os.PathLike) -> int:
    """Write rows as JSON lines atomically (to a temporary file, then renamed), so a failure
    never leaves a half-written file. Returns the number of rows written."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


#: NewsMTSC polarity codes (Hamborg & Donnay 2021) -> our sentiment labels.
NEWSMTSC_POLARITY: Mapping[float, str] = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


def read_newsmtsc(path: str | os.PathLike, *, exclude_texts: Iterable[str] = ()) -> tuple[list[PairRecord], dict[str, int]]:
    """Read a NewsMTSC file (``train.jsonl`` format: ``sentence_normalized`` and ``targets``
    with ``mention``/``from``/``to``/``polarity`` 2.0/4.0/6.0) as sentiment-only records.

    Sentences that overlap any string in ``exclude_texts`` (one contains the other, compared as
    :func:`overlapping` does: normalised, exclude strings over 20 characters) are left out and
    counted, so a dev or test set never leaks into training. Returns the records and
    counts (``sentences``, ``targets``, ``excluded_sentences``, ``excluded_targets``).
    Invalid lines raise :class:`~stance.errors.DataValidationError` listing all of them.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"NewsMTSC file not found: {path}")
    overlaps = _overlap_test(list(exclude_texts))
    records: list[PairRecord] = []
    problems: list[RecordProblem] = []
    counts = Counter()
    for line, obj, error in read_jsonl_objects(path):
        if error is not None:
            problems.append(RecordProblem(str(path), line, error))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("sentence_normalized"), str) or not isinstance(obj.get("targets"), list):
            problems.append(RecordProblem(str(path), line, "expected an object with 'sentence_normalized' (string) and 'targets' (list)"))
            continue
        sent = obj["sentence_normalized"]
        counts["sentences"] += 1
        if overlaps(sent):
            counts["excluded_sentences"] += 1
            counts["excluded_targets"] += len(obj["targets"])
            continue
        for k, t in enumerate(obj["targets"]):
            pol = t.get("polarity") if isinstance(t, dict) else None
            mention = t.get("mention") if isinstance(t, dict) else None
            if pol not in NEWSMTSC_POLARITY or not isinstance(mention, str) or not mention.strip():
                problems.append(RecordProblem(str(path), line, f"target {k}: needs a 'mention' and a 'polarity' out of 2.0, 4.0, 6.0, got {pol!r}"))
                continue
            counts["targets"] += 1
            records.append(
                PairRecord(
                    text=sent,
                    target=mention,
                    id=str(t.get("Input.gid") or f"{obj.get('primary_gid')}#{k}"),
                    doc_id=str(obj.get("primary_gid")) if obj.get("primary_gid") is not None else None,
                    source="newsmtsc",
                    sentiment=NEWSMTSC_POLARITY[pol],
                )
            )
    if problems:
        raise DataValidationError(problems, total=counts["sentences"] + len(problems))
    return records, dict(counts)


def normalize_text(s: str) -> str:
    """Case- and whitespace-insensitive form of a text, for comparing sentences."""
    return " ".join(s.casefold().split())


def overlapping(texts: Sequence[str], exclude_texts: Sequence[str]) -> list[bool]:
    """For each of ``texts``: does it contain, or is it contained in, one of ``exclude_texts``?
    Compared with :func:`normalize_text`; exclude strings of 20 characters or fewer are
    ignored (too short to mean the same sentence). Used to keep dev texts out of training data."""
    test = _overlap_test(exclude_texts)
    return [test(text) for text in texts]


def _overlap_test(exclude_texts: Sequence[str]):
    excl = [normalize_text(t) for t in exclude_texts if t and len(t) > 20]
    excl_set = set(excl)

    def test(text: str) -> bool:
        ns = normalize_text(text)
        return ns in excl_set or any(e in ns or ns in e for e in excl)

    return test
