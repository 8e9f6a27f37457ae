#!/usr/bin/env bash
# Run every benchmark on this machine and write the figures to benchmarks/results/.
#   bash benchmarks/run_all.sh ../shared        (the folder with the shared corpora)
# Takes about 15 minutes on 2 CPU cores; run it on an otherwise idle machine.
set -euo pipefail
shared=${1:?usage: bash benchmarks/run_all.sh PATH/TO/shared}
cd "$(dirname "$0")/.."
python benchmarks/bench_speed.py --dev "$shared/data/annotated/dev.jsonl" --out benchmarks/results/speed.txt
python benchmarks/bench_articles.py --shared "$shared" --out benchmarks/results/articles.txt
python benchmarks/bench_newsmtsc.py --rw "$shared/data/newsmtsc/devtest_rw.jsonl" --mt "$shared/data/newsmtsc/devtest_mt.jsonl" \
    --out benchmarks/results/newsmtsc.txt
stance evaluate --model baseline --model stance-minilm --data "$shared/data/annotated/dev.jsonl" --out reports/dev -q
cp reports/dev/summary.md benchmarks/results/dev_vs_baseline.md
# the 26 held-out veiled-threat pairs labelled for this repository (data/extra/README.md); small, so wide CIs
stance evaluate --model baseline --model stance-minilm --data data/extra/veiled_heldout.jsonl --out reports/veiled -q
cp reports/veiled/summary.md benchmarks/results/veiled_heldout.md
# identity sensitivity: the same dev pairs with the target state's name swapped for 10 others
python benchmarks/bench_target_swap.py --dev "$shared/data/annotated/dev.jsonl" --model stance-minilm --model baseline \
    --out benchmarks/results/target_swap.txt
python benchmarks/probe_inputs.py --dev "$shared/data/annotated/dev.jsonl" --out benchmarks/results/probe_inputs.txt
# whole-article extraction on the four document sets (example, docdev, docdev2, doctest); no model runs
python benchmarks/bench_extraction.py --out benchmarks/results/extraction.txt
