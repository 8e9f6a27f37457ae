"""List the labelled statements that whole-article extraction misses, to develop the extractor on.

`python scripts/list_extraction_misses.py --data ../shared/data/annotated/train.jsonl [--n 30] [--seed 1]`

Each news item of the file (sources conflibert*, newsmtsc*, plover*; UN speeches are whole-speech statements) is
run through the extractor with its `context` as the document; a gold statement counts as found when a predicted
statement overlaps it. Prints the count and a seeded sample of misses with their context. Use the train file: dev is
for measuring (`python -m stance.extraction_eval --contexts DEV -`), and `data/doctest/` is a test set.
"""

from __future__ import annotations

import argparse
import collections
import json
import random

from stance.extract import get_nlp, statements_from_doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ctx: dict[str, str] = {}
    gold: dict[str, set] = collections.defaultdict(set)
    for line in open(a.data, encoding="utf-8"):
        r = json.loads(line)
        c, t = r.get("context"), r["text"]
        if not str(r.get("source", "")).startswith(("conflibert", "newsmtsc", "plover")) or not c or t not in c:
            continue
        if ctx.setdefault(r["doc_id"], c) != c:
            continue
        s = c.find(t)
        gold[r["doc_id"]].add((s, s + len(t), r.get("speaker"), r["quote_type"]))
    ids = list(ctx)
    miss, n = [], 0
    for doc, did in zip(get_nlp().pipe([ctx[i] for i in ids]), ids):
        pred = [(st.start, st.end) for st in statements_from_doc(doc, doc_id=did)]
        for s, e, speaker, qt in sorted(gold[did]):
            n += 1
            if not any(ps < e and s < pe for ps, pe in pred):
                miss.append((did, speaker, qt, ctx[did][s:e], ctx[did]))
    print(f"{n} gold statements in {len(ids)} items; {len(miss)} missed")
    random.Random(a.seed).shuffle(miss)
    for did, speaker, qt, text, context in miss[: a.n]:
        print(f"- {did} | {speaker} | {qt} | {text[:120]}\n    context: {context[:240]}")


if __name__ == "__main__":
    main()
