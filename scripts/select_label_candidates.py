"""Select real sentences from the shared corpora for new threat-focused labelling.

Reproducible: `python scripts/select_label_candidates.py --shared ../shared --out data/extra/candidates.json`.
Picks sentences with threat/coercion vocabulary (where `threatening`, the rarest class, lives)
from the ConfliBERT CAMEO train split (verbal/material conflict classes), PLOVER THREATEN/COERCE
records and UN General Debate speeches, skipping any text already in annotated/ and any document
whose id would fall in the dev split (md5(doc_id) % 100 < 15), and any UNGDC speech that has dev items.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from pathlib import Path

THREAT = re.compile(
    r"\b(threat\w*|warn\w*|vow\w*|retaliat\w*|sanction\w*|ultimatum|all options|heavy price|consequences|"
    r"will not hesitate|respond (?:firmly|decisively|forcefully)|deter\w*|punish\w*|not go unpunished|"
    r"military (?:action|force|option)|use of force|strike\w*|expel\w*|sever\w* (?:ties|relations))\b",
    re.I,
)


def in_dev(doc_id: str) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 100 < 15


def read_annotated(data_dir: Path) -> list[dict]:
    """Every labelled pair of annotated/train.jsonl and dev.jsonl (to skip texts already labelled)."""
    return [json.loads(x) for f in ("train.jsonl", "dev.jsonl") for x in open(data_dir / "annotated" / f, encoding="utf-8")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="data/extra/candidates.json")
    ap.add_argument("--n-conflibert", type=int, default=120)
    ap.add_argument("--n-ungdc", type=int, default=150)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    d = Path(a.shared) / "data"
    rng = random.Random(a.seed)
    ann = read_annotated(d)
    seen = {r["text"].strip() for r in ann} | {(r.get("context") or "").strip() for r in ann}
    dev_speeches = {r["doc_id"].rsplit("-", 1)[0] for r in ann if r["source"] == "ungdc" and in_dev(r["doc_id"])}
    items = []

    # ConfliBERT CAMEO train: 3 = verbal conflict (incl. threats), 4 = material conflict.
    pool = []
    for i, line in enumerate(open(d / "conflibert_cameo_train" / "cameo_class_train.tsv", encoding="utf-8")):
        text, _, label = line.rstrip("\n").rpartition("\t")
        doc_id = f"conflibert-train-x{i}"
        if label in ("3", "4") and THREAT.search(text) and text.strip() not in seen and not any(text.strip() in s for s in seen if s) and not in_dev(doc_id):
            pool.append({"item_id": doc_id, "source": "conflibert-cameo-train", "text": text.strip()})
    items += rng.sample(pool, min(a.n_conflibert, len(pool)))

    # PLOVER gold-standard THREATEN / COERCE records.
    for line in open(d / "plover_gsr" / "plover_gsr_flat.jsonl", encoding="utf-8"):
        r = json.loads(line)
        doc_id = f"plover-gsr-{r['id']}"
        if r["event"] in ("THREATEN", "COERCE") and r["text"].strip() not in seen and not in_dev(doc_id):
            items.append({"item_id": doc_id, "source": "plover-gsr", "text": r["text"].strip()})

    # UN General Debate speeches: one sentence with threat vocabulary + the previous one as context.
    files = sorted((d / "ungdc_2015_2024" / "txt").rglob("*.txt"))
    rng.shuffle(files)
    ungdc = []
    for f in files:
        if len(ungdc) >= a.n_ungdc:
            break
        speech = f"ungdc-{f.stem}"
        if speech in dev_speeches:
            continue
        sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", f.read_text(encoding="utf-8", errors="replace")) if s.strip()]
        hits = [k for k, s in enumerate(sents) if THREAT.search(s) and 40 < len(s) < 400 and s not in seen]
        if not hits:
            continue
        k = rng.choice(hits)
        doc_id = f"{speech}-{k}"
        if in_dev(doc_id):
            continue
        ungdc.append({"item_id": doc_id, "source": "ungdc", "text": sents[k],
                      "context": sents[k - 1] if k else "", "speaker_hint": f"the delegation of {f.stem.split('_')[0]}"})
    items += ungdc
    # Item ids must be unique (the PLOVER file repeats an id): suffix repeats with -b, -c, ...
    seen_ids: dict[str, int] = {}
    for it in items:
        k = seen_ids.get(it["item_id"], 0)
        seen_ids[it["item_id"]] = k + 1
        if k:
            it["item_id"] += "-" + "abcdefghij"[k]
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(items)} candidates -> {a.out}")


if __name__ == "__main__":
    main()
