"""Select real sentences with idiomatic or veiled threat phrasing for new labelling.

Reproducible: `python scripts/select_veiled_candidates.py --shared ../shared --out data/extra/veiled_candidates.json`.

The shipped model misses threats that do not say "threaten" ("will pay a heavy price", "those who play with
fire", "all necessary measures", "grave consequences"). This picks sentences with such phrasing from the
NewsMTSC train split, the ConfliBERT CAMEO train split, UN Security Council speeches (UNSCon) and UN General
Debate speeches. The same dev-split rules as `select_label_candidates.py` apply: texts already in annotated/
(train or dev, as text or context) are skipped, and so is every document whose id falls in the dev split
(md5(doc_id) % 100 < 15) and every UN speech that has dev items. Texts in data/extra/candidates.json (the
first batch) are skipped too. The phrases only select candidates; every label comes from reading the item.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from select_label_candidates import in_dev, read_annotated

from stance.actors import ActorResolver

VEILED = re.compile(
    r"\b(play(?:s|ing|ed)? with fire|(?:heavy|high|steep|terrible|dear) price|pay (?:a |the )?(?:price|dearly)|"
    r"(?:serious|grave|severe|dire|unpredictable|disastrous|catastrophic) consequences|bear (?:the|all) (?:consequences|responsibility)|"
    r"red lines?|(?:sit|stand) idly|will not (?:tolerate|allow|accept|permit)|all (?:necessary|possible) (?:measures|means|steps)|"
    r"countermeasures|(?:firm|resolute|decisive|strong|forceful) (?:response|action|measures|countermeasures)|"
    r"respond (?:firmly|resolutely|decisively|forcefully|strongly)|crush (?:the|any|all|them)|wipe\w* out|annihilat\w*|obliterat\w*|"
    r"(?:will|would|shall) regret|(?:will|shall) be met with|options? (?:are |is |remain )?on the table|not hesitate|fire and fury|"
    r"(?:last|final) warning|underestimate|at (?:their|its|his|your) (?:own )?peril|teach \w+ a lesson|hands off|"
    r"cross(?:es|ed|ing)? (?:the|this|that|any) line|at all costs|never (?:allow|accept|tolerate)|"
    r"will (?:defend|respond|retaliate|strike|hit back)|self-defen[cs]e|deterren\w*|show of force|ready to fight)\b",
    re.I,
)

# Round 3: warnings of consequences and deterrent commitments, the two kinds of threat the example article's
# Mainland Affairs Council and Kishi statements make and rounds 1-2 hardly cover.
WARNING = re.compile(
    r"\b((?:warn(?:s|ed|ing)?|cautioned)\b.{0,200}\b(?:consequences?|price|bear|regret|respon(?:d|se)|retaliat\w*|war|"
    r"force|action|measures|sanctions?|effects?)|cannot bear|unbearable consequences|far-reaching (?:consequences|effects|impact)|"
    r"means (?:nothing but )?war|act of war|(?:repel|deter\w*|respond to|defend\w* (?:\w+ ){0,3}against|in the event of|in case of) "
    r"(?:\w+[’']?s? ){0,3}(?:aggression|attack|invasion)|stands? ready to (?:defend|respond|repel|retaliate)|"
    r"respond to any|resolutely (?:oppose|defend|crush|smash|counter|respond|safeguard)|bottom line|retaliat\w*)\b",
    re.I,
)
PHRASES = {"veiled": VEILED, "warning": WARNING}


def sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="data/extra/veiled_candidates.json")
    ap.add_argument("--previous", nargs="+", default=["data/extra/candidates.json"], help="earlier candidates to skip")
    ap.add_argument("--phrases", choices=sorted(PHRASES), default="veiled",
                    help="veiled (round 2: idioms) or warning (round 3: warnings of consequences, deterrence)")
    ap.add_argument("--n-newsmtsc", type=int, default=60)
    ap.add_argument("--n-conflibert", type=int, default=60)
    ap.add_argument("--n-unsc", type=int, default=60)
    ap.add_argument("--n-ungdc", type=int, default=160)
    ap.add_argument("--seed", type=int, default=29)
    a = ap.parse_args()
    d = Path(a.shared) / "data"
    rng = random.Random(a.seed)
    ann = read_annotated(d)
    seen_texts = [s.strip() for r in ann for s in (r["text"], r.get("context") or "") if s and s.strip()]
    for prev in a.previous:
        if Path(prev).exists():
            seen_texts += [it["text"] for it in json.loads(Path(prev).read_text(encoding="utf-8"))]
    pattern = PHRASES[a.phrases]
    seen_blob = "\n".join(seen_texts)

    def fresh(text: str) -> bool:
        return text not in seen_blob and not any(s in text for s in seen_texts if len(s) > 30)

    dev_speeches = {r["doc_id"].rsplit("-", 1)[0] for r in ann
                    if r["source"] in ("ungdc", "unscon") and in_dev(r["doc_id"])}
    items: list[dict] = []

    resolver = ActorResolver()

    def take(pool: list[dict], n: int) -> None:
        """Add up to n fresh items that mention at least one actor (else there is no target to label)."""
        rng.shuffle(pool)
        got = 0
        print(f"  {pool[0]['source'] if pool else '-'}: {len(pool)} with a phrase", end="")
        for it in pool:
            if got >= n:
                break
            if fresh(it["text"]) and resolver.find_in_text(it["text"]):
                items.append(it)
                got += 1
        print(f", {got} taken")

    # NewsMTSC train (never its devtest files): news sentences with a veiled-threat phrase.
    pool = []
    for i, line in enumerate(open(d / "newsmtsc" / "train.jsonl", encoding="utf-8")):
        text = json.loads(line)["sentence_normalized"].strip()
        doc_id = f"newsmtsc-train-v{i}"
        if pattern.search(text) and 40 < len(text) < 400 and not in_dev(doc_id):
            pool.append({"item_id": doc_id, "source": "newsmtsc-train", "text": text})
    take(pool, a.n_newsmtsc)

    # ConfliBERT CAMEO train split.
    pool = []
    for i, line in enumerate(open(d / "conflibert_cameo_train" / "cameo_class_train.tsv", encoding="utf-8")):
        text = line.rstrip("\n").rpartition("\t")[0].strip()
        doc_id = f"conflibert-train-x{i}"
        if pattern.search(text) and not in_dev(doc_id):
            pool.append({"item_id": doc_id, "source": "conflibert-cameo-train", "text": text})
    take(pool, a.n_conflibert)

    # UN Security Council speeches (UNSCon): one sentence + the previous one of the same speech as context.
    rows = list(csv.DictReader(open(d / "unscon_unsc_conflict" / "conflict_annotations_sentences.csv", encoding="utf-8")))
    pool = []
    for k, r in enumerate(rows):
        text = " ".join(r["sentence_text"].split()).replace(" .", ".").replace(" ,", ",")
        speech = f"unscon-{r['speech_id']}-{r['basename']}"
        doc_id = f"{speech}-v{k}"
        if speech in dev_speeches or in_dev(doc_id) or not pattern.search(text) or not 40 < len(text) < 400:
            continue
        prev = rows[k - 1] if k and rows[k - 1]["filename"] == r["filename"] else None
        pool.append({"item_id": doc_id, "source": "unscon", "text": text,
                     "context": " ".join(prev["sentence_text"].split()).replace(" .", ".").replace(" ,", ",") if prev else "",
                     "speaker_hint": f"the delegation of {r['country'].replace('_', ' ')}"})
    take(pool, a.n_unsc)

    # UN General Debate speeches: one matching sentence per speech, with the previous sentence as context.
    files = sorted((d / "ungdc_2015_2024" / "txt").rglob("*.txt"))
    rng.shuffle(files)
    pool = []
    for f in files:
        speech = f"ungdc-{f.stem}"
        if speech in dev_speeches:
            continue
        sents = sentences(f.read_text(encoding="utf-8", errors="replace"))
        hits = [k for k, s in enumerate(sents) if pattern.search(s) and 40 < len(s) < 400 and not in_dev(f"{speech}-{k}")]
        if hits:
            k = rng.choice(hits)
            pool.append({"item_id": f"{speech}-{k}", "source": "ungdc", "text": sents[k],
                         "context": sents[k - 1] if k else "", "speaker_hint": f"the delegation of {f.stem.split('_')[0]}"})
        if len(pool) >= 8 * a.n_ungdc:
            break
    take(pool, a.n_ungdc)

    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(items)} candidates -> {a.out}")


if __name__ == "__main__":
    main()
