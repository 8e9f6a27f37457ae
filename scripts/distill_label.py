"""Label an unlabelled pair pool with a teacher model's probabilities, for distillation.

Reproducible: `python scripts/distill_label.py --teacher PATH --pool data/distill/pool.jsonl --out data/distill/pool_teacher.jsonl`.

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
    a = ap.parse_args()
    teacher = stance.load(a.teacher, quantize="none")
    records = load_records(a.pool)
    proba = teacher.predict_proba(records, batch_size=a.batch_size, show_progress=True)
    raw = [json.loads(line) for line in Path(a.pool).read_text(encoding="utf-8").splitlines() if line.strip()]
    base = (getattr(teacher, "metadata", {}).get("training_config") or {}).get("base_model")
    rows = []
    for i, row in enumerate(raw):
        for t in TASKS:
            p = np.round(proba[t][i], 4)
            row[f"teacher_{t}"] = [float(x) for x in np.round(p / p.sum(), 4)]
        row["teacher"] = f"{teacher.name} ({Path(base).name if base else 'default base'})"
        rows.append(row)
    n = write_jsonl(rows, a.out)
    counts = {t: np.bincount(proba[t].argmax(1), minlength=3).tolist() for t in TASKS}
    print(f"{n} pairs -> {a.out}; teacher argmax counts {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
