"""Training config validation and a tiny end-to-end training run (nothing downloaded)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from stance.errors import ConfigError
from stance.train import TrainConfig, expected_calibration_error, fit_temperature, load_newsmtsc, scores

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent


def test_config_roundtrip(tmp_path):
    cfg = TrainConfig(epochs=2, lr=1e-4, extra_train_paths=["a.jsonl"], distill_paths=["p.jsonl"], distill_weight=0.5, distill_temperature=2.0, input_actors=True, target_swap=0.25, loss_weights={"stance": 1.0, "sentiment": 0.25}, newsmtsc_path="x.jsonl",
                      aux_tasks=[{"name": "quadclass", "path": "q.jsonl", "label_field": "quadclass_name", "max_items": 50}])
    assert cfg.aux_tasks[0].weight == 0.3 and cfg.aux_tasks[0].text_field == "text"
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    cfg.to_json(tmp_path / "c.json")
    assert TrainConfig.from_json(tmp_path / "c.json") == cfg
    assert json.loads((tmp_path / "c.json").read_text())["loss_weights"] == {"stance": 1.0, "sentiment": 0.25}
    with pytest.raises(TypeError):
        cfg.loss_weights["stance"] = 2.0  # frozen


@pytest.mark.parametrize(
    "field,value,needle",
    [
        ("epochs", 0, "epochs"),
        ("epochs", 2.5, "epochs"),
        ("lr", -1.0, "lr"),
        ("batch_size", True, "batch_size"),
        ("max_length", 4096, "max_length"),
        ("class_weighting", "inverse", "'balanced'"),
        ("pooling", "max", "'mean'"),
        ("select_on", "sentiment", "'stance'"),
        ("default_quantize", "fp8", "'int8'"),
        ("use_context", "yes", "true or false"),
        ("input_actors", 1, "input_actors"),
        ("target_swap", 1.5, "target_swap"),
        ("target_swap", "half", "target_swap"),
        ("loss_weights", {"stance": 1.0}, "sentiment"),
        ("loss_weights", {"stance": 0, "sentiment": 0}, "not all zero"),
        ("train_path", "", "train_path"),
        ("num_threads", 0, "num_threads"),
        ("extra_train_paths", "a.jsonl", "extra_train_paths"),
        ("freeze_embeddings", 1, "freeze_embeddings"),
        ("distill_paths", ["ok.jsonl", ""], "distill_paths"),
        ("distill_weight", -1.0, "distill_weight"),
        ("distill_temperature", 0, "distill_temperature"),
        ("distill_temperature", "2", "distill_temperature"),
        ("num_layers", 0, "num_layers"),
        ("num_layers", 2.0, "num_layers"),
        ("aux_tasks", "q.jsonl", "aux_tasks"),
        ("aux_tasks", [{"name": "stance", "path": "q.jsonl"}], "AuxTask.name"),
        ("aux_tasks", [{"name": "q", "path": "q.csv"}], "AuxTask.path"),
        ("aux_tasks", [{"name": "q", "path": "q.tsv", "weight": 0}], "AuxTask.weight"),
        ("aux_tasks", [{"name": "q", "path": "q.tsv", "max_items": 0}], "AuxTask.max_items"),
        ("aux_tasks", [{"name": "q", "path": "q.tsv", "labels": "x"}], "unknown auxiliary task field"),
        ("aux_tasks", [{"name": "q"}], "needs path"),
        ("aux_tasks", [{"name": "q", "path": "a.tsv"}, {"name": "q", "path": "b.tsv"}], "duplicate task name"),
    ],
)
def test_config_rejects_bad_values(field, value, needle):
    with pytest.raises(ConfigError, match=needle):
        TrainConfig(**{field: value})


def test_config_rejects_unknown_keys_and_bad_files(tmp_path):
    with pytest.raises(ConfigError, match="unknown training config field.*epochz"):
        TrainConfig.from_dict({"epochz": 3})
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        TrainConfig.from_json(tmp_path / "bad.json")
    with pytest.raises(ConfigError, match="not found"):
        TrainConfig.from_json(tmp_path / "missing.json")


def test_shipped_configs_are_valid():
    for path in sorted((ROOT / "configs").glob("*.json")):
        TrainConfig.from_json(path)


def test_metrics_helpers():
    s = scores(["threatening", "neutral", "conciliatory", "neutral"], ["threatening", "neutral", "neutral", "neutral"], "stance")
    assert s["per_class"]["conciliatory"]["f1"] == 0.0 and s["per_class"]["threatening"]["f1"] == 1.0
    assert s["f_avg"] == pytest.approx(0.5) and s["macro_f1"] == pytest.approx((1 + 0 + 0.8) / 3)
    proba = np.array([[0.9, 0.05, 0.05], [0.6, 0.2, 0.2]])
    assert expected_calibration_error(proba, np.array([0, 0])) == pytest.approx((0.1 + 0.4) / 2)
    # overconfident logits -> temperature > 1
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 300)
    logits = rng.normal(size=(300, 3))
    logits[np.arange(300), gold] += 1.0
    assert fit_temperature(logits * 5, gold) > 2.0


def test_newsmtsc_reader(tmp_path):
    rows = [
        {"primary_gid": "a", "sentence_normalized": "Trump blamed China for the trade war in a speech.",
         "targets": [{"mention": "Trump", "polarity": 4.0}, {"mention": "China", "polarity": 2.0}]},
        {"primary_gid": "b", "sentence_normalized": "This sentence is also in our labelled data, word for word.",
         "targets": [{"mention": "labelled", "polarity": 6.0}]},
    ]
    p = tmp_path / "n.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    recs = load_newsmtsc(p, exclude_texts=["This sentence is also in our labelled data, word for word."])
    assert [(r.target, r.sentiment, r.stance) for r in recs] == [("Trump", "neutral", None), ("China", "negative", None)]
    assert len(load_newsmtsc(p, max_pairs=1, seed=3)) == 1


def _few_per_label(recs, n, path):
    """The first ``n`` pairs of each stance label, written to ``path`` as JSONL."""
    from stance.data import write_jsonl

    few = []
    for lab in ("threatening", "conciliatory", "neutral"):
        few += [r for r in recs if r.stance == lab][:n]
    write_jsonl([r.to_dict() for r in few], path)
    return few


def _tiny_base(tmp_path, recs):
    """A randomly initialised one-layer BERT with a word-piece vocabulary trained on the fixture texts."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    base = tmp_path / "tiny"
    base.mkdir()
    wp = BertWordPieceTokenizer(lowercase=True)
    wp.train_from_iterator([r.text for r in recs] + [r.speaker or "" for r in recs] + ["target speaker « »"],
                           vocab_size=300, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    wp.save_model(str(base))
    BertTokenizerFast(vocab_file=str(base / "vocab.txt")).save_pretrained(base)
    import torch

    torch.manual_seed(0)  # the base weights; train() seeds everything after this
    BertModel(BertConfig(vocab_size=wp.get_vocab_size(), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=160)).save_pretrained(base)
    return base


def test_train_overfits_tiny_model(tmp_path, fixtures_dir):
    pytest.importorskip("torch")
    pytest.importorskip("accelerate")
    from stance.data import load_records
    from stance.train import train
    from stance.transformer import TransformerClassifier

    recs = load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)
    # a handful of pairs covering every stance label
    few = _few_per_label(recs, 3, tmp_path / "few.jsonl")
    base = _tiny_base(tmp_path, recs)
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"primary_gid": "n1", "sentence_normalized": "Officials praised Canada for its help.",
                                "targets": [{"mention": "Canada", "polarity": 6.0}]}) + "\n")
    cfg = TrainConfig(train_path=str(tmp_path / "few.jsonl"), dev_path=str(tmp_path / "few.jsonl"), base_model=str(base),
                      newsmtsc_path=str(news), epochs=25, lr=3e-3, batch_size=4, max_length=64, warmup_ratio=0.0,
                      dropout=0.0, seed=7, name="tiny-trained", num_threads=1,
                      loss_weights={"stance": 1.0, "sentiment": 1.0})
    out = train(cfg, tmp_path / "model", show_progress=False)
    assert out["newsmtsc_pairs"] == 1 and out["train_pairs"] == 9 and len(out["history"]) == 25
    assert out["dev"]["stance"]["macro_f1"] == 1.0, out["history"]
    assert out["dev"]["sentiment"]["accuracy"] >= 0.66  # well above chance (1/3)
    assert out["default_quantize"] in (None, "int8")
    side = json.loads((tmp_path / "model" / "stance_config.json").read_text())
    assert TrainConfig.from_dict(side["training_config"]) == cfg
    assert side["temperatures"] == out["temperatures"] and side["best_epoch"] == out["best_epoch"]
    clf = TransformerClassifier.load(tmp_path / "model", quantize="none")
    assert [r.stance for r in clf.predict(few)] == [r.stance for r in few]
    # same seed, same model
    again = train(cfg, tmp_path / "model2", show_progress=False)
    assert again["history"] == out["history"]


