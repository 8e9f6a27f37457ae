"""Build an unlabelled pool of statement-target pairs for distilling a larger teacher into the shipped model.

Reproducible: `python scripts/build_distill_pool.py --shared ../shared --out data/distill/pool.jsonl`.

The pairs come from the train-side text of the shared corpora, under the same dev-split rules as the labelling
scripts (`select_label_candidates.py`): texts already in annotated/ (train or dev, as text or context) are skipped,
every UN speech that has dev items is skipped whole, and every sentence whose id falls in the dev split
(md5(doc_id) % 100 < 15) is skipped. All items of data/extra/ (labelled, or held out for evaluation) are skipped too.

- News sentences (ConfliBERT CAMEO train split, NewsMTSC train split; never NewsMTSC devtest): the article
  pipeline (`stance.article.extract_articles`) finds statements, speakers and targets, as at inference time.
- UN speeches (UNSCon Security Council sentences, UN General Debate 2015-2024): the speech is the delegation's
  statement, as in annotated/ (the delegation's country comes from the UNSCon file_id or the UNGDC file name).
  Each sentence with an actor mention outside the speaker's country gives pairs, with the previous sentence as
  context. At most --per-speech sentences per General Debate speech.

The pool has no labels; a teacher model labels it (`scripts/distill_label.py`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_label_candidates import in_dev, read_annotated  # noqa: E402
from select_veiled_candidates import sentences  # noqa: E402

from stance.actors import ActorResolver  # noqa: E402
from stance.article import extract_articles  # noqa: E402

SPEAKER_IN_FILE = re.compile(r"_spch\d+_(.+?)(?:_neg|_pos)?(?:_\d+)?(?:_GD)?\.txt$", re.I)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--extra", default="data/extra", help="folder of labelled and held-out items to skip")
    ap.add_argument("--out", default="data/distill/pool.jsonl")
    ap.add_argument("--n-news", type=int, default=2500, help="news sentences to run the article pipeline on")
    ap.add_argument("--n-unsc", type=int, default=1200, help="UNSCon sentences with a target")
    ap.add_argument("--n-ungdc", type=int, default=2500, help="General Debate sentences with a target")
    ap.add_argument("--per-speech", type=int, default=2)
    ap.add_argument("--seed", type=int, default=31)
    a = ap.parse_args()
    d = Path(a.shared) / "data"
    rng = random.Random(a.seed)
    ann = read_annotated(d)
    seen = {" ".join(s.split()) for r in ann for s in (r["text"], r.get("context") or "") if s and s.strip()}
    for f in sorted(Path(a.extra).glob("*.json")):
        seen |= {" ".join(it["text"].split()) for it in json.loads(f.read_text(encoding="utf-8"))}
    for f in sorted(Path(a.extra).glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                seen |= {" ".join(s.split()) for s in (r.get("text"), r.get("context")) if s}
    seen_blob = "\n".join(seen)

    def fresh(text: str) -> bool:
        t = " ".join(text.split())
        return t not in seen_blob and not any(s in t for s in seen if len(s) > 30)

    dev_speeches = {r["doc_id"].rsplit("-", 1)[0] for r in ann if r["source"] in ("ungdc", "unscon") and in_dev(r["doc_id"])}
    resolver = ActorResolver()
    rows: list[dict] = []

    # News: ConfliBERT CAMEO train and NewsMTSC train sentences through the article pipeline.
    news: list[tuple[str, str, str]] = []
    for i, line in enumerate(open(d / "conflibert_cameo_train" / "cameo_class_train.tsv", encoding="utf-8")):
        text = line.rstrip("\n").rpartition("\t")[0].strip()
        news.append((f"conflibert-train-p{i}", "conflibert-cameo-train", text))
    texts_seen: set[str] = set()
    for i, line in enumerate(open(d / "newsmtsc" / "train.jsonl", encoding="utf-8")):
        text = json.loads(line)["sentence_normalized"].strip()
        if text not in texts_seen:
            texts_seen.add(text)
            news.append((f"newsmtsc-train-p{i}", "newsmtsc-train", text))
    rng.shuffle(news)
    news = [n for n in news if 40 < len(n[2]) < 600 and not in_dev(n[0]) and fresh(n[2])][: a.n_news]
    print(f"news: {len(news)} sentences", file=sys.stderr)
    for (doc_id, source, _), pairs in zip(news, extract_articles([t for _, _, t in news], doc_ids=[n[0] for n in news],
                                                                 resolver=resolver, show_progress=False)):
        for p in pairs:
            rows.append({"id": p.id, "doc_id": doc_id, "text": p.text, "context": p.context, "quote_type": p.quote_type,
                         "speaker": p.speaker, "speaker_actor": p.speaker_actor, "target": p.target,
                         "target_actor": p.target_actor, "target_code": p.target_code, "source": source})

    def speech_pairs(doc_id: str, source: str, text: str, context: str, speaker: str, speaker_actor: str | None) -> list[dict]:
        out, used = [], set()
        for m in resolver.find_in_text(text):
            if m.actor.name == speaker_actor or m.actor.name in used:
                continue
            used.add(m.actor.name)
            out.append({"id": f"{doc_id}#t{len(out)}", "doc_id": doc_id, "text": text, "context": context,
                        "quote_type": "direct", "speaker": speaker, "speaker_actor": speaker_actor, "target": m.text,
                        "target_actor": m.actor.name, "target_code": m.actor.code or "", "source": source})
        return out

    # UN Security Council sentences (UNSCon).
    un = list(csv.DictReader(open(d / "unscon_unsc_conflict" / "conflict_annotations_sentences.csv", encoding="utf-8")))
    order = list(range(len(un)))
    rng.shuffle(order)
    got = 0
    for k in order:
        if got >= a.n_unsc:
            break
        r = un[k]
        text = " ".join(r["sentence_text"].split()).replace(" .", ".").replace(" ,", ",")
        speech = f"unscon-{r['speech_id']}-{r['basename']}"
        doc_id = f"{speech}-p{k}"
        if speech in dev_speeches or in_dev(doc_id) or not 40 < len(text) < 600 or not fresh(text):
            continue
        # the speaker's country is in file_id ("..._spch015_Russian_Federation_neg_03.txt"); the `country`
        # column does not always match it
        m = SPEAKER_IN_FILE.search(r["file_id"])
        if not m:
            continue
        country = re.sub(r"\s*neg%\d+$|A?\d+$|(?<=America)A$", "", m.group(1).replace("_", " "))
        actor = resolver.resolve(country) or resolver.resolve(country.title())
        if actor is None:
            continue
        country = actor.name
        prev = un[k - 1] if k and un[k - 1]["filename"] == r["filename"] else None
        context = (" ".join(prev["sentence_text"].split()).replace(" .", ".").replace(" ,", ",") + " " + text) if prev else text
        pairs = speech_pairs(doc_id, "unscon", text, context, f"the delegation of {country}", actor.name)
        rows += pairs
        got += bool(pairs)
    print(f"unscon: {got} sentences", file=sys.stderr)

    # UN General Debate sentences, at most --per-speech per speech.
    files = sorted((d / "ungdc_2015_2024" / "txt").rglob("*.txt"))
    rng.shuffle(files)
    got = 0
    for f in files:
        if got >= a.n_ungdc:
            break
        speech = f"ungdc-{f.stem}"
        if speech in dev_speeches:
            continue
        iso = f.stem.split("_")[0]
        actor = resolver.actor(iso)
        sents = sentences(f.read_text(encoding="utf-8", errors="replace"))
        ks = list(range(len(sents)))
        rng.shuffle(ks)
        taken = 0
        for k in ks:
            if taken >= a.per_speech:
                break
            s = sents[k]
            if not 40 < len(s) < 600 or in_dev(f"{speech}-{k}") or not fresh(s):
                continue
            context = f"{sents[k - 1]} {s}" if k else s
            pairs = speech_pairs(f"{speech}-{k}", "ungdc", s, context, f"the delegation of {iso}", actor.name if actor else None)
            if pairs:
                rows += pairs
                taken += 1
        got += taken
    print(f"ungdc: {got} sentences", file=sys.stderr)

    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} pairs -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
