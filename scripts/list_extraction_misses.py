"""List the labelled statements that whole-article extraction misses, to develop the extractor on.

`python scripts/list_extraction_misses.py --data ../shared/data/annotated/train.jsonl [--n 30] [--seed 1]`

Each news item of the file (sources conflibert*, newsmtsc*, plover*; UN speeches are whole-speech statements) is
run through the extractor with its `context` as the document; a gold statement counts as found when a predicted
statement overlaps it. Prints the count and a seeded sample of misses with their context. Use the train file: dev is
for measuring (`python -m stance.extraction_eval --contexts DEV -`), and `data/doctest/` is a test set.
"""

from __future__ import annotations

import argparse
import random

from stance.extract import get_nlp, statements_from_doc
from stance.extraction_eval import context_items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ctx, gold_rows = context_items(a.data)  # the items `stance.extraction_eval --contexts` scores
    gold = sorted({(r["doc_id"], r["start"], r["end"], r.get("speaker"), r["quote_type"]) for r in gold_rows})
    ids = list(ctx)
    pred: dict[str, list[tuple[int, int]]] = {}
    for doc, did in zip(get_nlp().pipe([ctx[i] for i in ids]), ids):
        pred[did] = [(st.start, st.end) for st in statements_from_doc(doc, doc_id=did)]
    miss = [(did, speaker, qt, ctx[did][s:e], ctx[did]) for did, s, e, speaker, qt in gold
            if not any(ps < e and s < pe for ps, pe in pred[did])]
    print(f"{len(gold)} gold statements in {len(ids)} items; {len(miss)} missed")
    random.Random(a.seed).shuffle(miss)
    for did, speaker, qt, text, context in miss[: a.n]:
        print(f"- {did} | {speaker} | {qt} | {text[:120]}\n    context: {context[:240]}")


if __name__ == "__main__":
    main()
