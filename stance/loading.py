"""Finding and loading models: ``stance.load``.

A model is a directory with a ``stance_config.json`` sidecar whose ``kind`` names the class
that loads it (``baseline`` or ``transformer``) and a ``manifest.json`` of checksums. Shipped
models live in the repository's ``models/`` folder; ``STANCE_MODELS_DIR`` points elsewhere.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
from pathlib import Path
from typing import Any

from stance.errors import ConfigError, InvalidInputError, ModelLoadError, ModelNotFoundError

__all__ = ["load", "models_dir", "resolve_model_path", "SIDECAR", "DEFAULT_MODELS"]

SIDECAR = "stance_config.json"
#: Shipped model names, in order of preference for ``load()`` without an argument.
DEFAULT_MODELS: tuple[str, ...] = ("stance-minilm", "baseline")
#: ``kind`` in the sidecar -> "module:Class" whose ``load(path)`` classmethod reads it.
_LOADERS = {
    "baseline": "stance.baseline:BaselineClassifier",
    "transformer": "stance.transformer:TransformerClassifier",
}


def models_dir() -> Path:
    """Where shipped models are looked for: ``$STANCE_MODELS_DIR`` or the ``models/`` folder
    of the checkout that holds this package."""
    env = os.environ.get("STANCE_MODELS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


def resolve_model_path(model: str | os.PathLike | None) -> Path:
    """Turn ``None`` (the default model), a shipped model name or a path into a directory."""
    base = models_dir()
    if model is None:
        for name in DEFAULT_MODELS:
            if (base / name / SIDECAR).is_file():
                return base / name
        raise ModelNotFoundError(
            f"no shipped model found in {base} (looked for {', '.join(DEFAULT_MODELS)}). "
            "Install stance from a clone with `pip install -e .` so models/ is next to the package, "
            "set STANCE_MODELS_DIR to a folder that holds them, or train one with `stance train-baseline`."
        )
    if not isinstance(model, (str, os.PathLike)):
        raise InvalidInputError(f"model must be None, a shipped model name or a path, got {type(model).__name__}")
    path = Path(model)
    if path.is_dir():
        return path
    if isinstance(model, str) and (base / model).is_dir():
        return base / model
    shipped = sorted(p.name for p in base.iterdir() if (p / SIDECAR).is_file()) if base.is_dir() else []
    raise ModelNotFoundError(
        f"no model at {str(model)!r}: it is neither a directory nor a shipped model name "
        f"(shipped in {base}: {', '.join(shipped) or 'none'})."
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    f = path / SIDECAR
    if not f.is_file():
        raise ModelLoadError(f"{path} is not a stance model: it has no {SIDECAR}")
    try:
        cfg = json.loads(f.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"{f} is not valid JSON: {exc}") from None
    if not isinstance(cfg, dict) or cfg.get("kind") not in _LOADERS:
        raise ModelLoadError(f"{f} must name a 'kind' out of {', '.join(_LOADERS)}")
    return cfg


def load(model: str | os.PathLike | None = None, **options: Any):
    """Load a classifier.

    ``model`` is ``None`` for the default shipped model (the fine-tuned transformer when it is
    shipped, else the scikit-learn baseline), a shipped model name such as ``"baseline"``, or
    the path of a model directory. ``options`` go to the model class's ``load`` (for the
    transformer e.g. ``quantize=False``). Raises :class:`~stance.errors.ModelNotFoundError`
    when nothing is found and :class:`~stance.errors.ModelLoadError` when the files are broken.

    >>> clf = load("baseline")
    >>> clf.name
    'baseline'
    >>> result = clf.predict({"text": "We will retaliate against any aggression.", "target": "Iran"})
    >>> result.stance in ("threatening", "conciliatory", "neutral"), round(sum(result.stance_scores.values()), 6)
    (True, 1.0)
    """
    path = resolve_model_path(model)
    cfg = read_sidecar(path)
    module_name, cls_name = _LOADERS[cfg["kind"]].split(":")
    cls = getattr(importlib.import_module(module_name), cls_name)
    accepted = [n for n in inspect.signature(cls.load).parameters if n not in ("cls", "path")]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise ConfigError(f"{cfg['kind']} models ({path}) take no option(s) {', '.join(unknown)}; "
                          f"they take: {', '.join(accepted) or 'none'}")
    return cls.load(path, **options)
