"""Whole-article extraction on every document set in the repository, against the gold labels and a second annotator.

Sets: `examples/` (the demo article), `data/docdev/` (6 documents, developed on), `data/docdev2/` (6 documents,
two blind annotators; fixes were made looking at it), `data/docdev3/` and `data/docdev4/` (9 and 7 documents, one
blind annotator each; fixes made looking at them), `data/doctest/` (6 documents, two blind annotators, labelled
after the code was frozen; a test set, not for development), `data/doctest2/` (8 documents, two blind annotators, a
fresh slice labelled in stop 14; a test set). Prints statement F1 (exact and overlap), speaker-actor
accuracy and target F1 per set, for the pipeline and, where a second annotator labelled the set, for that annotator
scored against the gold file. Extraction only: no model runs. Usage:

    python benchmarks/bench_extraction.py [--out benchmarks/results/extraction.txt]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
from _machine import emit_report, machine_lines  # noqa: E402

SETS = [
    ("example", ROOT / "examples", "taiwan_strait.labels.jsonl", None, "developed on"),
    ("docdev", ROOT / "data" / "docdev", "docdev.labels.jsonl", None, "developed on"),
    ("docdev2", ROOT / "data" / "docdev2", "docdev2.labels.jsonl", "docdev2.labels_b.jsonl", "fixes made looking at it"),
    ("docdev3", ROOT / "data" / "docdev3", "docdev3.labels.jsonl", None, "one blind annotator; fixes made looking at it (stop 14)"),
    ("docdev4", ROOT / "data" / "docdev4", "docdev4.labels.jsonl", None, "one blind annotator; fixes made looking at it (stop 14)"),
    ("doctest", ROOT / "data" / "doctest", "doctest.labels.jsonl", "doctest.labels_b.jsonl",
     "labelled after the code froze at f1fd6c7; scored as aggregates at several commits since"),
    ("doctest2", ROOT / "data" / "doctest2", "doctest2.labels.jsonl", "doctest2.labels_b.jsonl",
     "unseen: labelled during stop 14, nobody has read the pipeline's output on it"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    from stance.extraction_eval import evaluate_article_files, evaluate_extraction

    def row(name: str, who: str, m: dict) -> str:
        so, t = m["statement_overlap"], m["target"]
        return (f"{name:<9}{who:<12}{m['n_docs']:>5}{m['n_gold_statements']:>6}{m['n_pred_statements']:>6}"
                f"{m['statement_exact']['f1']:>8.3f}{so['f1']:>8.3f}{so['precision']:>7.3f}{so['recall']:>7.3f}"
                f"{m['speaker_accuracy']:>8.3f}{t['f1']:>8.3f}{t['precision']:>7.3f}{t['recall']:>7.3f}")

    lines = ["bench_extraction: whole-article mode against gold document labels"] + machine_lines()
    lines += ["", f"{'set':<9}{'scored':<12}{'docs':>5}{'gold':>6}{'pred':>6}{'st.ex':>8}{'st.ov':>8}{'P':>7}{'R':>7}"
                  f"{'speaker':>8}{'target':>8}{'P':>7}{'R':>7}"]
    notes = []
    for name, folder, gold, second, status in SETS:
        m = evaluate_article_files(folder / gold, folder, show_progress=False)
        lines.append(row(name, "stance", m))
        if second:
            rows = [json.loads(x) for x in (folder / second).read_text(encoding="utf-8").splitlines() if x.strip()]
            lines.append(row(name, "annotator B", evaluate_extraction(rows, folder / gold)))
        notes.append(f"  {name}: {status}")
    lines += ["", "st.ex / st.ov: statement F1, exact / overlap match; speaker: speaker-actor accuracy on matched statements;",
              "target: target-actor F1 on matched statements. Sets:"] + notes
    emit_report(lines, args.out)


if __name__ == "__main__":
    main()
