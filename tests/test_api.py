"""stance.classify and the classifier base class, with a deterministic dummy model."""

from __future__ import annotations

import numpy as np
import pytest

import stance
from stance.classifier import BaseClassifier, progress_enabled
from stance.errors import DataValidationError, InvalidInputError, ModelLoadError, ModelNotFoundError
from stance.testing import KeywordClassifier


def test_classify_with_targets_returns_one_result_per_target():
    res = stance.classify("We will crush Atlantis, and we thank Lemuria.", targets=["Atlantis", "Mu"],
                          speaker="the minister", model=KeywordClassifier())
    assert [r.record.target for r in res] == ["Atlantis", "Mu"]
    assert res[0].record.speaker == "the minister"
    assert res[0].target_found and not res[1].target_found
    for r in res:
        assert abs(sum(r.stance_scores.values()) - 1) < 1e-6
        assert r.stance in stance.STANCE_LABELS and r.sentiment in stance.SENTIMENT_LABELS


def test_classify_with_targets_resolves_actors():
    """Single-statement mode fills the canonical actors the resolver knows, and leaves the rest None."""
    res = stance.classify("Beijing and Atlantis will respond.", targets=["Beijing", "Atlantis"],
                          speaker="Japan's defence minister", model=KeywordClassifier())
    assert [(r.record.target_actor, r.record.target_code) for r in res] == [("China", "CHN"), (None, None)]
    assert {r.record.speaker_actor for r in res} == {"Japan"}
    # a given speaker_actor is kept; your own resolver is used
    resolver = stance.ActorResolver()
    resolver.add("Atlantis", name="Atlantis")
    res = stance.classify("Atlantis will respond.", targets=["Atlantis"], speaker="Tokyo", speaker_actor="Japan (gov)",
                          model=KeywordClassifier(), resolver=resolver)
    assert res[0].record.target_actor == "Atlantis" and res[0].record.speaker_actor == "Japan (gov)"


@pytest.mark.parametrize("text", [None, 3, "", "   "])
def test_classify_rejects_bad_text(text):
    with pytest.raises(InvalidInputError):
        stance.classify(text, targets=["X"], model=KeywordClassifier())


@pytest.mark.parametrize("targets", [[], [""], [None], 5])
def test_classify_rejects_bad_targets(targets):
    with pytest.raises(InvalidInputError):
        stance.classify("We talk.", targets=targets, model=KeywordClassifier())


def test_predict_single_and_batch_order():
    clf = KeywordClassifier()
    recs = [{"text": t, "target": "X"} for t in ("war now", "peace talks", "the weather", "war again")]
    out = clf.predict(recs, batch_size=2, show_progress=False)
    assert [r.stance for r in out] == ["threatening", "conciliatory", "neutral", "threatening"]
    one = clf.predict(recs[1])
    assert one.stance == "conciliatory"
    assert clf.predict([]) == []
    with pytest.raises(InvalidInputError):
        clf.predict(recs, batch_size=0)
    with pytest.raises(DataValidationError):
        clf.predict([recs[0], {"text": "x"}])


def test_wrong_shaped_probabilities_are_caught():
    class Broken(BaseClassifier):
        name = "broken"

        def _predict_proba(self, records, batch_size, show_progress):
            return {"stance": np.ones((1, 2)), "sentiment": np.ones((1, 3))}

    with pytest.raises(RuntimeError, match="shape"):
        Broken().predict({"text": "a", "target": "b"})


def test_progress_follows_logger(caplog):
    import logging

    assert progress_enabled(False) is False and progress_enabled(True) is True
    logging.getLogger("stance").setLevel(logging.WARNING)
    try:
        assert progress_enabled(None) is False
    finally:
        logging.getLogger("stance").setLevel(logging.NOTSET)


def test_load_errors_say_what_was_looked_for(tmp_path, monkeypatch):
    with pytest.raises(ModelNotFoundError, match="neither a directory nor a shipped model"):
        stance.load(str(tmp_path / "missing"))
    (tmp_path / "m").mkdir()
    with pytest.raises(ModelLoadError, match="stance_config.json"):
        stance.load(tmp_path / "m")
    (tmp_path / "m" / "stance_config.json").write_text('{"kind": "magic"}')
    with pytest.raises(ModelLoadError, match="kind"):
        stance.load(tmp_path / "m")
    monkeypatch.setenv("STANCE_MODELS_DIR", str(tmp_path / "empty"))
    with pytest.raises(ModelNotFoundError, match="no shipped model"):
        stance.load()


def test_classify_with_the_articles_date():
    text = "Hillary Clinton warned Iran on Monday that it would face tougher sanctions."
    [r2010] = stance.classify(text, model=KeywordClassifier(), date="2010-05-01")
    [r2016] = stance.classify(text, model=KeywordClassifier(), date="2016-09-01")
    assert (r2010.record.speaker_actor, r2016.record.speaker_actor) == ("United States", "Hillary Clinton")
    with pytest.raises(InvalidInputError, match="either date or resolver"):
        stance.classify(text, model=KeywordClassifier(), date="2010-05-01", resolver=stance.ActorResolver())
    with pytest.raises(InvalidInputError, match="date must be"):
        stance.classify(text, model=KeywordClassifier(), date="yesterday")


@pytest.mark.parametrize("kwargs", [dict(text=b"Russia warned NATO."), dict(text=[b"Russia warned NATO."]),
                                    dict(text=b"We will strike.", targets=["NATO"]),
                                    dict(text="We will strike.", targets=b"NATO"),
                                    dict(text="We will strike.", targets=[b"NATO"])])
def test_classify_rejects_bytes_with_a_hint_to_decode(kwargs):
    with pytest.raises(InvalidInputError, match=r"bytes, not a string; decode it first.*\.decode\('utf-8'\)"):
        stance.classify(model=KeywordClassifier(), **kwargs)


@pytest.mark.parametrize("option", ["speaker", "speaker_actor", "context"])
def test_single_statement_options_need_targets(option):
    with pytest.raises(InvalidInputError, match=f"{option}= only applies with targets="):
        stance.classify("We will strike Taiwan.", model=KeywordClassifier(), **{option: "China"})


def test_dir_lists_only_public_names():
    names = dir(stance)
    assert "Any" not in names and "annotations" not in names
    assert set(stance.__all__) <= set(names) and {"classify", "load", "ActorResolver"} <= set(names)
    assert all(hasattr(stance, n) for n in names)


def test_spacy_component_checks_its_model_when_added():
    import spacy

    import stance.spacy_component  # noqa: F401  registers the factory

    nlp = spacy.blank("en")
    with pytest.raises(ModelNotFoundError, match="nope"):
        nlp.add_pipe("stance", config={"model": "nope"})
    assert "stance" not in nlp.pipe_names


def test_article_options_with_targets_are_refused():
    from stance.errors import InvalidInputError
    from stance.testing import KeywordClassifier

    with pytest.raises(InvalidInputError, match="n_process"):
        stance.classify("We will strike Atlantis.", targets=["Atlantis"], n_process=2, model=KeywordClassifier())
    with pytest.raises(InvalidInputError, match="person_targets"):
        stance.classify("We will strike Atlantis.", targets=["Atlantis"], person_targets=False, model=KeywordClassifier())
