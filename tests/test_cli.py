"""CLI round trips through stance.cli.main([...]) with the shipped baseline model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "models" / "baseline"
needs_baseline = pytest.mark.skipif(not (BASELINE / "stance_config.json").is_file(), reason="models/baseline not shipped")


@pytest.mark.parametrize("cmd", [[], ["--help"], ["predict", "--help"], ["classify", "--help"], ["evaluate", "--help"],
                                 ["train-baseline", "--help"], ["train", "--help"]])
def test_help(cmd, capsys):
    code = main(cmd)
    assert code in (0, 2)
    assert "stance" in capsys.readouterr().out


def test_usage_error_exit_code():
    assert main(["predict", "--batch-size", "many"]) == 2


@needs_baseline
def test_predict_round_trip(tmp_path, fixtures_dir):
    out = tmp_path / "out.jsonl"
    src = fixtures_dir / "pairs_small.jsonl"
    assert main(["predict", str(src), "-o", str(out), "--model", "baseline", "-q"]) == 0
    inp = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in inp]  # same order, nothing lost
    for r in rows:
        assert r["stance"] in ("threatening", "conciliatory", "neutral")
        assert abs(sum(r["stance_scores"].values()) - 1) < 1e-6
        assert abs(sum(r["sentiment_scores"].values()) - 1) < 1e-6
        assert "gold_stance" in r  # input labels kept, not overwritten


@needs_baseline
def test_predict_bad_lines_exit_1_and_write_nothing(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "We will retaliate.", "target": "Iran"}\n{"text": "", "target": "X"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["predict", str(src), "-o", str(out), "--model", "baseline", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{src}:2" in err and f"{src}:3" in err
    assert not out.exists()


def test_missing_model_is_reported(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "We will retaliate.", "target": "Iran"}\n', encoding="utf-8")
    assert main(["predict", str(src), "--model", str(tmp_path / "nope"), "-q"]) == 1
    assert "no model" in capsys.readouterr().err


@needs_baseline
def test_evaluate_writes_report(tmp_path, fixtures_dir, capsys):
    out = tmp_path / "report"
    assert main(["evaluate", "--model", "baseline", "--data", str(fixtures_dir / "pairs_small.jsonl"),
                 "--out", str(out), "--n-bootstrap", "50", "-q"]) == 0
    assert "macro-F1" in capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    assert report["models"][0]["name"] == "baseline"
    assert (out / "summary.md").is_file() and list(out.glob("*.png"))


@needs_baseline
def test_classify_article_table_and_jsonl(tmp_path, capsys):
    article = ROOT / "examples" / "taiwan_strait.txt"
    assert main(["classify", str(article), "--model", "baseline", "--format", "table", "-q"]) == 0
    table = capsys.readouterr().out
    assert "Taiwan" in table and "China" in table
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "tw", "text": article.read_text(encoding="utf-8")}) + "\n", encoding="utf-8")
    actors = tmp_path / "actors.jsonl"
    actors.write_text('{"alias": "Kyodo News", "name": "Kyodo News"}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["classify", "--articles", str(articles), "--actors", str(actors), "-o", str(out), "--model", "baseline", "-q"]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["doc_id"] == "tw" for r in rows)
    assert all(r["text"] == article.read_text(encoding="utf-8")[r["start"]:r["end"]] for r in rows)
    # parsing in two worker processes gives the same rows
    out2 = tmp_path / "o2.jsonl"
    assert main(["classify", "--articles", str(articles), "--actors", str(actors), "-o", str(out2), "--model", "baseline",
                 "-q", "--n-process", "2"]) == 0
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


@needs_baseline
def test_classify_without_person_targets(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Iran's foreign ministry said that the detained journalist Jason Rezaian would be tried "
                       "for espionage and warned the United States.", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["classify", str(article), "--model", "baseline", "-q", "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["target_actor"] for r in rows} == {"Jason Rezaian", "United States"}
    assert main(["classify", str(article), "--model", "baseline", "-q", "-o", str(out), "--no-person-targets"]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {r["target_actor"] for r in rows} == {"United States"}


@needs_baseline
def test_classify_former_officials(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Hillary Clinton said that Russia was lying.", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    speakers = []
    for extra in ([], ["--former-officials"]):
        assert main(["classify", str(article), "--model", "baseline", "-q", "-o", str(out)] + extra) == 0
        speakers.append(json.loads(out.read_text(encoding="utf-8").splitlines()[0])["speaker_actor"])
    assert speakers == ["Hillary Clinton", "United States"]


def test_classify_rejects_bad_actor_file(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text('"We will retaliate," Iran said.', encoding="utf-8")
    actors = tmp_path / "actors.jsonl"
    actors.write_text('{"name": "no alias"}\n', encoding="utf-8")
    assert main(["classify", str(article), "--actors", str(actors), "--model", "baseline", "-q"]) == 1
    assert "alias" in capsys.readouterr().err


def test_models_lists_shipped(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    if (BASELINE / "stance_config.json").is_file():
        assert "baseline" in out


def test_backend_option_is_refused_for_the_baseline(tmp_path, capsys):
    f = tmp_path / "in.jsonl"
    f.write_text('{"text": "We will retaliate against Iran.", "target": "Iran"}\n', encoding="utf-8")
    assert main(["predict", str(f), "--model", "baseline", "--backend", "onnx", "-q"]) == 1
    err = capsys.readouterr().err
    assert "backend" in err and "Traceback" not in err


@needs_baseline
def test_predict_resolve_actors_is_opt_in(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Beijing will retaliate against Tokyo.", "target": "Tokyo", "speaker": "Beijing"}\n'
                   '{"text": "We will talk with Atlantis.", "target": "Atlantis", "target_actor": "Atlantis"}\n',
                   encoding="utf-8")
    plain, resolved = tmp_path / "plain.jsonl", tmp_path / "resolved.jsonl"
    assert main(["predict", str(src), "-o", str(plain), "--model", "baseline", "-q"]) == 0
    assert main(["predict", str(src), "-o", str(resolved), "--model", "baseline", "-q", "--resolve-actors"]) == 0
    p = [json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    r = [json.loads(line) for line in resolved.read_text(encoding="utf-8").splitlines()]
    assert p[0].get("target_actor") is None and p[0].get("speaker_actor") is None
    assert (r[0]["target_actor"], r[0]["target_code"], r[0]["speaker_actor"]) == ("Japan", "JPN", "China")
    assert r[1]["target_actor"] == "Atlantis"  # given values are kept
    actors = tmp_path / "actors.jsonl"
    actors.write_text('{"alias": "Atlantis", "name": "Atlantis", "code": "ATL"}\n', encoding="utf-8")
    src.write_text('{"text": "We will talk with Atlantis.", "target": "Atlantis"}\n', encoding="utf-8")
    assert main(["predict", str(src), "-o", str(resolved), "--model", "baseline", "-q", "--actors", str(actors)]) == 0
    assert json.loads(resolved.read_text(encoding="utf-8"))["target_code"] == "ATL"


@needs_baseline
def test_classify_articles_with_dates(tmp_path, capsys):
    text = "Hillary Clinton warned Iran on Monday that it would face tougher sanctions."
    articles = tmp_path / "a.jsonl"
    articles.write_text("\n".join(json.dumps(a) for a in [
        {"id": "a2010", "date": "2010-05-01", "text": text}, {"id": "a2016", "date": "2016-09-01", "text": text},
        {"id": "nodate", "text": text}]) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["classify", "--articles", str(articles), "--model", "baseline", "-q", "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    # Secretary of State in 2010, a candidate in 2016; without a date, the default tables (a person)
    assert [(r["doc_id"], r["speaker_actor"]) for r in rows] == [
        ("a2010", "United States"), ("a2016", "Hillary Clinton"), ("nodate", "Hillary Clinton")]
    assert main(["classify", "--articles", str(articles), "--model", "baseline", "-q", "-o", str(out), "--date", "2012-01-01"]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["speaker_actor"] for r in rows] == ["United States", "Hillary Clinton", "United States"]
    articles.write_text(json.dumps({"id": "x", "date": "May 2010", "text": text}) + "\n", encoding="utf-8")
    assert main(["classify", "--articles", str(articles), "--model", "baseline", "-q"]) == 1
    assert "date must be" in capsys.readouterr().err


def test_article_and_articles_together_is_a_usage_error(tmp_path, capsys):
    article = tmp_path / "a1.txt"
    article.write_text('"We will retaliate," Iran said.', encoding="utf-8")
    articles = tmp_path / "arts.jsonl"
    articles.write_text(json.dumps({"id": "x", "text": "Iran said it would retaliate."}) + "\n", encoding="utf-8")
    assert main(["classify", str(article), "--articles", str(articles), "-q"]) == 2
    assert "not allowed with" in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--date", "2010-5-1"], ["--n-process", "0"], ["--batch-size", "0"], ["--batch-size", "-3"]])
def test_bad_option_values_are_usage_errors(tmp_path, capsys, option):
    article = tmp_path / "a.txt"
    article.write_text('"We will retaliate," Iran said.', encoding="utf-8")
    assert main(["classify", str(article), "--model", "baseline", "-q", *option]) == 2
    err = capsys.readouterr().err
    assert option[0] in err and "Traceback" not in err


def test_bad_option_values_of_other_commands_are_usage_errors(tmp_path):
    data = str(tmp_path / "in.jsonl")
    assert main(["predict", data, "--batch-size", "0"]) == 2
    assert main(["predict", data, "--date", "May 2010"]) == 2
    assert main(["evaluate", "--model", "baseline", "--data", data, "--out", str(tmp_path), "--n-bootstrap", "-1"]) == 2
    assert main(["evaluate", "--model", "baseline", "--data", data, "--out", str(tmp_path), "--seed", "-1"]) == 2


def test_missing_and_folder_inputs_are_named(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text('"We will retaliate," Iran said.', encoding="utf-8")
    missing = tmp_path / "nofile.jsonl"
    assert main(["classify", str(article), "--actors", str(missing), "--model", "baseline", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"actors file not found: {missing}" in err and "Errno" not in err
    assert main(["classify", str(tmp_path), "--model", "baseline", "-q"]) == 1
    assert "is a directory, not a file" in capsys.readouterr().err
    assert main(["classify", "--articles", str(tmp_path), "--model", "baseline", "-q"]) == 1
    assert "is a directory, not a file" in capsys.readouterr().err
    assert main(["predict", str(tmp_path), "--model", "baseline", "-q"]) == 1
    assert "is a directory, not a file" in capsys.readouterr().err


def test_predict_on_a_plain_text_article_points_to_classify(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text("Russia warned NATO on Monday.\n\nThe talks ended without a deal.\n", encoding="utf-8")
    assert main(["predict", str(article), "--model", "baseline", "-q"]) == 1
    err = capsys.readouterr().err
    assert "invalid JSON" in err and "stance classify" in err


def test_empty_inputs_are_reported(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["predict", str(empty), "--model", "baseline", "-q"]) == 1
    assert "no pair records" in capsys.readouterr().err
    assert main(["classify", "--articles", str(empty), "--model", "baseline", "-q"]) == 1
    assert "no articles" in capsys.readouterr().err
    article = tmp_path / "a.txt"
    article.write_text("", encoding="utf-8")
    assert main(["classify", str(article), "--model", "baseline", "-q"]) == 1
    assert "is empty" in capsys.readouterr().err
    article.write_text("  \n\t\n", encoding="utf-8")
    assert main(["classify", str(article), "--model", "baseline", "-q"]) == 1
    assert "only whitespace" in capsys.readouterr().err


def test_help_texts(capsys):
    assert main(["evaluate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "95% bootstrap" in out and "%%" not in out
    assert "bootstrap resamples" in out and "random seed" in out and "pairs per model call" in out


@needs_baseline
def test_classify_table_of_several_articles_has_a_doc_column(tmp_path, capsys):
    articles = tmp_path / "a.jsonl"
    articles.write_text("\n".join(json.dumps(a) for a in [
        {"id": "first", "text": "Iran said it would retaliate against Israel."},
        {"id": "second", "text": '"We want peace with Egypt," Iran said.'}]) + "\n", encoding="utf-8")
    assert main(["classify", "--articles", str(articles), "--model", "baseline", "--format", "table", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "doc"
    assert {line.split()[0] for line in lines[1:]} == {"first", "second"}
