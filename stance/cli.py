"""The ``stance`` command line: thin commands over the library functions.

Run ``stance --help`` or ``stance COMMAND --help``. Every command is also callable in-process
as ``main([...])``, which returns the exit status (0 ok, 1 a stance error such as invalid data
or a missing model, 2 wrong usage: an unknown or missing argument, or a bad option value such as
``--batch-size 0``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Sequence, TextIO

from stance.errors import DataValidationError, InvalidInputError, StanceError

__all__ = ["main", "build_parser"]

logger = logging.getLogger("stance")

_BACKEND_HELP = ("inference engine for transformer models: torch (default) or onnx "
                 "(ONNX Runtime: same labels, faster when pairs come one at a time, not for large batches; "
                 "needs pip install \"stance[onnx]\")")


# -- commands: each takes the parsed arguments and returns an exit status -----------------------


def _open_out(path: str | None) -> TextIO:
    return sys.stdout if path in (None, "-") else open(path, "w", encoding="utf-8")


def _check_output(path: str | None) -> None:
    """Fail before any model work when the output file cannot be written."""
    if path in (None, "-"):
        return
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise InvalidInputError(f"cannot write {path}: the folder {parent} does not exist")
    if Path(path).is_dir():
        raise InvalidInputError(f"cannot write {path}: it is a folder")


def _input_file(path: str, what: str) -> Path:
    """``path`` as a :class:`Path`, checked to be an existing file (``what`` names it in the error)."""
    p = Path(path)
    if p.is_dir():
        raise InvalidInputError(f"{what} {path} is a directory, not a file; give the path of a file")
    if not p.is_file():
        raise InvalidInputError(f"{what} file not found: {path}")
    return p


def _write_rows(rows: list[dict[str, Any]], out: str | None) -> None:
    """Write all rows at once: to a file atomically, or to stdout."""
    if out in (None, "-"):
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        from stance.data import write_jsonl

        write_jsonl(rows, out)


def _classifier(args: argparse.Namespace) -> Any:
    """The model named by --model, on the engine named by --backend (torch: cached default)."""
    from stance.api import get_classifier

    if args.backend == "torch":
        return get_classifier(args.model)
    from stance.loading import load

    return load(args.model, backend=args.backend)


def cmd_predict(args: argparse.Namespace) -> int:
    from stance.data import load_records

    _check_output(args.output)
    name = "stdin" if args.input == "-" else args.input
    if args.input != "-":
        _input_file(args.input, "input")
    try:
        records = load_records(args.input)  # validates every line before any output is written
    except DataValidationError as exc:
        if exc.problems and len(exc.problems) == exc.total and all(p.reason.startswith("invalid JSON") for p in exc.problems):
            raise InvalidInputError(
                f"{exc}\nno line of {name} is JSON: `stance predict` reads pair records (JSONL, one "
                '{"text": ..., "target": ...} object a line, or CSV); to label a plain-text article use `stance classify`'
            ) from exc
        raise
    if not records:
        raise InvalidInputError(f"{name} holds no pair records (it is empty or has only blank lines); "
                                'give one {"text": ..., "target": ...} object a line')
    if args.resolve_actors or args.actors or args.former_officials or args.date:
        from stance.actors import resolve_records

        records = resolve_records(records, _resolver(args.actors, args.former_officials, args.date))
    clf = _classifier(args)
    results = clf.predict(records, batch_size=args.batch_size, show_progress=_progress(args))
    _write_rows([r.to_dict() for r in results], args.output)
    logger.info("labelled %d records with %s", len(results), getattr(clf, "name", "model"))
    return 0


def _read_articles(args: argparse.Namespace) -> tuple[list[str], list[str], list[str | None]]:
    """Return (ids, texts, dates) from a plain-text article, '-', or a JSONL of {id, text, date}."""
    if args.articles:
        from stance.actors import iso_date
        from stance.data import read_jsonl_objects
        from stance.errors import RecordProblem

        ids, texts, dates, problems = [], [], [], []
        for line, obj, error in read_jsonl_objects(_input_file(args.articles, "articles")):
            if error is None and not (isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj["text"].strip()):
                error = "expected an object with a non-empty string 'text' (and optionally 'id' and 'date')"
            date = None
            if error is None and obj.get("date") is not None:
                try:
                    date = iso_date(obj["date"])
                except InvalidInputError as exc:
                    error = str(exc)
            if error:
                problems.append(RecordProblem(args.articles, line, error))
                continue
            ids.append(str(obj.get("id", f"line{line}")))
            texts.append(obj["text"])
            dates.append(date)
        if problems:
            raise DataValidationError(problems)
        if not texts:
            raise InvalidInputError(f"{args.articles} holds no articles (it is empty or has only blank lines); "
                                    'give one {"id": ..., "text": ...} object a line')
        return ids, texts, dates
    if args.article in (None, "-"):
        raw = sys.stdin.buffer.read()
        name = "stdin"
    else:
        path = _input_file(args.article, "article")
        raw = path.read_bytes()
        name = path.stem
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{args.article or 'stdin'} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8") from None
    if not text.strip():
        what = "is empty: it contains only whitespace" if text else "is empty"
        raise InvalidInputError(f"{args.article or 'stdin'} {what}; give an article with some text")
    return [name], [text], [None]


def cmd_classify(args: argparse.Namespace) -> int:
    from stance.article import classify_articles

    _check_output(args.output)
    ids, texts, dates = _read_articles(args)
    dates = [d or args.date for d in dates]
    # one resolver per date (officials stand for their state while in office then); one parse and one model call
    custom = bool(args.actors or args.former_officials)
    by_date = {d: _resolver(args.actors, args.former_officials, d) if custom or d is not None else None for d in dict.fromkeys(dates)}
    per_article = classify_articles(
        texts, model=_classifier(args), batch_size=args.batch_size, show_progress=_progress(args), doc_ids=ids,
        resolver=[by_date[d] for d in dates], person_targets=not args.no_person_targets, n_process=args.n_process,
    )
    rows = [r.to_dict() for results in per_article for r in results]
    if args.format == "table":
        out = _open_out(args.output)
        try:
            out.write(_table(rows, with_doc=bool(args.articles)) + "\n")
        finally:
            if out is not sys.stdout:
                out.close()
    else:
        _write_rows(rows, args.output)
    return 0


def _resolver(path: str | None, former_officials: bool = False, date: str | None = None):
    """The default actor resolver (with ``former_officials`` and ``date`` as given) plus the actors of a
    JSONL file, if any (one {alias, name, code, aliases, kind} object a line, as
    :meth:`stance.actors.ActorResolver.add` takes)."""
    from stance.actors import ActorResolver
    from stance.data import read_jsonl_objects
    from stance.errors import RecordProblem

    resolver = ActorResolver(former_officials=former_officials, date=date)
    if path is None:
        return resolver
    problems = []
    allowed = {"alias", "name", "code", "kind", "aliases", "case_sensitive"}
    for line, obj, error in read_jsonl_objects(_input_file(path, "actors")):
        if error is None and not (isinstance(obj, dict) and "alias" in obj and set(obj) <= allowed):
            error = f"expected an object with 'alias' and optionally {', '.join(sorted(allowed - {'alias'}))}"
        if error is None:
            try:
                resolver.add(**obj)
            except InvalidInputError as exc:
                error = str(exc)
        if error:
            problems.append(RecordProblem(path, line, error))
    if problems:
        raise DataValidationError(problems)
    return resolver


_DATE_HELP = ("when the text was written (YYYY-MM-DD): officials stand for their state only while the event-coding "
              "dictionary has them in office then (its dates end around 2015)")
_FORMER_HELP = ("officials the actor tables list as out of office (e.g. Hillary Clinton, George W. Bush) stand for "
                "their state by name too, not only with their office in the text: for news from their years in office")


def _table(rows: list[dict[str, Any]], with_doc: bool = False) -> str:
    """A readable table of result rows; ``with_doc`` adds a first column with each row's article id."""
    if not rows:
        return "(no statement with a target found)"
    import pandas as pd

    frame = pd.DataFrame(
        {
            **({"doc": [r.get("doc_id") for r in rows]} if with_doc else {}),
            "speaker": [r.get("speaker_actor") or r.get("speaker") for r in rows],
            "target": [r.get("target_actor") or r.get("target") for r in rows],
            "stance": [f"{r['stance']} ({r['stance_scores'][r['stance']]:.2f})" for r in rows],
            "sentiment": [f"{r['sentiment']} ({r['sentiment_scores'][r['sentiment']]:.2f})" for r in rows],
            "statement": [_clip(r["text"], 70) for r in rows],
        }
    )
    return frame.to_string(index=False)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_evaluate(args: argparse.Namespace) -> int:
    from stance.api import get_classifier
    from stance.evaluation import run_evaluation

    models = [(Path(m).name or m, get_classifier(m)) for m in args.model]
    report = run_evaluation(
        models, args.data, args.out, n_bootstrap=args.n_bootstrap, seed=args.seed,
        batch_size=args.batch_size, show_progress=_progress(args), tasks=args.tasks,
    )
    sys.stdout.write(_evaluation_lines(report) + f"\nfull report: {Path(args.out) / 'summary.md'}\n")
    return 0


