"""Whole-article throughput and cold-start times, measured on this machine.

    python benchmarks/bench_articles.py --shared ../shared [--model stance-minilm] [--n-articles 200] [--repeats 3]

Prints (and with --out writes) medians over ``--repeats`` runs of:
- cold start: ``import stance`` and the first ``stance.load()`` of the model, each in a fresh process;
- end to end: articles/s of ``stance.classify`` over ``--n-articles`` news articles of 300-800 words
  (also with ``n_process=2``: spaCy parsing in two worker processes),
  and where the time goes (spaCy parsing, statement/speaker/actor extraction, the classifier);
- peak RSS of the end-to-end process.

The articles are assembled from real news sentences (the ConfliBERT CAMEO train sentences and
NewsMTSC train sentences in ../shared/data), shuffled with a fixed seed and grouped until each
article reaches 300-800 words. They are real text but not real articles: quotes and speakers are as
dense as in wire copy, topics jump between sentences.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path


def build_articles(shared: Path, n: int, seed: int = 0) -> list[str]:
    sents: list[str] = []
    for line in open(shared / "data" / "conflibert_cameo_train" / "cameo_class_train.tsv", encoding="utf-8"):
        text = line.rsplit("\t", 1)[0].strip()
        if text:
            sents.append(text)
    for line in open(shared / "data" / "newsmtsc" / "train.jsonl", encoding="utf-8"):
        sents.append(json.loads(line)["sentence_normalized"].strip())
    rng = random.Random(seed)
    rng.shuffle(sents)
    articles, cur, words, k = [], [], 0, 0
    while len(articles) < n:
        s = sents[k % len(sents)]
        k += 1
        cur.append(s)
        words += len(s.split())
        if words >= rng.randint(300, 800):
            # paragraphs of 2-3 sentences, as in wire copy
            paras = [" ".join(cur[i : i + 3]) for i in range(0, len(cur), 3)]
            articles.append("\n\n".join(paras))
            cur, words = [], 0
    return articles


def _subprocess_seconds(code: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def end_to_end(articles: list[str], model: str | None, repeats: int) -> dict:
    """Run in this process: time the phases of whole-article mode."""
    import resource

    import stance
    from stance.api import get_classifier
    from stance.extract import get_nlp, pairs_from_statements, statements_from_doc

    clf = get_classifier(model)
    nlp = get_nlp()
    stance.classify(articles[:2], model=clf, show_progress=False)  # warm-up (lazy tables, threads)
    # peak memory of the public call alone, before the phase split below keeps all Docs alive
    stance.classify(articles, model=clf, show_progress=False)
    rss_classify = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    phases: dict[str, list[float]] = {"nlp": [], "extract": [], "classify": [], "total": [], "total_n2": []}
    n_pairs = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(articles, batch_size=32))
        t1 = time.perf_counter()
        pairs = [p for i, d in enumerate(docs) for p in pairs_from_statements(statements_from_doc(d, doc_id=f"a{i}"), f"a{i}")]
        t2 = time.perf_counter()
        clf.predict(pairs, batch_size=32, show_progress=False)
        t3 = time.perf_counter()
        phases["nlp"].append(t1 - t0)
        phases["extract"].append(t2 - t1)
        phases["classify"].append(t3 - t2)
        # the public entry point, end to end, as a user calls it
        t4 = time.perf_counter()
        stance.classify(articles, model=clf, show_progress=False)
        phases["total"].append(time.perf_counter() - t4)
        # the same with spaCy parsing in two worker processes (n_process=2)
        t5 = time.perf_counter()
        stance.classify(articles, model=clf, show_progress=False, n_process=2)
        phases["total_n2"].append(time.perf_counter() - t5)
        n_pairs = len(pairs)
    med = {k: statistics.median(v) for k, v in phases.items()}
    return {
        "model": getattr(clf, "name", str(model)),
        "n_articles": len(articles),
        "n_words": sum(len(a.split()) for a in articles),
        "n_pairs": n_pairs,
        "seconds": med,
        "articles_per_s": len(articles) / med["total"],
        "articles_per_s_n2": len(articles) / med["total_n2"],
        "pairs_per_s_classifier": n_pairs / med["classify"] if med["classify"] else None,
        "peak_rss_mb": rss_classify,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True, help="path of the shared corpora folder (has data/)")
    ap.add_argument("--model", action="append", help="model name or path; repeat; default: the default model and baseline")
    ap.add_argument("--n-articles", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", help="also write the report to this file")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    articles = build_articles(Path(a.shared), a.n_articles)
    if a._child is not None:  # one end-to-end measurement in a fresh process (clean peak RSS)
        print(json.dumps(end_to_end(articles, a._child or None, a.repeats)))
        return

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _machine import emit_report, machine_lines

    lines = ["# stance whole-article benchmark"] + machine_lines()
    imp = _subprocess_seconds("import time; t=time.perf_counter(); import stance; print(time.perf_counter()-t)", 5)
    lines.append(f"cold start: import stance {imp * 1000:.0f} ms (median of 5 fresh processes)")
    for model in a.model or [None, "baseline"]:
        name = model or "default model"
        code = ("import time; t=time.perf_counter(); import stance; m=stance.load(%r); print(time.perf_counter()-t)" % (model,))
        lines.append(f"cold start: import + first stance.load({model!r}) [{name}] {_subprocess_seconds(code, 3):.2f} s (median of 3)")
        out = subprocess.run(
            [sys.executable, __file__, "--shared", a.shared, "--n-articles", str(a.n_articles), "--repeats", str(a.repeats), "--_child", model or ""],
            capture_output=True, text=True, check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        s = r["seconds"]
        lines.append(
            f"end to end [{r['model']}]: {r['n_articles']} articles ({r['n_words']} words, {r['n_pairs']} statement-target pairs): "
            f"{r['articles_per_s']:.1f} articles/s ({r['articles_per_s_n2']:.1f} with n_process=2); "
            f"time split nlp {s['nlp']:.1f} s, extraction {s['extract']:.1f} s, "
            f"classifier {s['classify']:.1f} s ({r['pairs_per_s_classifier']:.0f} pairs/s); "
            f"peak RSS of the process through stance.classify of all {r['n_articles']} articles: {r['peak_rss_mb']:.0f} MB"
        )
    emit_report(lines, a.out)


if __name__ == "__main__":
    main()
