"""The fine-tuned transformer: one shared encoder with a stance head and a sentiment head.

A model directory holds

- the encoder in the plain Hugging Face layout (``config.json``, tokenizer files,
  ``model.safetensors``), loadable on its own with ``transformers.AutoModel``;
- ``heads.safetensors``: the two linear heads (``stance_head.*``, ``sentiment_head.*``);
- ``stance_config.json``: the sidecar (``"kind": "transformer"``, labels, input template,
  maximum length, pooling, calibration temperatures, the training config, library versions and
  the default quantisation);
- ``manifest.json``: SHA-256 of every file, verified before anything is loaded.

The model is told which target a label is about through a tokenizer text pair: the first
segment names the target (and the speaker), the second is the statement with the target
mention wrapped in markers (``«China»``), optionally followed by the surrounding context.

Nothing here touches the network: every ``from_pretrained`` call is ``local_files_only``.
torch and transformers are imported on first use, not when :mod:`stance` is imported.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import string
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import numpy as np

from stance.classifier import BaseClassifier
from stance.errors import ConfigError, MissingDependencyError, ModelLoadError
from stance.schema import LABELS, TASKS, PairRecord, find_target

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = ["InputTemplate", "OnnxRunner", "TransformerClassifier", "HEADS_FILE", "QUANTIZE_CHOICES", "BACKENDS"]

logger = logging.getLogger("stance.transformer")

HEADS_FILE = "heads.safetensors"
SIDECAR = "stance_config.json"
#: Values accepted for ``quantize``: ``None`` (the sidecar's default), ``"none"``/``False``
#: (fp32), ``"int8"``/``True`` (torch dynamic int8 quantisation of the Linear layers).
QUANTIZE_CHOICES = (None, "none", "int8", False, True)
#: Inference engines: torch eager (default) or ONNX Runtime (``pip install "stance[onnx]"``).
BACKENDS = ("torch", "onnx")
POOLING_CHOICES = ("mean", "cls")


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - torch is a hard dependency
        raise MissingDependencyError("torch", "the transformer model") from exc
    return torch


TEMPLATE_FIELDS = frozenset({"target", "speaker", "target_actor", "speaker_actor"})
#: The first segment when ``TrainConfig.input_actors`` is set: the canonical actors beside the mentions.
ACTOR_TEMPLATE = {"first": "target: {target} ({target_actor}). speaker: {speaker} ({speaker_actor}).",
                  "first_no_speaker": "target: {target} ({target_actor})."}


@dataclass(frozen=True)
class InputTemplate:
    """How a record becomes a tokenizer text pair.

    ``first`` is a format string over ``{target}``, ``{speaker}``, ``{target_actor}`` and
    ``{speaker_actor}`` (the canonical actors; each falls back to the surface text when the record
    has none); ``first_no_speaker`` is used when the record has no speaker. The second segment is the statement with the first
    literal target mention wrapped in ``marker_open``/``marker_close`` (no markers when the
    target is not mentioned literally), followed by ``context_sep`` and the context with the
    statement removed when ``use_context`` is true and such context exists.
    """

    first: str = "target: {target}. speaker: {speaker}."
    first_no_speaker: str = "target: {target}."
    marker_open: str = "«"
    marker_close: str = "»"
    use_context: bool = False
    context_sep: str = " | context: "

    def __post_init__(self) -> None:
        allowed = {"first": TEMPLATE_FIELDS, "first_no_speaker": {"target", "target_actor"}}
        for name, ok in allowed.items():
            value = getattr(self, name)
            try:
                used = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
            except (TypeError, ValueError) as e:
                raise ConfigError(f"input template {name!r} = {value!r} is not a valid format string: {e}") from None
            if not used & {"target", "target_actor"}:
                raise ConfigError(f"input template {name!r} = {value!r} must name {{target}} or {{target_actor}}")
            if used - ok:
                raise ConfigError(f"input template {name!r} uses unknown field(s) {sorted(used - ok)}; allowed: {sorted(ok)}")

    def segments(self, rec: PairRecord) -> tuple[str, str]:
        """Return ``(first_segment, second_segment)`` for one record."""
        speaker = (rec.speaker or rec.speaker_actor or "").strip()
        target = rec.target.strip()
        fields = {"target": target, "target_actor": (rec.target_actor or "").strip() or target}
        if speaker:
            fields.update(speaker=speaker, speaker_actor=(rec.speaker_actor or "").strip() or speaker)
            first = self.first.format(**fields)
        else:
            first = self.first_no_speaker.format(**fields)
        text = rec.text
        span = find_target(text, rec.target)
        if span is not None:
            a, b = span
            text = f"{text[:a]}{self.marker_open}{text[a:b]}{self.marker_close}{text[b:]}"
        if self.use_context and rec.context:
            ctx = rec.context
            if rec.text in ctx:
                ctx = ctx.replace(rec.text, " ")
            ctx = " ".join(ctx.split())
            # a remainder of a few characters is punctuation or a date, not context
            if len(ctx) > 15:
                text = f"{text}{self.context_sep}{ctx}"
        return first, text

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "first_no_speaker": self.first_no_speaker,
            "marker_open": self.marker_open,
            "marker_close": self.marker_close,
            "use_context": self.use_context,
            "context_sep": self.context_sep,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "InputTemplate":
        known = set(cls().to_dict())
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown input template field(s) {sorted(unknown)}; allowed: {sorted(known)}")
        return cls(**dict(data))


def _build_module(encoder: Any, hidden: int, dropout: float, pooling: str):
    """The torch module: shared encoder, pooled representation, two linear heads."""
    torch = _torch()
    nn = torch.nn

    class MultiTaskModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.pooling = pooling
            self.dropout = nn.Dropout(dropout)
            self.stance_head = nn.Linear(hidden, len(LABELS["stance"]))
            self.sentiment_head = nn.Linear(hidden, len(LABELS["sentiment"]))

        def forward(self, input_ids, attention_mask, token_type_ids=None, return_pooled=False):
            kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
            if token_type_ids is not None:
                kwargs["token_type_ids"] = token_type_ids
            hidden_states = self.encoder(**kwargs).last_hidden_state
            if self.pooling == "cls":
                pooled = hidden_states[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden_states.dtype)
                pooled = (hidden_states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = self.dropout(pooled)
            out = {"stance": self.stance_head(pooled), "sentiment": self.sentiment_head(pooled)}
            if return_pooled:  # training with auxiliary heads (stance.auxiliary)
                out["pooled"] = pooled
            return out

    return MultiTaskModel()


def _softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@contextlib.contextmanager
def _threads(n: int | None) -> Iterator[None]:
    """Use ``n`` intra-op threads inside the block and restore the previous setting after."""
    torch = _torch()
    if not n:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model was made with (recorded in the sidecar)."""
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("stance", "torch", "transformers", "tokenizers", "safetensors", "accelerate", "scikit-learn", "numpy"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


class OnnxRunner:
    """The model exported to ONNX and run by ONNX Runtime, called like the torch module.

    The fp32 export happens in memory; outputs equal the torch module's up to float rounding.
    ``int8=True`` then applies ONNX Runtime's dynamic int8 quantisation (per-channel int8
    weights of every MatMul, activations quantised on the fly). The quantiser works on files, so
    this goes through a temporary directory that is removed at once. ``num_threads`` sets ONNX
    Runtime's intra-op threads (``None``: as many as torch uses, ``torch.get_num_threads()``).
    """

    training = False

    def __init__(self, module: Any, tokenizer: Any, num_threads: int | None = None, int8: bool = False) -> None:
        torch = _torch()
        import io
        import warnings

        try:
            import onnx  # noqa: F401  (torch.onnx.export needs it)
            import onnxruntime as ort
        except ImportError as exc:
            raise MissingDependencyError(exc.name or "onnxruntime", "backend='onnx'", extra="onnx") from exc
        example = tokenizer(["target: China."], ["We will respond to «China»."], return_tensors="pt")
        self.input_names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in example]
        names = self.input_names

        class _Positional(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, *args: Any) -> tuple[Any, ...]:
                out = self.inner(**dict(zip(names, args)))
                return tuple(out[t] for t in TASKS)

        buf = io.BytesIO()
        axes = {k: {0: "batch", 1: "sequence"} for k in names} | {t: {0: "batch"} for t in TASKS}
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer notices about data-dependent shapes in HF attention code
            torch.onnx.export(_Positional(module).eval(), tuple(example[k] for k in names), buf, input_names=names,
                              output_names=list(TASKS), dynamic_axes=axes, opset_version=17, dynamo=False)
        model_bytes = buf.getvalue()
        if int8:
            import tempfile

            from onnxruntime.quantization import QuantType, quantize_dynamic

            with tempfile.TemporaryDirectory(prefix="stance-onnx-") as tmp, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                src, dst = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
                src.write_bytes(model_bytes)
                # DefaultTensorType: the exported graph leaves some shapes untyped (FLOAT is right)
                quantize_dynamic(src, dst, weight_type=QuantType.QInt8, per_channel=True,
                                 extra_options={"DefaultTensorType": 1})
                model_bytes = dst.read_bytes()
        options = ort.SessionOptions()
        # the same thread count torch would use (ONNX Runtime's own default counts physical cores)
        options.intra_op_num_threads = int(num_threads) if num_threads is not None else torch.get_num_threads()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])

    def eval(self) -> "OnnxRunner":
        return self

    def train(self, mode: bool = True) -> "OnnxRunner":
        return self

    def __call__(self, **batch: Any) -> dict[str, Any]:
        torch = _torch()
        outs = self.session.run(list(TASKS), {k: batch[k].numpy() for k in self.input_names})
        return {t: torch.from_numpy(o) for t, o in zip(TASKS, outs)}