def _evaluation_lines(report: dict[str, Any]) -> str:
    """One line per model and task: macro-F1 with its 95% bootstrap CI."""
    lines = []
    for model in report["models"]:
        for task, m in model["tasks"].items():
            lo, hi = m["ci"]["macro_f1"] or (float("nan"), float("nan"))
            lines.append(f"{model['name']:>24}  {task:<9}  macro-F1 {m['macro_f1']:.3f}  95% CI [{lo:.3f}, {hi:.3f}]  (n={model['n']})")
    return "\n".join(lines)


def cmd_train_baseline(args: argparse.Namespace) -> int:
    from stance.baseline import train_baseline

    scores = train_baseline(args.train, args.dev, args.out, newsmtsc=args.newsmtsc, seed=args.seed, show_progress=_progress(args))
    sys.stdout.write(json.dumps(scores, indent=2, default=str) + "\n")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from stance.train import TrainConfig, train

    config = TrainConfig.from_json(args.config)
    overrides = {k: v for k, v in (("train_path", args.train), ("dev_path", args.dev)) if v}
    if overrides:
        config = TrainConfig.from_dict({**config.to_dict(), **overrides})
    scores = train(config, args.out, show_progress=_progress(args))
    sys.stdout.write(json.dumps(scores, indent=2, default=str) + "\n")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from stance.loading import DEFAULT_MODELS, SIDECAR, models_dir

    base = models_dir()
    found = sorted(p for p in base.iterdir() if (p / SIDECAR).is_file()) if base.is_dir() else []
    default = next((n for n in DEFAULT_MODELS if (base / n / SIDECAR).is_file()), None)
    for p in found:
        kind = json.loads((p / SIDECAR).read_text()).get("kind", "?")
        mark = " (default)" if p.name == default else ""
        sys.stdout.write(f"{p.name}\t{kind}{mark}\t{p}\n")
    if not found:
        sys.stdout.write(f"no models in {base}\n")
    return 0


