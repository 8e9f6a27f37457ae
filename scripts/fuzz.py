#!/usr/bin/env python
"""Fuzz stance's public entry points with hypothesis at scale and report what was found.

Each *target* draws inputs from a hypothesis strategy and runs one entry point. The contract:
the call returns a correct result (checked invariants) or raises a typed
:class:`stance.StanceError`; anything else (a bare ``TypeError``, ``UnicodeEncodeError``,
a wrong probability, a lost record) is a *finding*. Findings are collected, not raised, so one
run tries every input and reports each distinct failure (exception type + place) once, with
the first input that caused it and how often it occurred.

    python scripts/fuzz.py                       # default volume, all targets
    python scripts/fuzz.py --examples 500 --targets predict-keyword load-jsonl-bytes
    python scripts/fuzz.py --json runs/fuzz.json # also write the summary as JSON

The same engine runs under pytest as ``pytest -m fuzz tests/test_fuzz.py`` (volume from
``STANCE_FUZZ_EXAMPLES``). It uses one process and one torch thread, to leave the shared
machine's cores to others. Models: the keyword dummy, a baseline fitted on
tests/fixtures/pairs_small.jsonl (or ``--baseline DIR``), the shipped baseline and transformer
when present, and an untrained transformer built from the packaged MiniLM (``--no-transformer``
skips it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import stance  # noqa: E402
from stance.errors import StanceError  # noqa: E402
from stance.schema import LABELS, TASKS, PairRecord  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "pairs_small.jsonl"

# -- strategies ---------------------------------------------------------------------------------
#: any code point except lone surrogates (what a valid UTF-8 file can hold)
UNICODE = st.characters(codec="utf-8")
#: every code point, lone surrogates included (what a JSON "\ud800" escape or Python can hold),
#: with surrogates, control, format, space and combining characters drawn more often
RAW = st.one_of(st.characters(), st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Mn"]))
NEWSY = st.sampled_from([
    "We will crush Atlantis.", "Beijing warned Taipei of a heavy price.", "Peace talks with Lemuria resume.",
    'Iran said it would retaliate against Israel. "We want peace with Egypt," Iran said.',
    "Москва предупредила Киев.", "中国警告台湾。", "هددت إيران إسرائيل", "The minister thanked Japan for its help.",
    "\x00\x1b[31m", "\u202e\u200b\ufeff", "A" * 5000,
])


def texts(alphabet=UNICODE, max_size: int = 400) -> st.SearchStrategy[str]:
    plain = st.text(alphabet, min_size=1, max_size=max_size)
    return st.one_of(plain, NEWSY, st.builds(lambda a, b: f"{a} {b}", NEWSY, plain))


def record_dicts(alphabet=UNICODE) -> st.SearchStrategy[dict]:
    t = texts(alphabet)
    return st.fixed_dictionaries(
        {"text": t, "target": st.text(alphabet, min_size=1, max_size=40)},
        optional={"speaker_actor": st.text(alphabet, max_size=20), "context": t, "id": st.text(max_size=8)},
    )


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(RAW, max_size=30))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=5), c, max_size=3)), max_leaves=6)
FIELDS = st.sampled_from(["text", "target", "id", "stance", "sentiment", "quote_type", "start", "end", "speaker",
                          "speaker_actor", "target_actor", "context", "doc_id", "note", "extra"])
LOOSE_DICTS = st.dictionaries(FIELDS, st.one_of(JSON_VALUES, texts(RAW, 60), st.sampled_from(
    ["threatening", "conciliatory", "neutral", "negative", "positive", "direct", "", " "])), max_size=8)


@st.composite
def corrupted_lines(draw) -> bytes:
    """JSONL bytes: mostly valid records, some loose dicts, then random damage."""
    rows = draw(st.lists(st.one_of(record_dicts(RAW), LOOSE_DICTS), min_size=0, max_size=6))
    lines = []
    for r in rows:
        try:
            lines.append(json.dumps(r, ensure_ascii=draw(st.booleans()), allow_nan=True).encode("utf-8", "surrogatepass"))
        except (ValueError, TypeError):
            continue
    data = b"\n".join(lines) + (b"\n" if draw(st.booleans()) else b"")
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["truncate", "insert", "flip", "bom", "blank"]))
        if not data:
            break
        i = draw(st.integers(0, len(data)))
        if op == "truncate":
            data = data[:i]
        elif op == "insert":
            data = data[:i] + draw(st.binary(min_size=1, max_size=4)) + data[i:]
        elif op == "flip" and i < len(data):
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
        elif op == "bom":
            data = b"\xef\xbb\xbf" + data
        else:
            data = data[:i] + b"\n \n" + data[i:]
    return data


@st.composite
def csv_bytes(draw) -> bytes:
    import csv

    header = draw(st.lists(FIELDS, min_size=1, max_size=5, unique=True))
    if draw(st.booleans()):
        header = list(dict.fromkeys(["text", "target", *header]))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for _ in range(draw(st.integers(0, 5))):
        n = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1]))
        w.writerow([draw(st.one_of(texts(UNICODE, 40), st.sampled_from(["", "neutral", "1", "-1"]))) for _ in range(max(n, 0))])
    data = buf.getvalue().encode("utf-8")
    if draw(st.booleans()) and data:
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.sampled_from([b"\xff", b'"', b"\x00", b"\r", b""])) + data[i:]
    return data


# -- the run ------------------------------------------------------------------------------------
@dataclass
class Finding:
    kind: str
    where: str
    message: str
    example: str
    count: int = 1


@dataclass
class TargetReport:
    name: str
    tried: int = 0
    ok: int = 0
    typed_errors: int = 0
    seconds: float = 0.0
    typed_kinds: Counter = field(default_factory=Counter)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add_finding(self, exc: BaseException, example: Any) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        inner = [f for f in tb if "/stance/" in f.filename] or tb
        where = f"{Path(inner[-1].filename).name}:{inner[-1].lineno} ({inner[-1].name})" if inner else "?"
        key = (type(exc).__name__, where)
        if key in self.findings:
            self.findings[key].count += 1
        else:
            self.findings[key] = Finding(type(exc).__name__, where, str(exc)[:300], ascii(example)[:300])

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.name, "tried": self.tried, "ok": self.ok, "typed_errors": self.typed_errors,
            "typed_error_kinds": dict(self.typed_kinds), "seconds": round(self.seconds, 1),
            "findings": [f.__dict__ for f in self.findings.values()],
        }


def check_results(clf: Any, batch: list[dict], results: Any) -> None:
    """The invariants of predict's output (raise AssertionError when broken)."""
    assert isinstance(results, list) and len(results) == len(batch), "length differs from input"
    for res, rec in zip(results, batch):
        assert res.record.text == rec["text"] and res.record.target == rec["target"], "order or record changed"
        for task in TASKS:
            p = np.array(list(res.scores(task).values()))
            assert tuple(res.scores(task)) == LABELS[task], "label order"
            assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1)), f"probability out of range {p}"
            assert abs(p.sum() - 1) < 1e-6, f"probabilities sum to {p.sum()}"
            assert res.label(task) == LABELS[task][int(np.argmax(p))], "label is not the argmax"