@pytest.mark.parametrize("temperature", [1.0, 3.0])
def test_train_distils_teacher_probabilities(tmp_path, fixtures_dir, temperature):
    """Pairs with only a teacher's probabilities are learnt: the student follows the teacher on them
    (also with softened probabilities, distill_temperature > 1)."""
    pytest.importorskip("torch")
    pytest.importorskip("accelerate")
    from stance.data import load_records, write_jsonl
    from stance.schema import LABELS
    from stance.train import train
    from stance.transformer import TransformerClassifier

    recs = load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)
    few, pool = [], []
    for lab in ("threatening", "conciliatory", "neutral"):
        of_lab = [r for r in recs if r.stance == lab]
        few += of_lab[:1]
        pool += of_lab[1:4]
    write_jsonl([r.to_dict() for r in few], tmp_path / "few.jsonl")
    # the teacher's view of the pool: its gold labels, softened; the pool's own label fields say "neutral"
    # everywhere, and must be ignored
    rows = []
    for r in pool:
        d = r.to_dict() | {"stance": "neutral", "sentiment": "neutral"}
        for t in ("stance", "sentiment"):
            d[f"teacher_{t}"] = [0.9 if lab == getattr(r, t) else 0.05 for lab in LABELS[t]]
        rows.append(d)
    write_jsonl(rows, tmp_path / "pool.jsonl")
    # dev: the labelled pairs plus near-copies of the pool with the teacher's labels (the pool's own texts
    # would be refused as a dev overlap), so the best epoch is one that has learnt the teacher
    dev = [r.to_dict() for r in few] + [r.to_dict() | {"id": f"{r.id}-dev", "text": r.text + " Officials said."} for r in pool]
    write_jsonl(dev, tmp_path / "dev.jsonl")
    base = _tiny_base(tmp_path, recs)
    cfg = TrainConfig(train_path=str(tmp_path / "few.jsonl"), dev_path=str(tmp_path / "dev.jsonl"), base_model=str(base),
                      distill_paths=[str(tmp_path / "pool.jsonl")], epochs=40, lr=3e-3, batch_size=2, max_length=64,
                      warmup_ratio=0.0, dropout=0.0, seed=7, name="tiny-student", num_threads=1, default_quantize="none",
                      distill_temperature=temperature)
    out = train(cfg, tmp_path / "model", show_progress=False)
    assert out["distill_pairs"] == len(pool) == 9 and out["train_pairs"] == 3, out["history"]
    clf = TransformerClassifier.load(tmp_path / "model", quantize="none")
    assert [r.stance for r in clf.predict(pool)] == [r.stance for r in pool]


