"""stance: threatening / conciliatory / neutral stance and target sentiment in news statements.

The public API is small and cheap to import; torch, transformers and spaCy load on first use.

>>> import stance
>>> stance.STANCE_LABELS
('threatening', 'conciliatory', 'neutral')
"""

from __future__ import annotations

from typing import Any

from stance.errors import (
    ConfigError,
    DataValidationError,
    InvalidInputError,
    InvalidRecordError,
    MissingDependencyError,
    ModelIntegrityError,
    ModelLoadError,
    ModelNotFoundError,
    StanceError,
)
from stance.schema import LABELS, SENTIMENT_LABELS, STANCE_LABELS, PairRecord, StanceResult, results_to_dataframe

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load",
    "classify",
    "evaluate",
    "paired_bootstrap",
    "run_evaluation",
    "dyads",
    "plot_dyads",
    "plot_confusion_matrix",
    "plot_reliability_diagram",
    "classify_frame",
    "extract_statements",
    "extract_pairs",
    "ActorResolver",
    "resolve_records",
    "evaluate_extraction",
    "load_records",
    "results_to_dataframe",
    "PairRecord",
    "StanceResult",
    "STANCE_LABELS",
    "SENTIMENT_LABELS",
    "LABELS",
    "StanceError",
    "InvalidInputError",
    "InvalidRecordError",
    "DataValidationError",
    "ConfigError",
    "ModelNotFoundError",
    "ModelLoadError",
    "ModelIntegrityError",
    "MissingDependencyError",
]

# name -> module that defines it; imported on first attribute access (PEP 562).
_LAZY = {
    "load": "stance.loading",
    "classify": "stance.api",
    "evaluate": "stance.evaluation",
    "paired_bootstrap": "stance.evaluation",
    "run_evaluation": "stance.evaluation",
    "dyads": "stance.aggregate",
    "plot_dyads": "stance.aggregate",
    "plot_confusion_matrix": "stance.plots",
    "plot_reliability_diagram": "stance.plots",
    "classify_frame": "stance.article",
    "extract_statements": "stance.extract",
    "extract_pairs": "stance.extract",
    "ActorResolver": "stance.actors",
    "resolve_records": "stance.actors",
    "evaluate_extraction": "stance.extraction_eval",
    "load_records": "stance.data",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stance' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names: ``__all__`` and the lazily imported ones (not helpers such as ``Any``)."""
    return sorted(set(__all__) | set(_LAZY))
