"""NewsMTSC (Hamborg & Donnay, EACL 2021): target-dependent sentiment F1m of the sentiment head.

Every target of every sentence in the devtest files becomes one pair (statement = sentence,
target = mention, no speaker). F1m is the macro-F1 over negative/neutral/positive, as in the
paper. stance never trains or tunes on these files. Usage:

    python benchmarks/bench_newsmtsc.py [--model models/stance-minilm] [--quantize none|int8] [--backend torch|onnx]
        [--rw ../shared/data/newsmtsc/devtest_rw.jsonl] [--mt ../shared/data/newsmtsc/devtest_mt.jsonl]
        [--out benchmarks/results/newsmtsc.txt]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import emit_report, machine_lines  # noqa: E402

#: Best published results (GRU-TSC on RoBERTa-base), F1m in percent.
PUBLISHED = {"rw": 83.1, "mt": 82.5}


def read_pairs(path: str):
    """One PairRecord per target of every sentence (sentiment = gold polarity), validated."""
    from stance.data import read_newsmtsc

    return read_newsmtsc(path)[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = ROOT.parent / "shared" / "data" / "newsmtsc"
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "stance-minilm")
    ap.add_argument("--quantize", choices=["none", "int8"], default="none")
    ap.add_argument("--backend", choices=["torch", "onnx"], default="torch")
    ap.add_argument("--rw", default=str(shared / "devtest_rw.jsonl"))
    ap.add_argument("--mt", default=str(shared / "devtest_mt.jsonl"))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    from sklearn.metrics import accuracy_score, f1_score

    from stance.transformer import TransformerClassifier

    clf = TransformerClassifier.load(args.model, quantize=args.quantize, backend=args.backend)
    lines = ["bench_newsmtsc: NewsMTSC devtest, sentiment head, F1m = macro-F1 over neg/neu/pos"] + machine_lines()
    lines.append(f"model: {args.model} ({args.quantize}, {args.backend}); one pair per target; never trained or tuned on these files")
    lines.append("")
    lines.append(f"{'set':<5}{'pairs':>7}{'F1m':>8}{'acc':>8}{'published best (GRU-TSC RoBERTa-base) F1m':>45}{'seconds':>9}")
    for key in ("rw", "mt"):
        recs = read_pairs(getattr(args, key))
        t = time.perf_counter()
        res = clf.predict(recs, batch_size=args.batch_size, show_progress=False)
        secs = time.perf_counter() - t
        gold = [r.sentiment for r in recs]
        pred = [r.sentiment for r in res]
        f1m = 100 * f1_score(gold, pred, labels=["negative", "neutral", "positive"], average="macro")
        acc = 100 * accuracy_score(gold, pred)
        lines.append(f"{key:<5}{len(recs):>7}{f1m:>8.1f}{acc:>8.1f}{PUBLISHED[key]:>45.1f}{secs:>9.1f}")
    emit_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
