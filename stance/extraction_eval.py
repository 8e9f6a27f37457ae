"""Extraction metrics for whole-article mode: statements, speakers, targets, labelled pairs.

Gold data is guideline-format JSONL (as ``examples/taiwan_strait.labels.jsonl``): one
statement-target pair a line with ``doc_id``, ``start``/``end`` (statement offsets in the
article), ``speaker_actor``, ``target_actor`` and the labels; a line whose ``target`` is
``null`` is a statement without a target.

Metrics (:func:`evaluate_extraction`):

* ``statement_exact``: precision/recall/F1 of statement spans matched exactly (ignoring
  surrounding whitespace, punctuation and quotation marks);
* ``statement_overlap``: the same with spans matched one-to-one by character overlap
  (largest overlaps first);
* ``speaker_accuracy``: share of overlap-matched statements whose speaker actor(s) equal the
  gold actor(s) ("Japan and United States" is the set {Japan, United States}); people and groups
  that the actor tables do not know match by name, a shorter form ending the longer one
  ("Clinton" = "Hillary Clinton"; so also "Bill Clinton" = "Clinton");
* ``target``: precision/recall/F1 of (statement, target actor) pairs, statements matched by
  overlap; targets of unmatched statements count as errors;
* ``pair_stance`` / ``pair_sentiment`` / ``pair_both``: end-to-end F1 where a predicted pair
  counts only if its statement and target match and its label(s) equal the gold label(s).

>>> gold = [{"doc_id": "d", "start": 0, "end": 10, "text": "We'll talk", "speaker_actor": "Japan",
...          "target": "China", "target_actor": "China", "stance": "conciliatory", "sentiment": "positive"}]
>>> pred = [{"doc_id": "d", "start": 0, "end": 10, "text": "We'll talk", "speaker_actor": "Japan",
...          "target": "China", "target_actor": "China", "stance": "neutral", "sentiment": "positive"}]
>>> m = evaluate_extraction(pred, gold)
>>> m["statement_exact"]["f1"], m["target"]["f1"], m["pair_stance"]["f1"], m["pair_sentiment"]["f1"]
(1.0, 1.0, 0.0, 1.0)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from stance.actors import NICKNAMES
from stance.errors import InvalidInputError

__all__ = ["evaluate_extraction", "evaluate_article_files", "evaluate_contexts", "format_extraction_report"]

_STRIP = " \t\n\r.,;:!?\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()"


@dataclass
class _Stmt:
    doc_id: str
    start: int
    end: int
    text: str
    speaker: set[str] = field(default_factory=set)
    targets: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def core(self) -> tuple[int, int]:
        """Span without surrounding whitespace, punctuation and quotation marks."""
        t = self.text or ""
        if len(t) != self.end - self.start:
            return self.start, self.end
        lead = len(t) - len(t.lstrip(_STRIP))
        trail = len(t) - len(t.rstrip(_STRIP))
        s, e = self.start + lead, self.end - trail
        return (s, e) if e > s else (self.start, self.end)


def _actor_key(name: str | None, resolver: Any) -> str | None:
    if name is None or not str(name).strip():
        return None
    import re

    # descriptive parentheses in hand labels ("Brett Kavanaugh (Supreme Court nominee)") do not count
    name = re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)
    a = resolver.actor(str(name).strip())
    if a is None:
        hit = resolver.lookup(str(name).strip(), check_case=False)
        a = hit[0] if hit else None
    if a is not None:
        return a.key
    key = " ".join(str(name).casefold().split())
    return key[4:] if key.startswith("the ") and len(key) > 4 else key  # "The New York Times" = "New York Times"


def _actor_set(name: str | None, resolver: Any) -> set[str]:
    if name is None or not str(name).strip():
        return set()
    whole = resolver.actor(str(name).strip())
    if whole is not None:
        return {whole.key}
    parts = [p.strip() for p in str(name).replace(" & ", " and ").split(" and ")]
    return {k for k in (_actor_key(p, resolver) for p in parts) if k}


def _as_row(item: Any) -> list[dict[str, Any]]:
    """Normalise a StanceResult / PairRecord / Statement / mapping to row dicts."""
    from stance.schema import PairRecord, StanceResult

    if isinstance(item, StanceResult):
        row = item.record.to_dict()
        row["stance"], row["sentiment"] = item.stance, item.sentiment
        return [row]
    if isinstance(item, PairRecord):
        return [item.to_dict()]
    if isinstance(item, Mapping):
        return [dict(item)]
    if hasattr(item, "targets") and hasattr(item, "start") and hasattr(item, "quote_type"):  # a Statement
        base = {"doc_id": item.doc_id, "start": item.start, "end": item.end, "text": item.text, "speaker_actor": item.speaker_actor}
        if not item.targets:
            return [dict(base, target=None, target_actor=None)]
        return [dict(base, target=t.text, target_actor=t.actor, target_code=t.code) for t in item.targets]
    if isinstance(item, (list, tuple)):
        return [r for x in item for r in _as_row(x)]
    raise InvalidInputError(f"cannot evaluate an item of type {type(item).__name__}; pass results, records, statements or dicts")


def _collect(rows: Iterable[Mapping[str, Any]], resolver: Any, what: str) -> dict[tuple[str, int, int], _Stmt]:
    out: dict[tuple[str, int, int], _Stmt] = {}
    for i, row in enumerate(rows, 1):
        start, end = row.get("start"), row.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            raise InvalidInputError(f"{what} row {i}: statement offsets 'start' and 'end' are required for extraction metrics")
        did = str(row.get("doc_id") if row.get("doc_id") is not None else "")
        key = (did, start, end)
        st = out.get(key)
        if st is None:
            st = out[key] = _Stmt(did, start, end, row.get("text") or "", set())
        # a statement by several actors may come as one row per speaker actor (guideline 12)
        st.speaker |= _actor_set(row.get("speaker_actor"), resolver)
        tgt = _actor_key(row.get("target_actor") or row.get("target"), resolver) if row.get("target") is not None else None
        if tgt is not None:
            st.targets.setdefault(tgt, (row.get("stance"), row.get("sentiment")))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


#: Short forms of English first names, for matching people named both ways ("Mike Flynn", "Michael Flynn").


def _same_name(a: str, b: str) -> bool:
    """Actor keys match when equal; names of people and groups the tables do not know (lower-case keys)
    also match when the shorter one ends the longer one ("clinton" and "hillary clinton"), first names
    compared by their full form ("mike flynn" and "michael flynn")."""
    if a == b:
        return True
    if a.upper() == a or b.upper() == b:
        return False  # an actor code
    wa = [NICKNAMES.get(w, w) for w in a.split()]
    wb = [NICKNAMES.get(w, w) for w in b.split()]
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return bool(short) and long_[-len(short):] == short


def _same_actors(a: set[str], b: set[str]) -> bool:
    return len(a) == len(b) and all(any(_same_name(x, y) for y in b) for x in a)


def _match(pred: list[_Stmt], gold: list[_Stmt], exact: bool) -> list[tuple[_Stmt, _Stmt]]:
    pairs = []
    for g in gold:
        gs, ge = g.core()
        for p in pred:
            if p.doc_id != g.doc_id:
                continue
            ps, pe = p.core()
            if exact:
                if (ps, pe) == (gs, ge):
                    pairs.append((ge - gs, p, g))
            else:
                ov = min(pe, ge) - max(ps, gs)
                if ov > 0:
                    pairs.append((ov, p, g))
    pairs.sort(key=lambda t: -t[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, p, g in pairs:
        if id(p) in used_p or id(g) in used_g:
            continue
        used_p.add(id(p))
        used_g.add(id(g))
        out.append((p, g))
    return out


def evaluate_extraction(
    predicted: Any,
    gold: str | os.PathLike | Iterable[Mapping[str, Any]],
    resolver: Any = None,
    restrict_to_gold_docs: bool = True,
) -> dict[str, Any]:
    """Compare whole-article output with gold statement-target pairs.

    ``predicted``: :class:`~stance.schema.StanceResult` objects (lists per article are
    flattened), :class:`~stance.schema.PairRecord` objects, :class:`~stance.extract.Statement`
    objects (pass the statements too, so statements without targets count), or dicts with
    ``doc_id``, ``start``, ``end``, ``speaker_actor``, ``target_actor`` and optional labels.
    ``gold``: a JSONL path or rows. Actor names are compared through the actor tables
    (canonical name or code). With ``restrict_to_gold_docs`` predictions for documents absent
    from the gold file are ignored. See the module docstring for the metrics.

    >>> gold = [{"doc_id": "d", "start": 1, "end": 33, "speaker_actor": "Iran",
    ...          "target": "Israel", "target_actor": "Israel", "target_code": "ISR", "quote_type": "direct"}]
    >>> from stance.extract import extract_pairs
    >>> pred = extract_pairs('"We will retaliate against Israel," Iran said.', doc_id="d")
    >>> scores = evaluate_extraction(pred, gold)
    >>> scores["statement_overlap"]["f1"], scores["speaker_accuracy"], scores["target"]["f1"]
    (1.0, 1.0, 1.0)
    """
    from stance.actors import default_resolver

    resolver = resolver or default_resolver()
    if isinstance(gold, (str, os.PathLike)):
        path = Path(gold)
        if not path.is_file():
            raise InvalidInputError(f"gold file not found: {path}")
        gold_rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    gold_rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InvalidInputError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    else:
        gold_rows = [dict(r) for r in gold]
    pred_rows = _as_row(list(predicted) if not isinstance(predicted, Mapping) else [predicted])
    g = _collect(gold_rows, resolver, "gold")
    docs = {k[0] for k in g}
    p = _collect(pred_rows, resolver, "predicted")
    if restrict_to_gold_docs:
        p = {k: v for k, v in p.items() if k[0] in docs}
    gl, pl = list(g.values()), list(p.values())

    exact = _match(pl, gl, exact=True)
    overlap = _match(pl, gl, exact=False)
    sp_ok = sum(1 for ps, gs in overlap if ps.speaker and _same_actors(ps.speaker, gs.speaker))

    n_pred_t = sum(len(s.targets) for s in pl)
    n_gold_t = sum(len(s.targets) for s in gl)
    tp_t = tp_st = tp_se = tp_both = 0
    for ps, gs in overlap:
        taken: set[str] = set()
        for t, (st, se) in ps.targets.items():
            if t not in gs.targets:  # a person named more or less fully ("Flynn" for "Michael Flynn")
                t = next((g for g in gs.targets if g not in ps.targets and g not in taken and _same_name(t, g)), t)
            taken.add(t)
            if t in gs.targets:
                gst, gse = gs.targets[t]
                tp_t += 1
                tp_st += int(st is not None and st == gst)
                tp_se += int(se is not None and se == gse)
                tp_both += int(st is not None and st == gst and se == gse)
    return {
        "n_docs": len(docs),
        "n_gold_statements": len(gl),
        "n_pred_statements": len(pl),
        "statement_exact": _prf(len(exact), len(pl), len(gl)),
        "statement_overlap": _prf(len(overlap), len(pl), len(gl)),
        "speaker_accuracy": round(sp_ok / len(overlap), 4) if overlap else 0.0,
        "speaker_correct": sp_ok,
        "speaker_n": len(overlap),
        "target": _prf(tp_t, n_pred_t, n_gold_t),
        "pair_stance": _prf(tp_st, n_pred_t, n_gold_t),
        "pair_sentiment": _prf(tp_se, n_pred_t, n_gold_t),
        "pair_both": _prf(tp_both, n_pred_t, n_gold_t),
    }


def format_extraction_report(metrics: Mapping[str, Any]) -> str:
    """A short plain-text table of :func:`evaluate_extraction` output."""
    lines = [
        f"documents {metrics['n_docs']}, gold statements {metrics['n_gold_statements']}, predicted {metrics['n_pred_statements']}",
        f"{'metric':<20}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    for k in ("statement_exact", "statement_overlap", "target", "pair_stance", "pair_sentiment", "pair_both"):
        m = metrics[k]
        lines.append(f"{k:<20}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    lines.append(f"speaker accuracy    {metrics['speaker_accuracy']:.3f} ({metrics['speaker_correct']}/{metrics['speaker_n']})")
    return "\n".join(lines)


def evaluate_article_files(
    gold: str | os.PathLike,
    text_dir: str | os.PathLike,
    model: Any = None,
    batch_size: int = 32,
    show_progress: bool | None = None,
) -> dict[str, Any]:
    """Run whole-article mode on ``text_dir/<doc_id>.txt`` for every ``doc_id`` of the gold
    file and score it with :func:`evaluate_extraction`. Without ``model`` only extraction is
    scored (statements without targets included; the ``pair_*`` scores are then 0); with a
    classifier the labelled pair scores are filled too."""
    from stance.article import classify_articles
    from stance.extract import get_nlp, statements_from_doc, text_for_parser

    path = Path(gold)
    if not path.is_file():
        raise InvalidInputError(f"gold file not found: {path}")
    doc_ids: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            did = json.loads(line).get("doc_id")
            if did is not None and did not in doc_ids:
                doc_ids.append(str(did))
    texts = []
    for did in doc_ids:
        f = Path(text_dir) / f"{did}.txt"
        if not f.is_file():
            raise InvalidInputError(f"article text for doc_id {did!r} not found: {f}")
        texts.append(f.read_text(encoding="utf-8"))
    nlp = get_nlp()
    statements = [st for doc, did, text in zip(nlp.pipe([text_for_parser(t) for t in texts]), doc_ids, texts)
                  for st in statements_from_doc(doc, doc_id=did, text=text)]
    predicted: list[Any] = [st for st in statements if not st.targets]
    if model is None:
        predicted = statements
    else:
        results = classify_articles(texts, model, batch_size=batch_size, show_progress=show_progress, doc_ids=doc_ids)
        predicted += [r for rs in results for r in rs]
    return evaluate_extraction(predicted, path)


def evaluate_contexts(
    labelled: str | os.PathLike,
    source_prefixes: tuple[str, ...] = ("conflibert", "newsmtsc", "plover"),
    person_targets: bool = True,
) -> dict[str, Any]:
    """Extraction scores on sentence-level labelled pairs (``../shared/data/annotated/``
    format: each record's ``context`` is the item text and ``text`` a substring of it).

    Every distinct context of a record whose ``source`` starts with one of
    ``source_prefixes`` (news items; UN speeches are whole-speech statements without quote
    marks) is treated as a one-item article; gold statement offsets are found in it.
    """
    from stance.extract import get_nlp, statements_from_doc, text_for_parser

    contexts, gold_rows = context_items(labelled, source_prefixes)
    ids = list(contexts)
    nlp = get_nlp()
    predicted = [
        st for doc, did in zip(nlp.pipe([text_for_parser(contexts[i]) for i in ids]), ids)
        for st in statements_from_doc(doc, doc_id=did, person_targets=person_targets, text=contexts[did])
    ]
    return evaluate_extraction(predicted, gold_rows)


def context_items(
    labelled: str | os.PathLike, source_prefixes: tuple[str, ...] = ("conflibert", "newsmtsc", "plover")
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The one-item articles of :func:`evaluate_contexts`: ``{doc_id: context}`` and the gold
    rows with ``doc_id`` and the statement's ``start``/``end`` offsets in its context."""
    from stance.data import read_jsonl_objects

    contexts: dict[str, str] = {}
    gold_rows: list[dict[str, Any]] = []
    for _, obj, error in read_jsonl_objects(labelled):
        if error or not isinstance(obj, dict):
            continue
        if not str(obj.get("source") or "").startswith(source_prefixes):
            continue
        ctx, text = obj.get("context"), obj.get("text")
        if not isinstance(ctx, str) or not isinstance(text, str) or text not in ctx:
            continue
        did = str(obj.get("doc_id") or obj.get("id"))
        if contexts.setdefault(did, ctx) != ctx:
            continue
        start = ctx.find(text)
        gold_rows.append(dict(obj, doc_id=did, start=start, end=start + len(text)))
    if not gold_rows:
        raise InvalidInputError(f"no usable records with context in {labelled}")
    return contexts, gold_rows


def main(argv: list[str] | None = None) -> int:
    """``python -m stance.extraction_eval GOLD.jsonl TEXT_DIR [--model M | --train-baseline TRAIN.jsonl]``
    or ``python -m stance.extraction_eval --contexts LABELLED.jsonl -`` (sentence-level items)."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="python -m stance.extraction_eval", description="Score whole-article extraction against gold pairs.")
    ap.add_argument("gold", help="gold JSONL (guideline format with doc_id and start/end)")
    ap.add_argument("text_dir", help="folder with <doc_id>.txt article files")
    ap.add_argument("--model", default=None, help="model name or path (stance.load); omit to score extraction only")
    ap.add_argument("--train-baseline", default=None, metavar="TRAIN_JSONL",
                    help="fit the scikit-learn baseline on this labelled file in memory and use it as the model")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ap.add_argument("--contexts", action="store_true",
                    help="GOLD is sentence-level labelled pairs with 'context' (annotated/ format); TEXT_DIR is ignored")
    args = ap.parse_args(argv)
    if args.contexts:
        m = evaluate_contexts(args.gold)
        sys.stdout.write((json.dumps(m, indent=2) if args.json else format_extraction_report(m)) + "\n")
        return 0
    model = None
    if args.train_baseline:
        from stance.baseline import BaselineClassifier
        from stance.data import load_records

        # keep the evaluated articles out of training: drop records whose statement or
        # context comes from one of them (the shared corpora overlap)
        texts = [f.read_text(encoding="utf-8") for f in Path(args.text_dir).glob("*.txt")]
        recs = load_records(args.train_baseline, require_labels=True, allow_duplicate_ids=True)

        def seen(r: Any) -> bool:
            probes = [p[:60] for p in (r.text, r.context) if p and len(p) >= 20]
            return any(p in t for p in probes for t in texts)

        kept = [r for r in recs if not seen(r)]
        sys.stderr.write(f"baseline: training on {len(kept)} of {len(recs)} records ({len(recs) - len(kept)} overlap the evaluated articles)\n")
        model = BaselineClassifier().fit(kept)
    elif args.model:
        from stance.loading import load

        model = load(args.model)
    m = evaluate_article_files(args.gold, args.text_dir, model=model, show_progress=False)
    sys.stdout.write((json.dumps(m, indent=2) if args.json else format_extraction_report(m)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