def test_train_with_actor_inputs_saves_the_template(tmp_path, fixtures_dir):
    """input_actors: the model sees canonical actors beside the mentions, and the saved model keeps that template;
    target_swap: every swappable pair is swapped (and counted)."""
    pytest.importorskip("torch")
    pytest.importorskip("accelerate")
    from stance.data import load_records
    from stance.train import train
    from stance.transformer import ACTOR_TEMPLATE, TransformerClassifier

    recs = load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)
    base = _tiny_base(tmp_path, recs)
    path = fixtures_dir / "pairs_small.jsonl"
    cfg = TrainConfig(train_path=str(path), dev_path=str(path), base_model=str(base), epochs=1, batch_size=8,
                      max_length=64, seed=7, name="tiny-actors", num_threads=1, default_quantize="none", input_actors=True,
                      target_swap=1.0)
    out = train(cfg, tmp_path / "model", show_progress=False)
    from stance.augment import swappable
    assert out["swapped_pairs"] == sum(1 for r in recs if swappable(r)) > 0
    clf = TransformerClassifier.load(tmp_path / "model", quantize="none")
    assert clf.template.first == ACTOR_TEMPLATE["first"] and clf.template.first_no_speaker == ACTOR_TEMPLATE["first_no_speaker"]
    rec = next(r for r in recs if r.target_actor and r.target_actor != r.target)
    assert f"({rec.target_actor})" in clf.template.segments(rec)[0]


