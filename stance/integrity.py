"""Checksummed model directories: a ``manifest.json`` lists the SHA-256 of every file.

Loading refuses a directory whose files do not match (tampered, truncated, partly copied).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from stance.errors import ModelIntegrityError, ModelLoadError

__all__ = ["MANIFEST", "sha256_file", "write_manifest", "verify_manifest"]

MANIFEST = "manifest.json"


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _model_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.rglob("*")
        if p.is_file() and p.name != MANIFEST and p.name != "README.md" and "__pycache__" not in p.parts
    )


def write_manifest(directory: str | Path) -> Path:
    """Write ``manifest.json`` with the checksum of every file in ``directory`` (the model
    card ``README.md`` excepted, so it can be edited)."""
    directory = Path(directory)
    files = {p.relative_to(directory).as_posix(): sha256_file(p) for p in _model_files(directory)}
    path = directory / MANIFEST
    path.write_text(json.dumps({"algorithm": "sha256", "files": files}, indent=2, sort_keys=True) + "\n")
    return path


def verify_manifest(directory: str | Path) -> None:
    """Check every file listed in the manifest; raise :class:`ModelIntegrityError` on a
    mismatch or missing file, :class:`ModelLoadError` when there is no manifest."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise ModelLoadError(
            f"{directory} has no {MANIFEST}; save the model with stance (which writes one) "
            "or run `python -c \"from stance.integrity import write_manifest; write_manifest('DIR')\"` "
            "on a directory you trust"
        )
    try:
        listed = json.loads(path.read_text())["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"{path} is not a valid manifest: {exc}") from None
    unlisted = sorted(p.relative_to(directory).as_posix() for p in _model_files(directory)
                      if p.relative_to(directory).as_posix() not in listed)
    if unlisted:
        raise ModelIntegrityError(
            f"{directory} holds files that its {MANIFEST} does not list ({', '.join(unlisted[:5])}); "
            "they may change what is loaded. Remove them, or rewrite the manifest if you trust them."
        )
    for rel, digest in listed.items():
        f = directory / rel
        if not f.is_file():
            raise ModelIntegrityError(f"{f} is listed in {MANIFEST} but missing")
        if sha256_file(f) != digest:
            raise ModelIntegrityError(
                f"{f} does not match its checksum in {MANIFEST}; the model was changed or damaged after it was saved. "
                "Re-download or retrain it; do not load files you do not trust."
            )
