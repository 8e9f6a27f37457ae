"""The transformer classifier on a tiny randomly initialised BERT (nothing downloaded)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from stance.data import load_records  # noqa: E402
from stance.errors import ConfigError, ModelIntegrityError, ModelLoadError  # noqa: E402
from stance.schema import LABELS, PairRecord  # noqa: E402
from stance.transformer import ACTOR_TEMPLATE, InputTemplate, TransformerClassifier, new_model  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def make_tiny_base(directory: Path, sentences: list[str]) -> Path:
    """A 2-layer BERT (hidden 32) with a WordPiece vocabulary trained on ``sentences``."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    directory.mkdir(parents=True, exist_ok=True)
    wp = BertWordPieceTokenizer(lowercase=True)
    wp.train_from_iterator(sentences + ["target speaker context « »"], vocab_size=400, min_frequency=1,
                           special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    wp.save_model(str(directory))
    tok = BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(directory)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=160)
    BertModel(cfg).save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def records(fixtures_dir: Path) -> list[PairRecord]:
    return load_records(fixtures_dir / "pairs_small.jsonl", require_labels=True)


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory, records) -> Path:
    sentences = [r.text for r in records] + [r.target + " " + (r.speaker or "") for r in records]
    return make_tiny_base(tmp_path_factory.mktemp("tiny-bert"), sentences)


@pytest.fixture(scope="module")
def clf(tiny_base) -> TransformerClassifier:
    torch.manual_seed(1)
    module, tok = new_model(tiny_base, dropout=0.0)
    module.eval()
    return TransformerClassifier(module, tok, max_length=64, temperatures={"stance": 1.5, "sentiment": 0.8}, name="tiny")


def test_template_marks_target_and_speaker():
    rec = PairRecord(text="China warned Taiwan again.", target="taiwan", speaker="Beijing",
                     context="Earlier that day talks failed. China warned Taiwan again.")
    first, second = InputTemplate().segments(rec)
    assert "taiwan" in first and "Beijing" in first
    assert second == "China warned «Taiwan» again."
    _, with_ctx = InputTemplate(use_context=True).segments(rec)
    assert with_ctx.startswith("China warned «Taiwan» again. | context: ") and "talks failed" in with_ctx
    # no literal mention -> no markers; no speaker -> the short first segment
    first, second = InputTemplate().segments(PairRecord(text="They will pay.", target="Iran"))
    assert first == "target: Iran." and "«" not in second


def test_actor_template_puts_canonical_actors_beside_mentions():
    t = InputTemplate(**ACTOR_TEMPLATE)
    rec = PairRecord(text="the mainland cannot bear it", target="mainland", target_actor="China",
                     speaker="Taiwan's mainland affairs council", speaker_actor="Taiwan")
    first, second = t.segments(rec)
    assert first == "target: mainland (China). speaker: Taiwan's mainland affairs council (Taiwan)."
    assert second == "the «mainland» cannot bear it"
    # no actors given: the mentions stand in for them; no speaker: the short form
    assert t.segments(PairRecord(text="x", target="Iran", speaker="Tehran"))[0] == "target: Iran (Iran). speaker: Tehran (Tehran)."
    assert t.segments(PairRecord(text="x", target="Iran", target_actor="Iran"))[0] == "target: Iran (Iran)."
    # the template travels with the model
    assert InputTemplate.from_dict(t.to_dict()) == t


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"first": "target: {target}. by {speakr}."}, "unknown field"),
        ({"first": "no fields at all"}, "must name"),
        ({"first": "target: {target"}, "not a valid format string"),
        ({"first_no_speaker": "target: {target}. speaker: {speaker}."}, "unknown field"),
        ({"first": None}, "not a valid format string"),
    ],
)
def test_template_rejects_bad_format_strings(kwargs, needle):
    with pytest.raises(ConfigError, match=needle):
        InputTemplate(**kwargs)
    with pytest.raises(ConfigError, match=needle):
        InputTemplate.from_dict(kwargs)