class TransformerClassifier(BaseClassifier):
    """A fine-tuned encoder with a stance head and a sentiment head.

    Build one with :func:`stance.train.train` or load a saved one with
    :meth:`TransformerClassifier.load` (or ``stance.load()``). Prediction is batched: records
    are tokenized in one fast-tokenizer call, sorted by length, padded per batch and run under
    ``torch.inference_mode``; results come back in input order. Probabilities are
    temperature-scaled with the temperatures fitted on the dev set (see ``temperatures``).

    ``num_threads``: torch intra-op threads used *during* ``predict`` (restored afterwards);
    ``None`` keeps torch's own setting (one per physical core).

    ``runner``: an optional replacement for ``model`` at inference time (an
    :class:`OnnxRunner`, see ``load(backend="onnx")``); ``model`` stays the torch module that
    :meth:`save` writes.
    """

    name = "stance-minilm"

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        template: InputTemplate | None = None,
        max_length: int = 128,
        temperatures: Mapping[str, float] | None = None,
        name: str | None = None,
        num_threads: int | None = None,
        quantized: bool = False,
        metadata: Mapping[str, Any] | None = None,
        runner: Any = None,
    ) -> None:
        if not isinstance(max_length, int) or isinstance(max_length, bool) or not 8 <= max_length <= 512:
            raise ConfigError(f"max_length must be an integer between 8 and 512, got {max_length!r}")
        self.model = model
        self.tokenizer = tokenizer
        self.template = template or InputTemplate()
        self.max_length = max_length
        self.temperatures = {t: 1.0 for t in TASKS}
        if temperatures:
            for task, value in temperatures.items():
                if task not in TASKS or not (isinstance(value, (int, float)) and value > 0):
                    raise ConfigError(f"temperatures must map {', '.join(TASKS)} to positive numbers, got {dict(temperatures)!r}")
                self.temperatures[task] = float(value)
        if name:
            self.name = name
        self.num_threads = num_threads
        self.quantized = quantized
        self.metadata = dict(metadata or {})
        self.runner = runner

    # -- encoding ---------------------------------------------------------------------------
    def encode(self, records: Sequence[PairRecord]) -> dict[str, list[list[int]]]:
        """Tokenize records (no padding) with the fast tokenizer's batch path."""
        firsts, seconds = zip(*(self.template.segments(r) for r in records)) if records else ((), ())
        return self.tokenizer(
            list(firsts),
            list(seconds),
            truncation="longest_first",
            max_length=self.max_length,
            padding=False,
            return_attention_mask=True,
        )

    def _batches(self, enc: Mapping[str, list[list[int]]], batch_size: int) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
        """Yield ``(row_indices, padded_tensor_batch)``, batches of similar lengths."""
        torch = _torch()
        lengths = np.array([len(ids) for ids in enc["input_ids"]])
        order = np.argsort(-lengths, kind="stable")
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        pad_id = self.tokenizer.pad_token_id or 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            width = int(lengths[idx].max())
            batch = {}
            for k in keys:
                fill = pad_id if k == "input_ids" else 0
                arr = np.full((len(idx), width), fill, dtype=np.int64)
                for row, i in enumerate(idx):
                    seq = enc[k][i]
                    arr[row, : len(seq)] = seq
                batch[k] = torch.from_numpy(arr)
            yield idx, batch

    def logits(self, records: Sequence[PairRecord], batch_size: int = 32, show_progress: bool = False) -> dict[str, np.ndarray]:
        """Raw (uncalibrated) logits per task, rows in input order."""
        torch = _torch()
        from tqdm.auto import tqdm

        n = len(records)
        out = {t: np.zeros((n, len(LABELS[t])), dtype=np.float32) for t in TASKS}
        if n == 0:
            return out
        enc = self.encode(records)
        was_training = self.model.training
        self.model.eval()
        try:
            with _threads(self.num_threads), torch.inference_mode(), tqdm(
                total=n, disable=not show_progress, desc=f"{self.name}", unit="pair"
            ) as bar:
                forward = self.runner if self.runner is not None else self.model
                for idx, batch in self._batches(enc, batch_size):
                    res = forward(**batch)
                    for t in TASKS:
                        out[t][idx] = res[t].float().numpy()
                    bar.update(len(idx))
        finally:
            if was_training:
                self.model.train()
        return out

    def _predict_proba(self, records: Sequence[PairRecord], batch_size: int, show_progress: bool) -> dict[str, np.ndarray]:
        raw = self.logits(records, batch_size, show_progress)
        return {t: _softmax(raw[t].astype(np.float64), self.temperatures[t]) for t in TASKS}

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike, *, half: bool = True, training_config: Mapping[str, Any] | None = None,
             default_quantize: str | None = None, extra: Mapping[str, Any] | None = None) -> Path:
        """Save the model to directory ``path`` (created if needed) and write its manifest.

        ``half=True`` stores the weights as fp16 safetensors (about 45 MB -> 23 MB for MiniLM-L6;
        they are cast back to fp32 on load). ``default_quantize`` (``None`` or ``"int8"``) is what
        :meth:`load` does when it is not told. A quantised model cannot be saved.
        """
        torch = _torch()
        from safetensors.torch import save_file

        from stance.integrity import write_manifest

        if self.quantized:
            raise ModelLoadError("an int8-quantised model cannot be saved; save the fp32 model and quantise on load")
        if default_quantize not in (None, "int8"):
            raise ConfigError(f"default_quantize must be None or 'int8', got {default_quantize!r}")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for stale in ("pytorch_model.bin", "model.safetensors", HEADS_FILE):
            (path / stale).unlink(missing_ok=True)
        encoder = self.model.encoder
        dtype = torch.float16 if half else torch.float32
        state = {k: v.detach().to(dtype).contiguous().clone() for k, v in encoder.state_dict().items()}
        encoder.config.save_pretrained(path)
        save_file(state, str(path / "model.safetensors"), metadata={"format": "pt"})
        self.tokenizer.save_pretrained(path)
        heads = {
            f"{t}_head.{p}": getattr(self.model, f"{t}_head").state_dict()[p].detach().to(dtype).contiguous().clone()
            for t in TASKS
            for p in ("weight", "bias")
        }
        save_file(heads, str(path / HEADS_FILE), metadata={"format": "pt"})
        meta = dict(self.metadata)
        sidecar = {
            "kind": "transformer",
            "name": self.name,
            "labels": {t: list(LABELS[t]) for t in TASKS},
            "input_template": self.template.to_dict(),
            "max_length": self.max_length,
            "pooling": getattr(self.model, "pooling", "mean"),
            "hidden_size": int(self.model.stance_head.in_features),
            "temperatures": dict(self.temperatures),
            "weights_dtype": "float16" if half else "float32",
            "default_quantize": default_quantize if default_quantize is not None else meta.get("default_quantize"),
            "training_config": dict(training_config) if training_config is not None else meta.get("training_config"),
            "library_versions": library_versions(),
        }
        for k, v in (extra or {}).items():
            sidecar[k] = v
        for k, v in meta.items():
            sidecar.setdefault(k, v)
        (path / SIDECAR).write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        write_manifest(path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike, quantize: str | bool | None = None, device: str = "cpu",
             num_threads: int | None = None, backend: str = "torch") -> "TransformerClassifier":
        """Load a saved model after verifying its manifest.

        ``quantize``: ``None`` follows the sidecar's ``default_quantize``; ``"int8"`` (or
        ``True``) applies torch dynamic int8 quantisation to the Linear layers (CPU only);
        ``"none"`` (or ``False``) keeps fp32. fp16 weights are cast to fp32.

        ``backend``: ``"torch"`` (default) or ``"onnx"``: export the model to ONNX in memory
        and run it with ONNX Runtime on the CPU (needs ``pip install "stance[onnx]"``; adds a few
        seconds to loading and about 0.4 GB of memory). In fp32 it gives the same predictions,
        faster only when pairs come one at a time. With ``quantize="int8"`` it uses ONNX Runtime's
        per-channel dynamic int8 quantisation instead of torch's. With
        ``backend="onnx"``, ``quantize=None`` means fp32 whatever the sidecar says.
        """
        torch = _torch()
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        from stance.integrity import verify_manifest

        if quantize not in QUANTIZE_CHOICES:
            raise ConfigError(f"quantize must be one of None, 'none', 'int8' (or False/True), got {quantize!r}")
        if backend not in BACKENDS:
            raise ConfigError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}")
        if backend == "onnx" and device != "cpu":
            raise ConfigError("backend='onnx' runs on the CPU; use device='cpu'")
        path = Path(path)
        if not path.is_dir():
            raise ModelLoadError(f"{path} is not a directory")
        verify_manifest(path)
        try:
            sidecar = json.loads((path / SIDECAR).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"cannot read {path / SIDECAR}: {exc}") from None
        if sidecar.get("kind") != "transformer":
            raise ModelLoadError(f"{path / SIDECAR} has kind {sidecar.get('kind')!r}, expected 'transformer'")
        if {t: list(LABELS[t]) for t in TASKS} != sidecar.get("labels"):
            raise ModelLoadError(f"{path} was trained with labels {sidecar.get('labels')!r}, which differ from this library's {dict(LABELS)!r}")
        try:
            config = AutoConfig.from_pretrained(path, local_files_only=True)
            encoder = AutoModel.from_config(config)
            state = load_file(str(path / "model.safetensors"))
            state = {k: v.float() for k, v in state.items()}
            missing, unexpected = encoder.load_state_dict(state, strict=False)
            # position_ids buffers are not saved by every transformers version
            missing = [k for k in missing if not k.endswith("position_ids")]
            if missing or unexpected:
                raise ModelLoadError(f"{path / 'model.safetensors'} does not fit its config.json: missing {missing[:5]}, unexpected {unexpected[:5]}")
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            heads = {k: v.float() for k, v in load_file(str(path / HEADS_FILE)).items()}
        except ModelLoadError:
            raise
        except Exception as exc:  # transformers/safetensors raise many types for broken files
            raise ModelLoadError(f"cannot load the transformer in {path}: {type(exc).__name__}: {exc}") from exc
        hidden = int(sidecar.get("hidden_size", config.hidden_size))
        module = _build_module(encoder, hidden, 0.0, sidecar.get("pooling", "mean"))
        for t in TASKS:
            head = getattr(module, f"{t}_head")
            head.load_state_dict({"weight": heads[f"{t}_head.weight"], "bias": heads[f"{t}_head.bias"]})
        module.eval()
        if quantize is None:
            quantize = "none" if backend == "onnx" else sidecar.get("default_quantize") or "none"
        quantized = quantize in ("int8", True)
        if quantized and backend == "torch":
            if device != "cpu":
                raise ConfigError("quantize='int8' runs on the CPU only; use device='cpu' or quantize='none'")
            module = quantize_int8(module, inplace=True)
        elif device != "cpu":
            module.to(device)
        return cls(
            module,
            tokenizer,
            template=InputTemplate.from_dict(sidecar.get("input_template", {})),
            max_length=int(sidecar.get("max_length", 128)),
            temperatures=sidecar.get("temperatures"),
            name=sidecar.get("name"),
            num_threads=num_threads,
            quantized=quantized,
            metadata={k: sidecar[k] for k in ("training_config", "default_quantize", "dev_metrics") if k in sidecar},
            runner=OnnxRunner(module, tokenizer, num_threads, int8=quantized) if backend == "onnx" else None,
        )


