"""Turn document labels in LABELLING.md's output format into document-level gold pairs with offsets.

`python scripts/doc_labels_to_gold.py ITEMS.json LABELS.jsonl OUT.jsonl`

ITEMS.json holds the documents (`item_id`, `text`); LABELS.jsonl one line per document with its statements, speakers
and targets (as the annotators wrote them). The output has one line per statement-target pair (a statement without
a target gives one line with `"target": null`), in the format of `examples/taiwan_strait.labels.jsonl`: `doc_id`,
`start`/`end` offsets of the statement in the document, speaker, speaker_actor, target, target_actor, target_code,
stance, sentiment, note. Python only locates the annotators' substrings; it decides nothing.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.strip().splitlines()[2])
    items = {it["item_id"]: it for it in json.load(open(sys.argv[1], encoding="utf-8"))}
    rows = []
    for line in open(sys.argv[2], encoding="utf-8"):
        if not line.strip():
            continue
        lab = json.loads(line)
        doc = items[lab["item_id"]]["text"]
        pos = 0
        for k, st in enumerate(lab["statements"]):
            i = doc.find(st["text"], pos)
            if i < 0:
                i = doc.find(st["text"])
            if i < 0:
                raise SystemExit(f"{lab['item_id']}: statement not found in the document: {st['text'][:60]!r}")
            pos = i
            base = {"doc_id": lab["item_id"], "text": st["text"], "start": i, "end": i + len(st["text"]),
                    "quote_type": st["quote_type"], "speaker": st.get("speaker"), "speaker_actor": st.get("speaker_actor")}
            if not st["targets"]:
                rows.append({"id": f"{lab['item_id']}-{k:02d}", **base, "target": None, "target_actor": None,
                             "target_code": None, "stance": None, "sentiment": None, "note": ""})
            for tg in st["targets"]:
                if tg["target"] not in doc:
                    raise SystemExit(f"{lab['item_id']}: target not in the document: {tg['target']!r}")
                rows.append({"id": f"{lab['item_id']}-{k:02d}-{tg.get('target_code') or tg['target_actor']}", **base,
                             "target": tg["target"], "target_actor": tg["target_actor"],
                             "target_code": tg.get("target_code") or None, "stance": tg["stance"],
                             "sentiment": tg["sentiment"], "note": tg.get("note", "")})
    with open(sys.argv[3], "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows -> {sys.argv[3]}")


if __name__ == "__main__":
    main()
