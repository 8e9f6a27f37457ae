"""Inter-annotator agreement on doubly labelled pairs (Cohen's kappa per task).

`python scripts/agreement.py A.jsonl B.jsonl [--items ITEMS.json]`: both files are flattened pair files
(`scripts/flatten_labels.py`). Pairs are matched on (doc_id, target mention) and, failing that, on
(doc_id, target_actor); pairs only one annotator found are counted and listed (target disagreement).
`--items` restricts A to the items of B's sample.
"""

from __future__ import annotations

import argparse
import json

from sklearn.metrics import cohen_kappa_score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--items", help="JSON list of the doubly labelled items (restricts A to them)")
    args = ap.parse_args()
    a = [json.loads(x) for x in open(args.a, encoding="utf-8")]
    b = [json.loads(x) for x in open(args.b, encoding="utf-8")]
    if args.items:
        ids = {it["item_id"] for it in json.load(open(args.items, encoding="utf-8"))}
        a = [r for r in a if r["doc_id"] in ids]
    matched, left_b = [], list(b)
    only_a = []
    for ra in a:
        hit = next((rb for rb in left_b if rb["doc_id"] == ra["doc_id"] and rb["target"].lower() == ra["target"].lower()), None)
        hit = hit or next((rb for rb in left_b if rb["doc_id"] == ra["doc_id"] and rb["target_actor"].lower() == ra["target_actor"].lower()), None)
        if hit is None:
            only_a.append(ra)
        else:
            left_b.remove(hit)
            matched.append((ra, hit))
    print(f"pairs: A {len(a)}, B {len(b)}, matched {len(matched)}, A only {len(only_a)}, B only {len(left_b)}")
    print(f"target agreement (Dice over pairs): {2 * len(matched) / max(len(a) + len(b), 1):.3f}")
    for task in ("stance", "sentiment"):
        x = [p[0][task] for p in matched]
        y = [p[1][task] for p in matched]
        agree = sum(u == v for u, v in zip(x, y))
        print(f"{task}: agreement {agree}/{len(matched)} = {agree / max(len(matched), 1):.3f}, Cohen's kappa {cohen_kappa_score(x, y):.3f}")
    for r in only_a:
        print(f"  A only: {r['doc_id']}: {r['target']!r} ({r['target_actor']})")
    for r in left_b:
        print(f"  B only: {r['doc_id']}: {r['target']!r} ({r['target_actor']})")


if __name__ == "__main__":
    main()