def run_target(name: str, strategy: st.SearchStrategy, body: Callable[[Any], None], examples: int, seed: int) -> TargetReport:
    """Feed ``examples`` inputs to ``body``; StanceError = typed rejection, other = finding."""
    rep = TargetReport(name)
    t0 = time.perf_counter()

    @hypothesis_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(x):
        rep.tried += 1
        try:
            body(x)
            rep.ok += 1
        except StanceError as exc:
            rep.typed_errors += 1
            rep.typed_kinds[type(exc).__name__] += 1
        except Exception as exc:  # noqa: BLE001 - a finding
            rep.add_finding(exc, x)

    run()
    rep.seconds = time.perf_counter() - t0
    return rep


# -- targets ------------------------------------------------------------------------------------
def predict_body(clf: Any) -> Callable[[list[dict]], None]:
    def body(batch: list[dict]) -> None:
        results = clf.predict(batch, batch_size=3, show_progress=False)
        check_results(clf, batch, results)
        # batched equals one-by-one, same input same output
        alone = clf.predict_proba(batch[0], show_progress=False)
        again = clf.predict_proba(batch, batch_size=3, show_progress=False)
        for task in TASKS:
            np.testing.assert_allclose(again[task][0], alone[task][0], rtol=0, atol=1e-5)
            got = np.array([list(r.scores(task).values()) for r in results])
            np.testing.assert_array_equal(got, again[task])
    return body