def test_probabilities_valid_and_in_input_order(clf, records):
    proba = clf.predict_proba(records[:20], batch_size=7)
    for task in ("stance", "sentiment"):
        assert proba[task].shape == (20, 3)
        np.testing.assert_allclose(proba[task].sum(1), 1.0, atol=1e-9)
    # batched (sorted by length, padded) equals one at a time
    single = [clf.predict_proba(r) for r in records[:20]]
    for task in ("stance", "sentiment"):
        np.testing.assert_allclose(np.vstack([s[task] for s in single]), proba[task], atol=1e-5)
    res = clf.predict(records[:3])
    assert [r.record for r in res] == records[:3]
    assert res[0].model == "tiny" and res[0].stance in LABELS["stance"]


def test_temperature_is_applied(clf, records):
    raw = clf.logits(records[:5])
    proba = clf.predict_proba(records[:5])
    z = raw["stance"] / 1.5
    e = np.exp(z - z.max(1, keepdims=True))
    np.testing.assert_allclose(proba["stance"], e / e.sum(1, keepdims=True), rtol=1e-5)


def test_save_load_roundtrip(clf, records, tmp_path):
    before = clf.predict_proba(records, batch_size=16)
    path = clf.save(tmp_path / "fp32", half=False, training_config={"epochs": 1})
    for f in ("config.json", "model.safetensors", "heads.safetensors", "stance_config.json", "manifest.json"):
        assert (path / f).is_file(), f
    assert not list(path.glob("*.bin"))
    side = json.loads((path / "stance_config.json").read_text())
    assert side["kind"] == "transformer" and side["temperatures"] == {"stance": 1.5, "sentiment": 0.8}
    assert side["labels"]["stance"] == list(LABELS["stance"]) and side["training_config"] == {"epochs": 1}
    loaded = TransformerClassifier.load(path)
    assert loaded.name == "tiny" and loaded.max_length == 64 and not loaded.quantized
    after = loaded.predict_proba(records, batch_size=16)
    for task in ("stance", "sentiment"):
        np.testing.assert_array_equal(before[task], after[task])
    # the generic loader finds it through the sidecar
    import stance

    again = stance.load(path)
    # the same records in the same batches: bit-identical (a different batch composition pads differently,
    # which moves probabilities in the 8th decimal)
    np.testing.assert_array_equal(again.predict_proba(records, batch_size=16)["stance"], before["stance"])
    # fp16 copy: about half the size, probabilities close
    half = clf.save(tmp_path / "fp16", half=True)
    assert (half / "model.safetensors").stat().st_size < 0.6 * (path / "model.safetensors").stat().st_size
    p16 = TransformerClassifier.load(half).predict_proba(records, batch_size=16)
    np.testing.assert_allclose(p16["stance"], before["stance"], atol=2e-2)


def test_int8_path(clf, records, tmp_path):
    path = clf.save(tmp_path / "m", half=False, default_quantize="int8")
    q = TransformerClassifier.load(path)  # sidecar default
    assert q.quantized
    assert any("quantized" in type(m).__module__ for m in q.model.modules())
    proba = q.predict_proba(records, batch_size=8)
    for task in ("stance", "sentiment"):
        assert np.isfinite(proba[task]).all()
        np.testing.assert_allclose(proba[task].sum(1), 1.0, atol=1e-9)
    assert not TransformerClassifier.load(path, quantize="none").quantized
    with pytest.raises(ConfigError):
        TransformerClassifier.load(path, quantize="int4")
    with pytest.raises(ModelLoadError):
        q.save(tmp_path / "q")