def quantize_int8(module: Any, *, inplace: bool = False) -> Any:
    """Dynamic int8 quantisation of every ``nn.Linear`` (weights int8, activations quantised on
    the fly); CPU only. Returns the quantised module; ``module`` is left as it was unless
    ``inplace`` (which saves the memory of a copy)."""
    torch = _torch()
    import copy
    import warnings

    from torch.ao.quantization import quantize_dynamic

    if "qnnpack" in torch.backends.quantized.supported_engines and torch.backends.quantized.engine == "none":  # pragma: no cover
        torch.backends.quantized.engine = "qnnpack"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization deprecation notice
        target = module if inplace else copy.deepcopy(module)
        # ``target`` is already a private copy unless the caller asked for in-place
        quantized = quantize_dynamic(target.eval(), {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    return quantized if quantized is not None else target


def new_model(base_model: str | os.PathLike, *, pooling: str = "mean", dropout: float = 0.1,
              num_layers: int | None = None) -> tuple[Any, Any]:
    """Build an untrained ``(module, tokenizer)`` from a local Hugging Face model folder (or a
    hub name already in the local cache); never downloads. ``num_layers`` keeps only the
    encoder's first (lowest) that many transformer layers: a smaller, faster model (the top
    layers matter least for fine-tuning; Sajjad et al. 2023, "On the effect of dropping layers
    of pre-trained transformer models")."""
    from transformers import AutoModel, AutoTokenizer

    if pooling not in POOLING_CHOICES:
        raise ConfigError(f"pooling must be one of {', '.join(POOLING_CHOICES)}, got {pooling!r}")
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(base_model), local_files_only=True)
        encoder = AutoModel.from_pretrained(str(base_model), local_files_only=True)
    except Exception as exc:
        raise ModelLoadError(
            f"cannot load the base model {str(base_model)!r} from local files ({type(exc).__name__}: {exc}); "
            "give the path of a Hugging Face model folder (config.json, tokenizer, weights)"
        ) from exc
    encoder = encoder.float()
    if num_layers is not None:
        _drop_top_layers(encoder, int(num_layers), str(base_model))
    return _build_module(encoder, int(encoder.config.hidden_size), dropout, pooling), tokenizer


def _drop_top_layers(encoder: Any, num_layers: int, name: str) -> None:
    """Keep the first ``num_layers`` layers of a BERT-style encoder (``encoder.encoder.layer``)
    and record the new depth in its config, so the saved model loads as a plain smaller model."""
    torch = _torch()
    layers = getattr(getattr(encoder, "encoder", None), "layer", None)
    if not isinstance(layers, torch.nn.ModuleList):
        raise ConfigError(f"num_layers needs a BERT-style encoder with encoder.layer; {name!r} has none")
    if not 1 <= num_layers <= len(layers):
        raise ConfigError(f"num_layers = {num_layers} but {name!r} has {len(layers)} layers; allowed: 1 to {len(layers)}")
    encoder.encoder.layer = torch.nn.ModuleList(list(layers)[:num_layers])
    encoder.config.num_hidden_layers = num_layers