def test_distill_pool_is_validated(tmp_path):
    from stance.data import write_jsonl
    from stance.errors import DataValidationError
    from stance.train import load_distill

    good = {"text": "We will respond to Iran.", "target": "Iran", "teacher_stance": [0.7, 0.1, 0.2],
            "teacher_sentiment": [0.5, 0.25, 0.25]}
    write_jsonl([good | {"id": "a"}], tmp_path / "ok.jsonl")
    recs, soft = load_distill(tmp_path / "ok.jsonl")
    assert len(recs) == 1 and soft["stance"].tolist() == [[pytest.approx(0.7), pytest.approx(0.1), pytest.approx(0.2)]]
    bad = [good | {"id": "b", "teacher_stance": [0.7, 0.1]}, good | {"id": "c", "teacher_sentiment": [0.9, 0.9, -0.8]},
           {"id": "d", "text": "No teacher here.", "target": "Iran"}]
    write_jsonl(bad, tmp_path / "bad.jsonl")
    with pytest.raises(DataValidationError) as info:
        load_distill(tmp_path / "bad.jsonl")
    assert [p.record_id for p in info.value.problems] == ["b", "c", "d", "d"]
    with pytest.raises(DataValidationError, match="dev set"):
        load_distill(tmp_path / "ok.jsonl", exclude_texts=["we will  respond to Iran."])


def test_aux_task_reader(tmp_path):
    from stance.auxiliary import AuxTask, load_aux_task
    from stance.errors import DataValidationError

    tsv = tmp_path / "cameo.tsv"
    # the last tab splits sentence and label; quotes are kept as they are
    tsv.write_text('Russia said "no\tdeal" to Japan.\t3\r\nIndia signed a trade pact with Nepal.\t1\n\n'
                   "Troops shelled the town of Avdiivka overnight.\t4\n", encoding="utf-8")
    data = load_aux_task(AuxTask(name="cameo", path=str(tsv)))
    assert data.texts[0] == 'Russia said "no\tdeal" to Japan.' and data.classes == ("1", "3", "4")
    assert [data.classes[i] for i in data.labels] == ["3", "1", "4"] and data.excluded == 0
    # dev sentences (and sentences containing them) are left out
    data = load_aux_task(AuxTask(name="cameo", path=str(tsv)), exclude_texts=["india signed a trade pact  with Nepal"])
    assert len(data.texts) == 2 and data.excluded == 1
    # a seeded sample
    many = tmp_path / "quad.jsonl"
    many.write_text("".join(json.dumps({"text": f"Sentence number {i} about the council.", "q": i % 2}) + "\n" for i in range(40)))
    task = AuxTask(name="quad", path=str(many), label_field="q", max_items=10)
    a, b = load_aux_task(task, seed=3), load_aux_task(task, seed=3)
    assert len(a.texts) == 10 and a == b and a.classes == ("0", "1")
    assert load_aux_task(task, seed=4).texts != a.texts
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "A sentence long enough.", "q": 1}\nnot json\n{"text": "", "q": 1}\n{"text": "No label here at all."}\n')
    with pytest.raises(DataValidationError) as info:
        load_aux_task(AuxTask(name="quad", path=str(bad), label_field="q"))
    assert [p.line for p in info.value.problems] == [2, 3, 4]
    one = tmp_path / "one.tsv"
    one.write_text("Only one class in this file.\t1\nAnother sentence of the same class.\t1\n")
    with pytest.raises(ConfigError, match="at least two classes"):
        load_aux_task(AuxTask(name="one", path=str(one)))
    with pytest.raises(ConfigError, match="not found"):
        load_aux_task(AuxTask(name="gone", path=str(tmp_path / "gone.tsv")))