def test_onnx_backend_matches_torch(clf, records, tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    path = clf.save(tmp_path / "m", half=False, default_quantize="int8")
    ref = TransformerClassifier.load(path, quantize="none").predict_proba(records, batch_size=8)
    onnx_clf = TransformerClassifier.load(path, backend="onnx")  # fp32 although the sidecar says int8
    assert onnx_clf.runner is not None and not onnx_clf.quantized
    got = onnx_clf.predict_proba(records, batch_size=8)
    for task in ("stance", "sentiment"):
        np.testing.assert_allclose(got[task], ref[task], atol=1e-5)
    # batch composition does not change the outputs
    one = onnx_clf.predict_proba(records[:3], batch_size=1)
    np.testing.assert_allclose(one["stance"], got["stance"][:3], atol=1e-5)
    # saving writes the torch weights, which reload to the same probabilities
    again = TransformerClassifier.load(onnx_clf.save(tmp_path / "again", half=False), quantize="none")
    np.testing.assert_allclose(again.predict_proba(records, batch_size=8)["stance"], ref["stance"], atol=1e-6)
    with pytest.raises(ConfigError, match="backend"):
        TransformerClassifier.load(path, backend="tensorrt")
    with pytest.raises(ConfigError, match="CPU"):
        TransformerClassifier.load(path, backend="onnx", device="cuda")


def test_onnx_int8_backend_is_close_to_fp32(clf, records, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    import tempfile

    path = clf.save(tmp_path / "m", half=False)
    ref = TransformerClassifier.load(path, quantize="none").predict_proba(records, batch_size=8)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    q = TransformerClassifier.load(path, backend="onnx", quantize="int8")
    assert list(scratch.iterdir()) == []  # the quantiser's temporary files are gone
    assert q.runner is not None and q.quantized
    got = q.predict_proba(records, batch_size=8)
    for task in ("stance", "sentiment"):
        assert got[task].shape == ref[task].shape
        np.testing.assert_allclose(got[task].sum(axis=1), 1.0, atol=1e-6)
        # int8 weights move probabilities a little, not a lot
        assert np.abs(got[task] - ref[task]).max() < 0.05
    with pytest.raises(ModelLoadError, match="int8"):
        q.save(tmp_path / "q")


def test_loader_refuses_options_a_model_does_not_take(clf, tmp_path):
    import stance

    with pytest.raises(ConfigError, match="backend"):
        stance.load("baseline", backend="onnx")
    with pytest.raises(ConfigError, match="colour"):
        stance.load(clf.save(tmp_path / "m", half=True), colour="red")


def test_manifest_mismatch_refused(clf, tmp_path):
    path = clf.save(tmp_path / "m", half=True)
    with open(path / "heads.safetensors", "r+b") as fh:
        fh.seek(-4, 2)
        fh.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelIntegrityError):
        TransformerClassifier.load(path)
    (path / "manifest.json").unlink()
    with pytest.raises(ModelLoadError):
        TransformerClassifier.load(path)


def test_bad_inputs(clf):
    from stance.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        clf.predict({"text": "", "target": "Iran"})
    with pytest.raises(InvalidInputError):
        clf.predict([{"text": "ok"}], batch_size=0)
    with pytest.raises(ConfigError):
        TransformerClassifier(clf.model, clf.tokenizer, max_length=4)
    assert clf.predict_proba([])["stance"].shape == (0, 3)


def test_load_and_predict_leave_the_environment_alone(clf, tmp_path, monkeypatch):
    """No process-wide side effects: offline loading relies on local_files_only, not on env vars."""
    path = clf.save(tmp_path / "m", half=True)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    before = dict(os.environ)
    TransformerClassifier.load(path).predict({"text": "We will strike Iran.", "target": "Iran"})
    assert dict(os.environ) == before


def test_new_model_drops_top_layers_and_reloads(tiny_base, records, tmp_path):
    """num_layers keeps the lowest layers; the saved model is a plain one-layer model that reloads
    with the same probabilities."""
    torch.manual_seed(1)
    module, tok = new_model(tiny_base, dropout=0.0, num_layers=1)
    assert len(module.encoder.encoder.layer) == 1 and module.encoder.config.num_hidden_layers == 1
    full, _ = new_model(tiny_base, dropout=0.0)
    # the kept layer is the base's first layer, unchanged
    kept = dict(module.encoder.encoder.layer[0].named_parameters())
    for n, p in full.encoder.encoder.layer[0].named_parameters():
        assert torch.equal(p, kept[n])
    module.eval()
    small = TransformerClassifier(module, tok, max_length=64, name="tiny-1layer")
    small.save(tmp_path / "m")
    again = TransformerClassifier.load(tmp_path / "m", quantize="none")
    assert again.model.encoder.config.num_hidden_layers == 1
    a, b = small.predict_proba(records[:6]), again.predict_proba(records[:6])
    assert np.allclose(a["stance"], b["stance"], atol=1e-3)
    with pytest.raises(ConfigError, match="has 2 layers"):
        new_model(tiny_base, num_layers=3)
