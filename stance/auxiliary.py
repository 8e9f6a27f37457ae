"""Auxiliary sentence-classification tasks for training (weak supervision).

An auxiliary task is a file of sentences with one class label each, for example the
QuadClass event labels of the "Keep it Local" UN sentences or the CAMEO PentaClass labels of
the ConfliBERT news sentences in the shared corpora. During training the shared encoder gets
one extra linear head per task, fed with the sentence alone (no target, no speaker); the head
is dropped when the model is saved, so a model trained with auxiliary tasks predicts and
loads exactly like one trained without.

Two file formats are read:

* ``.jsonl``: one JSON object per line; ``text_field`` holds the sentence and
  ``label_field`` its label (a string or an integer);
* ``.tsv``: ``sentence<TAB>label`` per line, split on the *last* tab (the ConfliBERT files
  hold unescaped quotes, so no CSV quoting is applied).
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from stance.data import overlapping
from stance.errors import ConfigError, DataValidationError, RecordProblem
from stance.schema import TASKS

__all__ = ["AuxTask", "AuxData", "load_aux_task", "as_tasks"]

_FORMATS = (".jsonl", ".tsv")


@dataclass(frozen=True)
class AuxTask:
    """One auxiliary task of a :class:`~stance.train.TrainConfig`.

    ``name`` names the head (not ``stance`` or ``sentiment``); ``path`` is a ``.jsonl`` or
    ``.tsv`` file (see the module docstring); ``max_items`` keeps a seeded random sample of at
    most that many sentences; ``weight`` multiplies the task's cross-entropy in the training
    loss (the stance and sentiment losses have their ``loss_weights``).
    """

    name: str
    path: str
    text_field: str = "text"
    label_field: str = "label"
    max_items: int = 3000
    weight: float = 0.3

    def __post_init__(self) -> None:
        def bad(field_name: str, allowed: str) -> ConfigError:
            return ConfigError(f"AuxTask.{field_name} = {getattr(self, field_name)!r} is invalid; allowed: {allowed}")

        for name in ("name", "path", "text_field", "label_field"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v.strip():
                raise bad(name, "a non-empty string")
        if self.name in TASKS:
            raise bad("name", f"any name except {', '.join(TASKS)}")
        if Path(self.path).suffix.lower() not in _FORMATS:
            raise bad("path", f"a file ending in {' or '.join(_FORMATS)}")
        if not isinstance(self.max_items, int) or isinstance(self.max_items, bool) or not 1 <= self.max_items <= 10**7:
            raise bad("max_items", "an integer from 1 to 10000000")
        w = self.weight
        if not isinstance(w, (int, float)) or isinstance(w, bool) or not math.isfinite(w) or not 0 < w <= 100:
            raise bad("weight", "a number > 0 and <= 100")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "text_field": self.text_field,
                "label_field": self.label_field, "max_items": self.max_items, "weight": float(self.weight)}

    @classmethod
    def from_value(cls, value: Any) -> "AuxTask":
        """An :class:`AuxTask` from itself or from a JSON object with its fields."""
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(f"an auxiliary task must be a JSON object with name and path, got {value!r}")
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ConfigError(f"unknown auxiliary task field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
        missing = sorted({"name", "path"} - set(value))
        if missing:
            raise ConfigError(f"an auxiliary task needs {' and '.join(missing)}")
        return cls(**dict(value))


@dataclass(frozen=True)
class AuxData:
    """The sentences of one auxiliary task, ready for training: ``labels[i]`` is an index into
    ``classes`` (sorted label strings)."""

    task: AuxTask
    texts: tuple[str, ...]
    labels: tuple[int, ...]
    classes: tuple[str, ...]
    excluded: int


def _read(task: AuxTask) -> tuple[list[tuple[str, str]], list[RecordProblem]]:
    path = Path(task.path)
    if not path.is_file():
        raise ConfigError(f"auxiliary task {task.name!r}: file not found: {path}")
    rows: list[tuple[str, str]] = []
    problems: list[RecordProblem] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            if path.suffix.lower() == ".tsv":
                if "\t" not in line:
                    problems.append(RecordProblem(str(path), n, "expected 'sentence<TAB>label'"))
                    continue
                text, label = line.rsplit("\t", 1)
            else:
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    problems.append(RecordProblem(str(path), n, f"not valid JSON ({exc})"))
                    continue
                if not isinstance(obj, dict):
                    problems.append(RecordProblem(str(path), n, "expected a JSON object"))
                    continue
                text, label = obj.get(task.text_field), obj.get(task.label_field)
                if isinstance(label, int) and not isinstance(label, bool):
                    label = str(label)
                if not isinstance(text, str) or not isinstance(label, str):
                    problems.append(RecordProblem(
                        str(path), n, f"needs a string {task.text_field!r} and a string or integer {task.label_field!r}"))
                    continue
            text, label = text.strip(), label.strip()
            if not text or not label:
                problems.append(RecordProblem(str(path), n, "empty sentence or label"))
                continue
            rows.append((text, label))
    return rows, problems


def load_aux_task(task: AuxTask, *, exclude_texts: Sequence[str] = (), seed: int = 0) -> AuxData:
    """Read, validate and sample one auxiliary task.

    Sentences that contain, or are contained in, one of ``exclude_texts`` (the dev texts and
    contexts; compared case- and whitespace-insensitively, strings of 20 characters or fewer
    ignored) are left out and counted in ``excluded``, so no dev sentence is trained on. A
    seeded sample of ``task.max_items`` sentences is kept. Bad lines raise
    :class:`~stance.errors.DataValidationError` listing all of them; a task with fewer than two
    classes raises :class:`~stance.errors.ConfigError`.
    """
    rows, problems = _read(task)
    if problems:
        raise DataValidationError(problems, total=len(rows) + len(problems))
    drop = overlapping([text for text, _ in rows], exclude_texts)
    kept = [row for row, d in zip(rows, drop) if not d]
    excluded = len(rows) - len(kept)
    if len(kept) > task.max_items:
        kept = random.Random(seed).sample(kept, task.max_items)
    classes = tuple(sorted({label for _, label in kept}))
    if len(classes) < 2:
        raise ConfigError(f"auxiliary task {task.name!r} needs at least two classes in {task.path}, found {list(classes)}")
    index = {c: i for i, c in enumerate(classes)}
    return AuxData(task=task, texts=tuple(t for t, _ in kept), labels=tuple(index[label] for _, label in kept),
                   classes=classes, excluded=excluded)


def as_tasks(value: Any) -> tuple[AuxTask, ...]:
    """Normalise a config value (a list of objects or :class:`AuxTask`) to a tuple of tasks
    with unique names."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ConfigError(f"TrainConfig.aux_tasks = {value!r} is invalid; allowed: a list of auxiliary task objects")
    tasks = tuple(AuxTask.from_value(v) for v in value)
    names = [t.name for t in tasks]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"TrainConfig.aux_tasks: duplicate task name(s) {', '.join(dupes)}")
    return tasks