def classify_body(clf: Any) -> Callable[[tuple], None]:
    def body(args: tuple) -> None:
        text, targets = args
        res = stance.classify(text, targets=targets, model=clf, show_progress=False)
        if targets is None:  # whole-article mode: one result list per article
            assert isinstance(res, list)
            return
        tl = [targets] if isinstance(targets, str) else list(targets)
        assert [r.record.target for r in res] == tl, "targets lost or reordered"
        check_results(clf, [{"text": text, "target": t} for t in tl], res)
    return body


def article_body(clf: Any) -> Callable[[str], None]:
    from stance.article import classify_articles

    def body(text: str) -> None:
        (res,) = classify_articles([text], clf, show_progress=False)
        for r in res:
            s = r.record
            assert isinstance(s.text, str) and s.text.strip()
            if s.start is not None and s.end is not None:
                assert 0 <= s.start <= s.end <= len(text), "statement offsets outside the article"
        if res:
            check_results(clf, [{"text": r.record.text, "target": r.record.target} for r in res],
                          clf.predict([r.record for r in res], show_progress=False))
    return body


def loader_body(suffix: str, tmpdir: Path) -> Callable[[bytes], None]:
    from stance.data import load_records

    f = tmpdir / f"fuzz{suffix}"

    def body(data: bytes) -> None:
        f.write_bytes(data)
        recs = load_records(f)
        assert all(isinstance(r, PairRecord) for r in recs)
        if suffix == ".jsonl":  # nothing dropped: one record per non-blank line
            lines = [ln.decode("utf-8") for ln in data.split(b"\n")]
            if lines and lines[0].startswith("\ufeff"):
                lines[0] = lines[0][1:]
            assert len(recs) == sum(1 for ln in lines if ln.strip()), "a line was dropped"
    return body


def records_body(data: dict) -> None:
    rec = PairRecord.from_dict(data)
    assert rec.text.strip() and rec.target.strip()
    json.dumps(rec.to_dict(), ensure_ascii=False).encode("utf-8")  # a valid record serialises as UTF-8


def cli_body(model_key: str, tmpdir: Path) -> Callable[[bytes], None]:
    from stance.cli import main

    inp, out = tmpdir / "cli_in.jsonl", tmpdir / "cli_out.jsonl"

    def body(data: bytes) -> None:
        inp.write_bytes(data)
        out.unlink(missing_ok=True)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["predict", str(inp), "--model", model_key, "-o", str(out), "-q"])
        assert code in (0, 1), f"exit status {code}"
        if code == 1:
            assert err.getvalue().startswith("error: ") and not out.exists(), "exit 1 but output written"
            raise stance.InvalidInputError("rejected by the CLI")  # counted as a typed rejection
        from stance.data import load_records

        n = len(load_records(inp))
        # split on "\n" only: JSON text may hold U+2028, U+0085 ... that str.splitlines() breaks on
        rows = [json.loads(ln) for ln in out.read_text(encoding="utf-8").split("\n") if ln]
        assert len(rows) == n, "CLI lost records"
        assert all({"stance", "sentiment", "stance_scores", "sentiment_scores"} <= set(r) for r in rows)
    return body


def build_models(args: argparse.Namespace, tmpdir: Path) -> dict[str, Any]:
    from stance.baseline import BaselineClassifier
    from stance.data import load_records
    from stance.loading import models_dir
    from stance.testing import KeywordClassifier

    models: dict[str, Any] = {"keyword": KeywordClassifier()}
    if args.baseline:
        models["baseline"] = stance.load(args.baseline)
    else:
        recs = load_records(FIXTURE, require_labels=True)
        d = BaselineClassifier(stance_params={"C": 10.0, "min_df": 1}, sentiment_params={"C": 10.0, "min_df": 1}).fit(recs).save(tmpdir / "baseline")
        models["baseline"] = stance.load(d)
    for name in ("baseline", "stance-minilm"):
        if (models_dir() / name / "stance_config.json").is_file():
            models[f"shipped-{name}"] = stance.load(name)
    if not args.no_transformer:
        try:
            import torch

            torch.set_num_threads(1)
            from stance.train import default_base_model
            from stance.transformer import TransformerClassifier, new_model

            module, tok = new_model(default_base_model())
            d = TransformerClassifier(module, tok, max_length=64, name="untrained-minilm").save(tmpdir / "transformer")
            models["transformer"] = stance.load(d)
        except (ImportError, StanceError) as exc:
            print(f"no transformer: {exc}", file=sys.stderr)
    return models