# -- parser -----------------------------------------------------------------------------------


def _progress(args: argparse.Namespace) -> bool | None:
    return False if args.quiet or args.no_progress else None


# argparse ``type=`` checks: a bad option value is a usage error (exit 2), found before any work


def _int_at_least(value: str, least: int, what: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {value!r}") from None  # argparse's own wording
    if n < least:
        raise argparse.ArgumentTypeError(f"must be {what}, got {n}")
    return n


def _positive_int(value: str) -> int:
    """An integer >= 1 (batch sizes, worker processes)."""
    return _int_at_least(value, 1, "a positive integer")


def _non_negative_int(value: str) -> int:
    """An integer >= 0 (seeds, bootstrap resamples)."""
    return _int_at_least(value, 0, "0 or a positive integer")


def _date(value: str) -> str:
    """An ISO date ``YYYY-MM-DD``, returned normalised."""
    from stance.actors import iso_date

    try:
        return iso_date(value)
    except InvalidInputError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD (e.g. 2010-05-01), got {value!r}") from None


_BATCH_HELP = "pairs per model call (default %(default)s); lower it if memory runs out"
_SEED_HELP = "random seed, for results that repeat exactly (default %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    common.add_argument("-q", "--quiet", action="store_true", help="only errors; no progress bars")
    common.add_argument("--no-progress", action="store_true", help="no progress bars")

    parser = argparse.ArgumentParser(
        prog="stance",
        description="Stance (threatening / conciliatory / neutral) and sentiment of news statements toward actors.",
        parents=[common],
    )
    from stance import __version__

    parser.add_argument("--version", action="version", version=f"stance {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("predict", parents=[common], help="label a JSONL of statement-target pairs",
                       description="Read pair records (JSONL, one {text, target, ...} object a line; CSV by .csv suffix) "
                                   "and write one JSON line per input, in order, with stance, sentiment and their scores.")
    p.add_argument("input", nargs="?", default="-", help="JSONL/CSV file of pair records, or - for stdin (default)")
    p.add_argument("-o", "--output", help="output JSONL file (default: stdout)")
    p.add_argument("--model", help="shipped model name (e.g. baseline) or model directory; default: the shipped default model")
    p.add_argument("--batch-size", type=_positive_int, default=32, help=_BATCH_HELP)
    p.add_argument("--backend", choices=("torch", "onnx"), default="torch", help=_BACKEND_HELP)
    p.add_argument("--resolve-actors", action="store_true",
                   help="fill in missing target_actor, target_code and speaker_actor from the mentions with the actor "
                        "resolver (the default model was trained with canonical actors; given values are kept)")
    p.add_argument("--actors", help="JSONL of extra actors for --resolve-actors (implies it), as for `stance classify`")
    p.add_argument("--former-officials", action="store_true", help=_FORMER_HELP + " (implies --resolve-actors)")
    p.add_argument("--date", type=_date, help=_DATE_HELP + " (implies --resolve-actors)")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("classify", parents=[common], help="find statements, speakers and targets in news articles and label them",
                       description="Whole-article mode: every quoted or reported statement, its speaker and the actors it targets.")
    source = p.add_mutually_exclusive_group()
    source.add_argument("article", nargs="?", default=None, help="plain-text article file, or - for stdin (default)")
    source.add_argument("--articles", help="JSONL of articles, one {id, text} object a line (instead of ARTICLE)")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl", help="JSON lines (default) or a readable table")
    p.add_argument("--actors", help='JSONL of extra actors, e.g. {"alias": "Azov", "name": "Azov Brigade", "code": ""} per line')
    p.add_argument("--former-officials", action="store_true", help=_FORMER_HELP)
    p.add_argument("--no-person-targets", action="store_true",
                   help="only actors of the tables as targets, not people who stand for no actor (guideline 14)")
    p.add_argument("--date", type=_date, help=_DATE_HELP + "; a 'date' field of an --articles line overrides it")
    p.add_argument("--n-process", type=_positive_int, default=1,
                   help="spaCy worker processes for parsing many articles (default 1; 2 on a 2-core machine parses about twice as fast)")
    p.add_argument("--model", help="shipped model name or model directory")
    p.add_argument("--batch-size", type=_positive_int, default=32,
                   help="articles per spaCy parsing batch and pairs per model call (default %(default)s)")
    p.add_argument("--backend", choices=("torch", "onnx"), default="torch", help=_BACKEND_HELP)
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("evaluate", parents=[common], help="compare models on labelled pairs with bootstrap CIs",
                       description="Metrics with 95% bootstrap CIs, paired bootstrap against the first model, calibration, "
                                   "breakdowns by source and target actor; writes report.json, summary.md and PNG plots.")
    p.add_argument("--model", action="append", required=True, help="model name or directory; repeat to compare")
    p.add_argument("--data", required=True, help="labelled JSONL/CSV (e.g. ../shared/data/annotated/dev.jsonl)")
    p.add_argument("--out", required=True, help="output directory for the report")
    p.add_argument("--tasks", nargs="+", choices=("stance", "sentiment"), default=["stance", "sentiment"],
                   help="tasks to score (e.g. --tasks sentiment for sentiment-only data such as NewsMTSC)")
    p.add_argument("--n-bootstrap", type=_non_negative_int, default=1000,
                   help="bootstrap resamples for the confidence intervals (default %(default)s; 0 skips them)")
    p.add_argument("--seed", type=_non_negative_int, default=0, help=_SEED_HELP)
    p.add_argument("--batch-size", type=_positive_int, default=32, help=_BATCH_HELP)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train-baseline", parents=[common], help="train the scikit-learn baseline",
                       description="Train the TF-IDF + logistic-regression baseline, tune C on dev, save a skops model directory.")
    p.add_argument("--train", required=True, help="labelled training JSONL (e.g. ../shared/data/annotated/train.jsonl)")
    p.add_argument("--dev", required=True, help="labelled dev JSONL for tuning (e.g. ../shared/data/annotated/dev.jsonl)")
    p.add_argument("--newsmtsc", help="optional NewsMTSC train.jsonl as extra sentiment data")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--seed", type=_non_negative_int, default=0, help=_SEED_HELP)
    p.set_defaults(func=cmd_train_baseline)

    p = sub.add_parser("train", parents=[common], help="fine-tune the transformer from a JSON config",
                       description="Fine-tune the two-head transformer; the config is validated and saved with the model.")
    p.add_argument("--config", required=True, help="training config JSON (see configs/)")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--train", help="override the config's training data path")
    p.add_argument("--dev", help="override the config's dev data path")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("models", parents=[common], help="list the shipped models")
    p.set_defaults(func=cmd_models)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help / usage errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(level)
    try:
        return args.func(args)
    except StanceError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except BrokenPipeError:  # e.g. `stance predict ... | head`
        return 0
    except OSError as exc:  # unwritable output, full disk, ...
        sys.stderr.write(f"error: {exc}\n")
        return 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
