"""The typed error hierarchy of ``stance``.

Every error the library raises on purpose is a :class:`StanceError`. The subclasses also
inherit from the matching built-in exception (``ValueError``, ``FileNotFoundError``,
``ImportError``), so callers that already catch those keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

__all__ = [
    "StanceError",
    "InvalidInputError",
    "InvalidRecordError",
    "RecordProblem",
    "DataValidationError",
    "ConfigError",
    "ModelNotFoundError",
    "ModelLoadError",
    "ModelIntegrityError",
    "MissingDependencyError",
]


class StanceError(Exception):
    """Base class of every error raised by ``stance``."""


class InvalidInputError(StanceError, ValueError):
    """An argument or input value is not acceptable (wrong type, empty text, unknown label)."""


@dataclass(frozen=True)
class RecordProblem:
    """One bad record: where it is and what is wrong with it.

    ``source`` is a file path or a description such as ``"<list>"``; ``line`` is the 1-based
    line number in a file (or the 1-based position in a list); ``record_id`` the record's
    ``id`` when it had one.
    """

    source: str
    line: int | None
    reason: str
    record_id: str | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        rid = f" (id {self.record_id!r})" if self.record_id else ""
        return f"{where}{rid}: {self.reason}"


class InvalidRecordError(InvalidInputError):
    """A single pair record is invalid. ``problem`` says where and why."""

    def __init__(self, problem: RecordProblem | str):
        if isinstance(problem, str):
            problem = RecordProblem(source="<record>", line=None, reason=problem)
        self.problem = problem
        super().__init__(str(problem))


class DataValidationError(InvalidInputError):
    """A data file or batch holds one or more invalid records; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[RecordProblem], total: int | None = None):
        self.problems = list(problems)
        self.total = total
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n  ... and {more} more" if more > 0 else ""
        of = f" of {total}" if total is not None else ""
        super().__init__(
            f"{len(self.problems)}{of} record(s) are invalid; fix or remove them:\n{shown}{tail}"
        )


class ConfigError(InvalidInputError):
    """A configuration value (training config, option) is invalid."""


class ModelNotFoundError(StanceError, FileNotFoundError):
    """No model exists where one was looked for."""


class ModelLoadError(StanceError, OSError):
    """A model directory exists but cannot be loaded (missing or broken files, wrong format)."""


class ModelIntegrityError(ModelLoadError):
    """A model file does not match the checksum recorded in the model's manifest."""


class MissingDependencyError(StanceError, ImportError):
    """An optional dependency needed for the requested feature is not installed."""

    def __init__(self, package: str, feature: str, extra: str | None = None):
        hint = f'pip install "stance[{extra}]"' if extra else f"pip install {package}"
        super().__init__(f"{feature} needs the package {package!r}, which is not installed; run: {hint}")
        self.package = package
        self.feature = feature