def test_train_with_auxiliary_task(tmp_path, fixtures_dir):
    """An auxiliary head is learnt alongside the pairs and is not part of the saved model."""
    pytest.importorskip("torch")
    pytest.importorskip("accelerate")
    from safetensors import safe_open

    from stance.data import load_records
    from stance.train import train
    from stance.transformer import TransformerClassifier

    recs = load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)
    few = _few_per_label(recs, 2, tmp_path / "few.jsonl")
    # a separable auxiliary task over the fixture texts: threatening pairs' texts against the others
    aux = tmp_path / "aux.tsv"
    aux.write_text("".join(f"{r.text}\t{'conflict' if r.stance == 'threatening' else 'other'}\n" for r in recs[:24]))
    base = _tiny_base(tmp_path, recs)
    common = dict(train_path=str(tmp_path / "few.jsonl"), dev_path=str(tmp_path / "few.jsonl"), base_model=str(base),
                  epochs=30, lr=3e-3, batch_size=4, max_length=64, warmup_ratio=0.0, dropout=0.0, seed=7,
                  name="tiny-aux", num_threads=1, default_quantize="none")
    cfg = TrainConfig(**common, aux_tasks=[{"name": "event", "path": str(aux), "weight": 1.0}])
    out = train(cfg, tmp_path / "model", show_progress=False)
    n_aux = out["aux_items"]["event"]
    assert 0 < n_aux <= 24 and n_aux == 24 - sum(1 for r in recs[:24] if r.text in {f.text for f in few})
    acc = [h["aux_event_train_accuracy"] for h in out["history"]]
    assert acc[-1] >= 0.9 and acc[-1] > acc[0], acc
    with safe_open(str(tmp_path / "model" / "heads.safetensors"), "pt") as f:
        assert all(k.startswith(("stance_head", "sentiment_head")) for k in f.keys()), list(f.keys())
    clf = TransformerClassifier.load(tmp_path / "model", quantize="none")
    assert len(clf.predict(few)) == len(few)
    plain = train(TrainConfig(**common), tmp_path / "plain", show_progress=False)
    assert plain["aux_items"] == {} and "aux_event_train_accuracy" not in plain["history"][0]
    assert plain["history"] != out["history"]


@pytest.mark.slow
def test_real_training_reaches_target(shared_dir, tmp_path):
    """The shipped config end to end on the shared data (about 30-40 minutes on 2 cores)."""
    from stance.train import train

    cfg = TrainConfig.from_json(ROOT / "configs" / "stance-minilm.json")
    cfg = TrainConfig.from_dict({**cfg.to_dict(), "train_path": str(shared_dir / "data/annotated/train.jsonl"),
                                 "dev_path": str(shared_dir / "data/annotated/dev.jsonl"),
                                 "newsmtsc_path": str(shared_dir / "data/newsmtsc/train.jsonl")})
    out = train(cfg, tmp_path / "m", show_progress=False)
    assert out["dev"]["stance"]["macro_f1"] >= 0.70
