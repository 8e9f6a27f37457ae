"""How much a model's stance label depends on *who* the target is rather than what is said.

For every dev pair whose target is a state named in the statement (`stance.augment.swappable`),
the target's name is replaced by each of K other states (the same replacement as the training
augmentation `target_swap`: every literal mention in the statement, and the target fields). A
model that reads the statement should keep its label; the share of swaps that change the
predicted stance label is its identity sensitivity. Also printed: the stance macro-F1 of the
swapped pairs against the unchanged gold labels, beside that of the originals.

    python benchmarks/bench_target_swap.py [--model stance-minilm] [--model baseline ...]
        [--dev ../shared/data/annotated/dev.jsonl] [--k 10] [--seed 0] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import emit_report, machine_lines  # noqa: E402

#: Replacement states: a fixed, varied list (regions, sizes, alignments), none of them rare names.
STATES = [("Brazil", "BRA"), ("Germany", "DEU"), ("Nigeria", "NGA"), ("Indonesia", "IDN"), ("Mexico", "MEX"),
          ("Poland", "POL"), ("Egypt", "EGY"), ("Vietnam", "VNM"), ("Kenya", "KEN"), ("Canada", "CAN"),
          ("Pakistan", "PAK"), ("Argentina", "ARG"), ("Turkey", "TUR"), ("Australia", "AUS"), ("Iran", "IRN"),
          ("Taiwan", "TWN"), ("Ukraine", "UKR"), ("Israel", "ISR"), ("Russia", "RUS"), ("China", "CHN")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", help="a shipped model name or a model folder (repeatable)")
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "data" / "annotated" / "dev.jsonl"))
    ap.add_argument("--k", type=int, default=10, help="replacement states per pair")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    from sklearn.metrics import f1_score

    import stance
    from stance.augment import swap_target, swappable
    from stance.data import load_records

    dev = [r for r in load_records(args.dev, require_labels=True) if swappable(r)]
    rng = random.Random(args.seed)
    swapped, origin = [], []
    for i, r in enumerate(dev):
        choices = [s for s in STATES if s[0] not in (r.target_actor, r.speaker_actor)]
        for name, code in rng.sample(choices, args.k):
            swapped.append(swap_target(r, name, code))
            origin.append(i)
    lines = ["bench_target_swap: stance label changes when only the target state's name changes"] + machine_lines()
    lines.append(f"data: {args.dev}: {len(dev)} pairs whose target is a state named in the statement; {args.k} "
                 f"replacement states each ({len(swapped)} swapped pairs; seed {args.seed})")
    lines.append("")
    lines.append(f"{'model':<28}{'label changes':>15}{'F1m original':>14}{'F1m swapped':>13}{'orig threatening kept':>23}")
    for name in args.model or ["stance-minilm", "baseline"]:
        clf = stance.load(name) if not Path(name).is_dir() else stance.load(name, quantize="none")
        base = [p.stance for p in clf.predict(dev)]
        out = [p.stance for p in clf.predict(swapped)]
        changes = sum(out[j] != base[origin[j]] for j in range(len(out))) / len(out)
        f_orig = f1_score([r.stance for r in dev], base, average="macro")
        f_swap = f1_score([swapped[j].stance for j in range(len(out))], out, average="macro")
        thr = [j for j in range(len(out)) if base[origin[j]] == "threatening"]
        kept = sum(out[j] == "threatening" for j in thr) / len(thr) if thr else float("nan")
        lines.append(f"{Path(name).name[:27]:<28}{changes:>15.3f}{f_orig:>14.3f}{f_swap:>13.3f}{kept:>23.3f}")
    lines.append("")
    lines.append("label changes: share of swapped pairs whose predicted stance differs from the original pair's prediction;")
    lines.append("orig threatening kept: of swaps of pairs predicted threatening, the share still predicted threatening.")
    emit_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
