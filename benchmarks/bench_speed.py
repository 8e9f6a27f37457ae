"""Inference speed and peak memory of the shipped transformer on the dev set.

Modes (each in its own subprocess, so peak RSS is per mode):
  fp32   stance's batched predict (length-sorted batches, dynamic padding, inference_mode)
  int8   the same with torch dynamic int8 quantisation of the Linear layers
  onnx   the same fp32 model exported to ONNX and run by ONNX Runtime (load(backend="onnx"))
  onnx-int8  the ONNX export with ONNX Runtime's per-channel dynamic int8 quantisation
         (load(backend="onnx", quantize="int8"))
  naive  one pair at a time through a plain Hugging Face model call (AutoModel +
         AutoTokenizer on the same weights, torch.no_grad, mean pooling, the two heads)
  baseline  the scikit-learn baseline, when models/baseline exists

Prints pairs/s (median over --repeats runs after one warm-up), peak RSS, dev macro-F1 per
task for every mode, and the ratios. Usage:

    python benchmarks/bench_speed.py [--model models/stance-minilm] [--dev ../shared/data/annotated/dev.jsonl]
                                     [--repeats 3] [--batch-size 64] [--out benchmarks/results/speed.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import emit_report, machine_lines  # noqa: E402


def _naive_predict(model_dir: Path, records):
    """What a user would write without stance: one pair per forward call."""
    import numpy as np
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    from stance.transformer import InputTemplate

    side = json.loads((model_dir / "stance_config.json").read_text())
    template = InputTemplate.from_dict(side["input_template"])
    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    enc = AutoModel.from_pretrained(model_dir, local_files_only=True, dtype=torch.float32).eval()
    heads = {k: v.float() for k, v in load_file(str(model_dir / "heads.safetensors")).items()}
    temps = side["temperatures"]

    def run():
        out = {"stance": [], "sentiment": []}
        with torch.no_grad():
            for r in records:
                a, b = template.segments(r)
                x = tok(a, b, truncation=True, max_length=side["max_length"], return_tensors="pt")
                h = enc(**x).last_hidden_state
                m = x["attention_mask"].unsqueeze(-1).float()
                pooled = (h * m).sum(1) / m.sum(1)
                for t in out:
                    logits = pooled @ heads[f"{t}_head.weight"].T + heads[f"{t}_head.bias"]
                    out[t].append(torch.softmax(logits / temps[t], -1)[0].numpy())
        return {t: np.vstack(v) for t, v in out.items()}

    return run


def child(mode: str, model: Path, dev: str, repeats: int, batch_size: int, threads: int | None = None) -> dict:
    import numpy as np
    import torch

    if threads:
        torch.set_num_threads(threads)

    from stance.data import load_records
    from stance.schema import LABELS
    from stance.train import scores

    records = load_records(dev, require_labels=True)
    t0 = time.perf_counter()
    if mode == "naive":
        run = _naive_predict(model, records)
    elif mode == "baseline":
        import stance

        clf = stance.load("baseline")
        run = lambda: clf.predict_proba(records, batch_size=batch_size, show_progress=False)  # noqa: E731
    else:
        from stance.transformer import TransformerClassifier

        if mode in ("onnx", "onnx-int8"):
            clf = TransformerClassifier.load(model, backend="onnx", num_threads=threads or None,
                                             quantize="int8" if mode == "onnx-int8" else "none")
        else:
            clf = TransformerClassifier.load(model, quantize="int8" if mode == "int8" else "none")
        run = lambda: clf.predict_proba(records, batch_size=batch_size, show_progress=False)  # noqa: E731
    load_s = time.perf_counter() - t0
    proba = run()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        proba = run()
        times.append(time.perf_counter() - t)
    f1 = {}
    for task in ("stance", "sentiment"):
        pred = [LABELS[task][i] for i in np.asarray(proba[task]).argmax(1)]
        f1[task] = scores([getattr(r, task) for r in records], pred, task)["macro_f1"]
    return {
        "mode": mode,
        "pairs": len(records),
        "load_s": load_s,
        "median_s": statistics.median(times),
        "pairs_per_s": len(records) / statistics.median(times),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "macro_f1": f1,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "stance-minilm")
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "data" / "annotated" / "dev.jsonl"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--modes", default="fp32,int8,onnx,onnx-int8,naive,baseline")
    ap.add_argument("--threads", type=int, default=None, help="torch threads for every mode (default: torch's own)")
    ap.add_argument("--out", type=Path, default=None, help="also write the report here")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.model, args.dev, args.repeats, args.batch_size, args.threads)))
        return 0
    lines = ["bench_speed: stance transformer inference on the dev set"] + machine_lines()
    lines.append(f"model: {args.model}  data: {args.dev}  batch size {args.batch_size}  repeats {args.repeats} (median, after 1 warm-up)"
                 f"  torch threads per mode: {args.threads or 'default'}")
    results = {}
    for mode in args.modes.split(","):
        if mode == "baseline" and not (ROOT / "models" / "baseline" / "stance_config.json").is_file():
            lines.append("baseline: models/baseline not found, skipped")
            continue
        cmd = [sys.executable, __file__, "--child", mode, "--model", str(args.model), "--dev", args.dev,
               "--repeats", str(args.repeats), "--batch-size", str(args.batch_size)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            lines.append(f"{mode}: FAILED\n{proc.stderr[-2000:]}")
            continue
        results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    lines.append("")
    lines.append(f"{'mode':<11}{'pairs/s':>9}{'median s':>10}{'load s':>9}{'peak RSS MB':>13}{'stance F1m':>12}{'sentim. F1m':>13}")
    for mode, r in results.items():
        lines.append(f"{mode:<11}{r['pairs_per_s']:>9.1f}{r['median_s']:>10.2f}{r['load_s']:>9.2f}{r['peak_rss_mb']:>13.0f}"
                     f"{r['macro_f1']['stance']:>12.4f}{r['macro_f1']['sentiment']:>13.4f}")
    lines.append("")
    for mode in ("int8", "onnx", "onnx-int8"):
        if "fp32" in results and mode in results:
            r, ref = results[mode], results["fp32"]
            lines.append(f"{mode} / fp32 speed: {r['pairs_per_s'] / ref['pairs_per_s']:.2f}x; "
                         f"macro-F1 change {mode} - fp32: stance {r['macro_f1']['stance'] - ref['macro_f1']['stance']:+.4f}, "
                         f"sentiment {r['macro_f1']['sentiment'] - ref['macro_f1']['sentiment']:+.4f}")
    for mode in ("fp32", "int8", "onnx", "onnx-int8"):
        if mode in results and "naive" in results:
            lines.append(f"{mode} / naive one-at-a-time speed: {results[mode]['pairs_per_s'] / results['naive']['pairs_per_s']:.2f}x")
    emit_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