def targets(models: dict[str, Any], tmpdir: Path, n: int) -> dict[str, tuple[st.SearchStrategy, Callable, int]]:
    from stance import api

    out: dict[str, tuple[st.SearchStrategy, Callable, int]] = {}
    batches = st.lists(record_dicts(UNICODE), min_size=1, max_size=6)
    raw_batches = st.lists(record_dicts(RAW), min_size=1, max_size=4)
    for name, clf in models.items():
        slow = "transformer" in name or "minilm" in name
        k = max(n // 10, 20) if slow else n
        out[f"predict-{name}"] = (batches, predict_body(clf), k)
        out[f"predict-raw-{name}"] = (raw_batches, predict_body(clf), max(k // 4, 10))
    junk = st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=10), st.lists(st.integers(), max_size=2))
    out["classify-keyword"] = (
        st.tuples(st.one_of(texts(RAW), junk), st.one_of(st.text(RAW, min_size=1, max_size=30), st.lists(st.one_of(st.text(RAW, max_size=30), junk), max_size=4), junk)),
        classify_body(models["keyword"]), n)
    out["classify-baseline"] = (st.tuples(texts(UNICODE), st.lists(st.text(UNICODE, min_size=1, max_size=30), min_size=1, max_size=3)),
                                classify_body(models["baseline"]), n // 2)
    out["articles-keyword"] = (st.one_of(texts(UNICODE, 600), st.lists(NEWSY, min_size=1, max_size=8).map(" ".join)),
                               article_body(models["keyword"]), max(n // 10, 20))
    out["records-from-dict"] = (st.one_of(LOOSE_DICTS, st.builds(lambda a, b: {**a, **b}, record_dicts(RAW), LOOSE_DICTS)),
                                records_body, n)
    out["load-jsonl-bytes"] = (st.binary(max_size=400), loader_body(".jsonl", tmpdir), n)
    out["load-jsonl-structured"] = (corrupted_lines(), loader_body(".jsonl", tmpdir), n)
    out["load-csv-bytes"] = (st.binary(max_size=400), loader_body(".csv", tmpdir), n // 2)
    out["load-csv-structured"] = (csv_bytes(), loader_body(".csv", tmpdir), n // 2)
    api._cache["fuzz-keyword"] = models["keyword"]
    out["cli-predict"] = (corrupted_lines(), cli_body("fuzz-keyword", tmpdir), n // 2)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=int(os.environ.get("STANCE_FUZZ_EXAMPLES", 1000)),
                   help="inputs per fast target (slow targets get a tenth); default 1000")
    p.add_argument("--targets", nargs="*", help="only these targets (default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--baseline", help="baseline model dir to fuzz instead of one fitted on the fixture")
    p.add_argument("--no-transformer", action="store_true")
    p.add_argument("--json", help="write the summary here")
    args = p.parse_args(argv)
    import logging

    logging.getLogger("stance").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        models = build_models(args, tmpdir)
        reports = []
        for name, (strategy, body, k) in targets(models, tmpdir, args.examples).items():
            if args.targets and name not in args.targets:
                continue
            rep = run_target(name, strategy, body, k, args.seed)
            reports.append(rep)
            flag = f"{len(rep.findings)} finding(s)" if rep.findings else "no findings"
            print(f"{name:32s} tried {rep.tried:6d}  ok {rep.ok:6d}  typed errors {rep.typed_errors:6d}  {rep.seconds:7.1f}s  {flag}", flush=True)
            for f in rep.findings.values():
                print(f"    {f.kind} at {f.where} x{f.count}: {f.message[:160]}\n      e.g. {f.example[:200]}", flush=True)
    total = sum(r.tried for r in reports)
    n_find = sum(len(r.findings) for r in reports)
    print(f"total inputs tried: {total}; distinct findings: {n_find}")
    if args.json:
        import platform

        Path(args.json).write_text(json.dumps({
            "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
            "machine": f"{platform.machine()} {os.cpu_count()} CPUs, python {platform.python_version()}",
            "total_tried": total, "distinct_findings": n_find, "targets": [r.as_dict() for r in reports],
        }, indent=2, ensure_ascii=True) + "\n")
    return 1 if n_find else 0


if __name__ == "__main__":
    sys.exit(main())
