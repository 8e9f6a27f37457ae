"""Select the CAMEO codebook's example sentences for labelling (round 4).

Reproducible: `python scripts/select_codebook_candidates.py --shared ../shared --out data/extra/codebook_items.json`.

The CAMEO 1.1b3 manual (as shipped in `../shared/data/cameo_codebook_icews/cameo_codes.csv`) gives one example
sentence per event code, taken from news leads: real sentences covering every kind of event, threats (codes 13x),
shows of force (15x) and coercion (17x) included, which the earlier rounds did not draw on. The manual's own
commentary after "Note:" is cut off; placeholders ("NEED EXAMPLE") are skipped, and so is every example whose text
is already in annotated/ (train or dev) and every item whose id falls in the dev split (md5(doc_id) % 100 < 15),
as in the earlier rounds. Items are written in code order; `--batches N` also writes N files split round robin, and
`--kappa N` a seeded random sample of N items for a blind second labelling (`OUT` with a `_kappa` suffix:
`--batches 4 --kappa 30` reproduces `codebook_items_batch{1..4}.json` and `codebook_kappa_items.json`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from select_label_candidates import in_dev, read_annotated


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="data/extra/codebook_items.json")
    ap.add_argument("--batches", type=int, default=0, help="also write OUT with _batchK suffixes, split round robin")
    ap.add_argument("--kappa", type=int, default=0, help="also write a random sample of this many items (OUT with a _kappa suffix)")
    ap.add_argument("--seed", type=int, default=41, help="seed of the --kappa sample (default %(default)s)")
    a = ap.parse_args()
    d = Path(a.shared) / "data"
    ann = read_annotated(d)
    seen = " \n ".join({r["text"].strip() for r in ann} | {(r.get("context") or "").strip() for r in ann})
    items, skipped = [], {"placeholder": 0, "labelled": 0, "dev split": 0}
    for row in csv.DictReader(open(d / "cameo_codebook_icews" / "cameo_codes.csv", encoding="utf-8")):
        text = (row["example"] or "").strip()
        text = re.split(r"\s+Note:", text, maxsplit=1)[0].strip()
        if not text or text == "NA" or "NEED EXAMPLE" in text.upper():
            skipped["placeholder"] += 1
            continue
        if text[:60] in seen:
            skipped["labelled"] += 1
            continue
        item_id = f"cameo-codebook-{row['code']}"
        if in_dev(item_id):
            skipped["dev split"] += 1
            continue
        items.append({"item_id": item_id, "source": "cameo-codebook", "text": text})
    out = Path(a.out)
    out.write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for k in range(a.batches):
        part = out.with_name(f"{out.stem}_batch{k + 1}{out.suffix}")
        part.write_text(json.dumps(items[k :: a.batches], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if a.kappa:
        sample = random.Random(a.seed).sample(items, a.kappa)
        out.with_name(f"{out.stem.replace('_items', '')}_kappa_items{out.suffix}").write_text(
            json.dumps(sample, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(items)} items -> {out}; skipped {skipped}")


if __name__ == "__main__":
    main()
