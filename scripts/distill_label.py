"""Label an unlabelled pair pool with a teacher model's probabilities, for distillation.

Reproducible: `python scripts/distill_label.py --teacher PATH --pool data/distill/pool.jsonl --out data/distill/pool_teacher.jsonl`.

`--reuse FILE` (repeatable) takes the teacher labels of rows already labelled by the same teacher in FILE (matched on
id, text, context, speaker, speaker actor, target and target actor) and runs the teacher on the other rows only.

Writes every pool record with ``teacher_stance`` and ``teacher_sentiment``: the teacher's calibrated
probabilities in the label order of `stance.schema.LABELS`, rounded to 4 decimals (and renormalised), plus
``teacher`` (the teacher's name and base model). `stance train` reads such files through the config's
``distill_paths``. The labels are a model's, not an annotator's: never mix them into annotated data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import stance
from stance.data import load_records, write_jsonl
from stance.schema import TASKS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teacher", required=True, help="a saved stance model folder")
    ap.add_argument("--pool", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--reuse", action="append", default=[],
                    help="a file this teacher already labelled; rows that match take its labels (repeatable)")
    a = ap.parse_args()
    teacher = stance.load(a.teacher, quantize="none")
    base = (getattr(teacher, "metadata", {}).get("training_config") or {}).get("base_model")
    tag = f"{teacher.name} ({Path(base).name if base else 'default base'})"
    known: dict[tuple, dict] = {}
    for path in a.reuse:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                old = json.loads(line)
                if old.get("teacher") != tag:
                    raise SystemExit(f"{path}: labelled by {old.get('teacher')!r}, not by this teacher ({tag!r})")
                known[_key(old)] = old
    records = load_records(a.pool)
    raw = [json.loads(line) for line in Path(a.pool).read_text(encoding="utf-8").splitlines() if line.strip()]
    todo = [i for i, row in enumerate(raw) if _key(row) not in known]
    print(f"{len(raw) - len(todo)} of {len(raw)} pairs reuse labels; the teacher labels {len(todo)}", file=sys.stderr)
    proba = teacher.predict_proba([records[i] for i in todo], batch_size=a.batch_size, show_progress=True)
    fresh = {i: k for k, i in enumerate(todo)}
    rows = []
    for i, row in enumerate(raw):
        for t in TASKS:
            if i in fresh:
                p = np.round(proba[t][fresh[i]], 4)
                row[f"teacher_{t}"] = [float(x) for x in np.round(p / p.sum(), 4)]
            else:
                row[f"teacher_{t}"] = known[_key(row)][f"teacher_{t}"]
        row["teacher"] = tag
        rows.append(row)
    n = write_jsonl(rows, a.out)
    counts = {t: np.bincount([int(np.argmax(r[f"teacher_{t}"])) for r in rows], minlength=3).tolist() for t in TASKS}
    print(f"{n} pairs -> {a.out}; teacher argmax counts {counts}", file=sys.stderr)


def _key(row: dict) -> tuple:
    return tuple(row.get(k) for k in ("id", "text", "context", "speaker", "speaker_actor", "target", "target_actor"))


if __name__ == "__main__":
    main()
