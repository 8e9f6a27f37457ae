"""Flatten LABELLING.md annotator output into guideline-format pair records (section 4).

`python scripts/flatten_labels.py --items data/extra/batch1_items.json data/extra/batch2_items.json
 --labels data/extra/batch1_labels.jsonl data/extra/batch2_labels.jsonl --out data/extra/threat_mined.jsonl`

`--skip-items FILE` leaves out the items of FILE (a held-out sample); `--only-items FILE` keeps only them.

Checks that every statement is an exact substring of its item and that every pair is a valid
stance record; refuses the whole batch otherwise (nothing is dropped silently).
"""

from __future__ import annotations

import argparse
import json
import sys

from stance.data import load_records, write_jsonl


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", nargs="+", required=True)
    ap.add_argument("--labels", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--skip-items", help="JSON list of items to leave out (e.g. a held-out sample)")
    sel.add_argument("--only-items", help="JSON list of items to keep (all others are left out)")
    a = ap.parse_args()
    chosen = a.skip_items or a.only_items
    chosen_ids = {it["item_id"] for it in json.load(open(chosen, encoding="utf-8"))} if chosen else set()
    if len(a.items) != len(a.labels):
        ap.error("give one --labels file per --items file, in the same order")
    pairs, problems = [], []
    for items_file, f in zip(a.items, a.labels):
        items = json.load(open(items_file, encoding="utf-8"))
        labels = [json.loads(line) for line in open(f, encoding="utf-8") if line.strip()]
        if len(labels) != len(items):
            problems.append(f"{f}: {len(labels)} labelled items for {len(items)} input items")
        for n, (item, lab) in enumerate(zip(items, labels), 1):
            if lab.get("item_id") != item["item_id"]:
                problems.append(f"{f}:{n}: item_id {lab.get('item_id')!r} != input {item['item_id']!r} (order must match)")
                continue
            if chosen and ((item["item_id"] in chosen_ids) == bool(a.skip_items)):
                continue
            context = " ".join(x for x in (item.get("context"), item["text"]) if x)
            for si, st in enumerate(lab.get("statements", [])):
                if st["text"] not in item["text"]:
                    problems.append(f"{f}:{n}: statement {si} is not a substring of the item text")
                    continue
                for ti, tg in enumerate(st.get("targets", [])):
                    pairs.append({
                        "id": f"{item['item_id']}#s{si}t{ti}", "doc_id": item["item_id"], "text": st["text"],
                        "context": context, "quote_type": st.get("quote_type"), "speaker": st.get("speaker"),
                        "speaker_actor": st.get("speaker_actor"), "target": tg.get("target"),
                        "target_actor": tg.get("target_actor"), "target_code": tg.get("target_code") or "",
                        "stance": tg.get("stance"), "sentiment": tg.get("sentiment"),
                        "source": item["source"], "note": tg.get("note", ""),
                    })
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    load_records(pairs, require_labels=True)  # validates every pair (labels, fields, duplicate ids)
    n = write_jsonl(pairs, a.out)
    print(f"{n} pairs -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
