"""Which statements whole-article mode misses on sentence-level labelled items, grouped by the verb that governs them.

    python scripts/extraction_misses.py ../shared/data/annotated/train.jsonl [--show VERB] [--top 40]

Runs extraction on the news items of a labelled file in the ``annotated/`` format (as
``python -m stance.extraction_eval --contexts FILE -`` does), then counts the gold statements that no
predicted statement overlaps, by the lemma of the token that governs the statement (``outer``: a word outside the
statement heads it, e.g. "rejected [accusations by US ...]"; ``inner``: the statement's own root, e.g. a headline
verb). ``--show VERB`` lists every miss under that lemma. A development aid: run it on train data, not on test sets.
"""

from __future__ import annotations

import argparse
import collections

from stance.actors import default_resolver
from stance.extract import get_nlp, statements_from_doc, text_for_parser
from stance.extraction_eval import _as_row, _collect, _match, context_items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labelled", help="labelled pairs with 'context' (../shared/data/annotated/ format)")
    ap.add_argument("--show", help="list every miss governed by this lemma")
    ap.add_argument("--top", type=int, default=40, help="how many verbs to list (default 40)")
    a = ap.parse_args()
    resolver = default_resolver()
    contexts, gold_rows = context_items(a.labelled)
    nlp = get_nlp()
    ids = list(contexts)
    docs = dict(zip(ids, nlp.pipe([text_for_parser(contexts[i]) for i in ids])))
    predicted = [st for i in ids for st in statements_from_doc(docs[i], doc_id=i, text=contexts[i])]
    gold = _collect(gold_rows, resolver, "gold")
    pred = _collect(_as_row(predicted), resolver, "predicted")
    found = {id(g) for _, g in _match(list(pred.values()), list(gold.values()), exact=False)}
    missed = [g for g in gold.values() if id(g) not in found]
    counts: collections.Counter = collections.Counter()
    examples: dict = collections.defaultdict(list)
    for g in missed:
        doc = docs[g.doc_id]
        span = doc.char_span(g.start, g.end, alignment_mode="expand")
        root = span.root
        outer = root.head.i != root.i and not (span.start <= root.head.i < span.end)
        key = ((root.head if outer else root).lemma_.lower(), "outer" if outer else "inner")
        counts[key] += 1
        text = contexts[g.doc_id]
        examples[key].append(text[max(0, g.start - 60) : g.end + 20].replace("\n", " "))
    print(f"{len(missed)} of {len(gold)} gold statements missed")
    for key, n in counts.most_common(a.top):
        print(f"{n:4d}  {key[0]:<14} {key[1]:<6} e.g. {examples[key][0][:140]}")
        if a.show and key[0] == a.show:
            for e in examples[key]:
                print("        ", e[:200])


if __name__ == "__main__":
    main()
