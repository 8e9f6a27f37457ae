"""Two diagnostics of what the transformer reads in its input (they print figures; nothing is asserted).

1. Actor inputs on dev: stance / sentiment macro-F1 with the gold ``target_actor`` and
   ``speaker_actor``, without them, and with ``target_actor`` filled by the shipped actor resolver.
2. Target identity on probe sentences: P(threatening) for a few *invented* threat templates with
   the target filled by different states. A diagnostic of the identity shortcut that
   ``TrainConfig.target_swap`` addresses, not a test set (`bench_target_swap.py` measures the
   same thing on real dev pairs).

    python benchmarks/probe_inputs.py [--model stance-minilm] [--dev ../shared/data/annotated/dev.jsonl] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import emit_report, machine_lines  # noqa: E402

PROBES = ["We will respond resolutely to any provocation by {X}.", "We will strike {X} if it declares independence.",
          "Any attack on our territory by {X} will be met with force.",
          # the guideline's own examples of veiled threats (section 2), which the example article's threats use
          "Seeking {X} independence means nothing but war.",
          "Those who play with fire will set themselves on fire, {X} must know."]
STATES = ["Taiwan", "Kosovo", "Ukraine", "Azerbaijan", "Israel"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="stance-minilm", help="a shipped model name or a model folder")
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "data" / "annotated" / "dev.jsonl"))
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    from sklearn.metrics import f1_score

    import stance
    from stance.actors import default_resolver
    from stance.data import load_records

    clf = stance.load(args.model, quantize="none")
    dev = load_records(args.dev, require_labels=True)
    resolver = default_resolver()

    def resolved(r):
        actor = resolver.resolve(r.target)
        return dataclasses.replace(r, target_actor=actor.name if actor else None)

    variants = {
        "gold target_actor and speaker_actor": dev,
        "no target_actor": [dataclasses.replace(r, target_actor=None) for r in dev],
        "no actors": [dataclasses.replace(r, target_actor=None, speaker_actor=None) for r in dev],
        "target_actor from the resolver": [resolved(r) for r in dev],
    }
    lines = ["probe_inputs: what the transformer reads"] + machine_lines()
    lines += [f"model: {args.model}  dev: {args.dev} ({len(dev)} pairs; "
              f"{sum(1 for r in dev if resolver.resolve(r.target))} targets resolve)", "",
              f"{'dev input':<40}{'stance F1m':>11}{'sentiment F1m':>15}"]
    for name, recs in variants.items():
        pred = clf.predict(recs)
        lines.append(f"{name:<40}"
                     f"{f1_score([r.stance for r in dev], [p.stance for p in pred], average='macro'):>11.3f}"
                     f"{f1_score([r.sentiment for r in dev], [p.sentiment for p in pred], average='macro'):>15.3f}")
    lines += ["", "P(threatening) on invented probe sentences (single-statement mode, no speaker):",
              f"{'state':<12}" + "".join(f"  probe {i + 1}" for i in range(len(PROBES)))]
    for state in STATES:
        res = [stance.classify(p.format(X=state), targets=[state], model=clf)[0] for p in PROBES]
        lines.append(f"{state:<12}" + "".join(f"{r.stance_scores['threatening']:>9.2f}" for r in res))
    lines += [f"probe {i + 1}: {p}" for i, p in enumerate(PROBES)]
    emit_report(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
