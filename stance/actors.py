"""Actors: from mentions in text to canonical actors (states, IGOs, armed groups).

:class:`ActorResolver` maps surface mentions to :class:`Actor` objects:

* states by name (pycountry, NGEC ``countries.csv``, PETRARCH/Phoenix spelling variants) and
  demonym ("Japanese" -> Japan);
* capitals and seats of government used as metonyms ("Beijing", "the Kremlin", "the White
  House", "Downing Street") -> their state;
* state organisations, ministries, militaries and officials from the Phoenix actor dictionary
  ("People's Liberation Army", "Vladimir Putin") -> their state;
* international organisations (UN, NATO, EU, ASEAN, IAEA, WHO, ...) with their usual acronym as
  ``code``;
* armed or political non-state groups (Phoenix ``MilNonState``; Hamas, Hezbollah, Taliban, ...)
  with an empty ``code``.

The tables ship in ``stance/resources/`` (``actors.tsv``, ``aliases.tsv``; see
``PROVENANCE.md`` there) and are rebuilt by ``scripts/build_actor_tables.py``. They are read
on first use, not at import. Users add their own actors with :meth:`ActorResolver.add`.

>>> r = ActorResolver()
>>> r.resolve("Beijing").name, r.resolve("Beijing").code
('China', 'CHN')
>>> r.resolve("the Kremlin").name
'Russia'
>>> r.resolve("Japanese").code
'JPN'
>>> _ = r.add("Atlantis", name="Atlantis", code="ATL", aliases=["Atlantean"])
>>> r.resolve("Atlantean").code
'ATL'
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Iterable, Sequence

from stance.errors import InvalidInputError

__all__ = ["Actor", "ActorMention", "ActorResolver", "normalize_alias", "default_resolver", "resolve_records"]

#: Kinds of actor in the tables.
ACTOR_KINDS = ("state", "igo", "group", "person", "custom", "place")
#: Kinds of mention (how an alias refers to its actor).
MENTION_KINDS = ("name", "demonym", "capital", "place", "org", "official", "office", "former", "leader", "igo", "group", "custom")
_MAX_ALIAS_TOKENS = 12
# states whose leaders' names put the family name first (in the hand-kept list; "Joseph Wu" and
# "William Lai" keep the Western order and are told apart by their longer first word)
SURNAME_FIRST_STATES = frozenset({"CHN", "TWN", "PRK", "KOR", "VNM"})
# last words of official/organisation aliases that are not surnames
_GENERIC_HEADS = frozenset(
    """government ministry minister army forces force police party council office state states administration
    president king queen prince court parliament assembly congress senate committee commission agency
    department navy guard guards military embassy cabinet regime authority authorities leadership front movement
    union alliance league coalition bloc""".split()
)


@dataclass(frozen=True)
class Actor:
    """A canonical actor. ``code``: ISO 3166-1 alpha-3 for states, the usual acronym for
    international organisations, empty for other actors. ``key`` identifies the actor
    (the code for states and IGOs)."""

    key: str
    name: str
    code: str
    kind: str


@dataclass(frozen=True)
class ActorMention:
    """A mention of an actor in a text: ``text[start:end]`` refers to ``actor``.
    ``kind`` says how (``name``, ``demonym``, ``capital``, ``org``, ``official``, ``office`` (a
    titled mention of a former office holder, "President Clinton"), ``igo``,
    ``group``, ``person``, ``custom``)."""

    start: int
    end: int
    text: str
    actor: Actor
    kind: str


def normalize_alias(alias: str) -> str:
    """The lookup form of a mention: NFC, straight apostrophes, single spaces, lower case."""
    a = unicodedata.normalize("NFC", alias).replace("\u2019", "'").replace("\u2018", "'")
    a = a.replace("_", " ")
    return " ".join(a.split()).lower()


_TABLE_LOCK = threading.Lock()
_TABLES: tuple[dict[str, Actor], dict[str, tuple[str, str, str]]] | None = None


def _load_tables() -> tuple[dict[str, Actor], dict[str, tuple[str, str, str]]]:
    global _TABLES
    with _TABLE_LOCK:
        if _TABLES is None:
            base = resources.files("stance") / "resources"
            actors: dict[str, Actor] = {}
            with (base / "actors.tsv").open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                    actors[row["key"]] = Actor(row["key"], row["name"], row["code"], row["kind"])
            aliases: dict[str, tuple[str, str, str]] = {}
            with (base / "aliases.tsv").open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                    aliases[row["alias"]] = (row["key"], row["kind"], row["case"])
            _TABLES = (actors, aliases)
        return _TABLES


_TERMS: dict[str, list[tuple[str, str, str]]] | None = None


def _load_terms() -> dict[str, list[tuple[str, str, str]]]:
    """alias -> the dated roles ``(state, start, end)`` of the official it names (ISO dates, "" = open)."""
    global _TERMS
    with _TABLE_LOCK:
        if _TERMS is None:
            terms: dict[str, list[tuple[str, str, str]]] = {}
            with (resources.files("stance") / "resources" / "terms.tsv").open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                    terms[row["alias"]] = [tuple(t.split(":")) for t in row["terms"].split()]  # type: ignore[misc]
            _TERMS = terms
        return _TERMS


def iso_date(value: Any) -> str:
    """An ISO date string (``YYYY-MM-DD``) from a string, ``datetime.date`` or ``datetime.datetime``."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    raise InvalidInputError(f"date must be a date or an ISO date string such as '2010-05-01', got {value!r}")


def _case_ok(surface: str, flag: str) -> bool:
    """Whether ``surface`` has the letter case an alias with ``flag`` requires."""
    if flag == "L":
        return True
    letters = [c for c in surface if c.isalpha()]
    if not letters:
        return False
    if flag == "A":
        return all(c.isupper() for c in letters)
    words = surface.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return words[0][:1].isupper()


class ActorResolver:
    """Maps mentions to canonical actors using the shipped tables plus user additions.

    ``extra`` is an optional iterable of ``(alias, name, code)`` triples added at start.
    Officials whom the event-coding dictionary lists as out of office (Bill and Hillary Clinton,
    George W. Bush, ...) stand for their state only where the text names the office ("President
    Clinton"); by the bare name they are people (guideline 1 and 14). For news from their time in
    office, ``former_officials=True`` makes every official of the tables stand for the state.
    Better, ``date`` (the article's date, ``"2010-05-01"`` or a ``datetime.date``) makes each
    official whose roles the dictionary dates stand for the state only while in office then:
    Hillary Clinton is the United States in 2010 and a person in 2016, George W. Bush the
    United States in 2005. The dictionary's dates end around 2015: a role still open then
    counts as open, and the hand-kept list of later leaders is undated (always in office).
    Instances are cheap after the first (the tables are read once per process and shared;
    additions are per instance).

    >>> resolver = ActorResolver()
    >>> actor = resolver.resolve("Beijing")
    >>> actor.name, actor.code
    ('China', 'CHN')
    >>> resolver.resolve("the Kremlin").code, resolver.resolve("Japanese").name
    ('RUS', 'Japan')
    >>> resolver.add("Azov", name="Azov Brigade").name
    'Azov Brigade'
    """

    def __init__(self, extra: Iterable[tuple[str, str, str]] | None = None, former_officials: bool = False,
                 date: Any = None):
        base_actors, base_aliases = _load_tables()
        self.former_officials = former_officials
        self.date = iso_date(date) if date is not None else None
        self._actors: dict[str, Actor] = dict(base_actors)
        if former_officials:
            self._aliases: dict[str, tuple[str, str, str]] = {
                k: ((v[0], "official", v[2]) if v[1] in ("former", "office") else v) for k, v in base_aliases.items()
            }
        else:
            self._aliases = {k: v for k, v in base_aliases.items() if v[1] != "former"}
        if self.date is not None:
            # an official stands for the state whose role covers the date; out of office, a person
            for alias, terms in _load_terms().items():
                base = base_aliases.get(alias)
                if base is None:
                    continue
                state = next((st for st, start, end in terms if (not start or start <= self.date) and (not end or self.date <= end)
                              and st in self._actors), None)
                if state is not None:
                    self._aliases[alias] = (state, "official", base[2])
                else:
                    self._aliases.pop(alias, None)
        self._by_name: dict[str, Actor] = {}
        for a in self._actors.values():
            self._by_name.setdefault(a.name.lower(), a)
            if a.code:
                self._by_name.setdefault(a.code.lower(), a)
        self._max_tokens = _MAX_ALIAS_TOKENS
        self._surnames: dict[str, dict[str, int]] | None = None
        self._first_names: dict[str, set[str]] = {}
        for alias, name, code in extra or ():
            self.add(alias, name=name, code=code)

    # -- lookups ---------------------------------------------------------------------------
    def actor(self, name_or_code: str) -> Actor | None:
        """The actor with this canonical name or code (case-insensitive), or ``None``."""
        return self._by_name.get(str(name_or_code).lower())

    def lookup(self, mention: str, check_case: bool = True) -> tuple[Actor, str] | None:
        """``(actor, mention kind)`` for an exact alias, or ``None``. With ``check_case``
        acronyms must be upper case ("US", not "us") and names capitalised."""
        key = normalize_alias(mention)
        hit = self._aliases.get(key)
        if hit is None and key.startswith("the "):
            hit = self._aliases.get(key[4:])
        if hit is None:
            return None
        actor_key, kind, flag = hit
        if check_case and not _case_ok(mention.strip(), flag):
            return None
        return self._actors[actor_key], kind

    def resolve(self, mention: str) -> Actor | None:
        """The actor a mention stands for: an alias ("Beijing", "NATO", "Japanese"), a
        possessive ("China's"), or a phrase whose words contain one ("Japan's defence
        minister Nobuo Kishi" -> Japan, the first actor named). A bare name the tables know only as
        an official's surname resolves as whole-article mode resolves it ("Putin", "President
        Macron" -> Russia, France; "Jason Sullivan" is not Jake Sullivan's state). ``None`` when no
        actor is found.
        """
        if not isinstance(mention, str):
            raise InvalidInputError(f"mention must be a string, got {type(mention).__name__}")
        text = mention.strip()
        if not text:
            return None
        hit = self.lookup(text)
        if hit:
            return None if hit[1] == "place" else hit[0]
        found = self.find_in_text(text)
        if found:
            return found[0].actor
        words = [w for w in re.sub(r"['\u2019]s$", "", text).split() if w.rstrip(".").lower() not in _NAME_TITLES]
        if not words or len(words) > 2 or not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words):
            return None
        if len(words) == 1:
            return self.surname(words[0])
        return self.surname(words[1], unique=True, first_name=words[0])

    def surname(self, word: str, unique: bool = False, min_count: int = 3, first_name: str | None = None) -> Actor | None:
        """The actor of the officials in the tables whose names end in ``word`` ("Obama" ->
        United States): aliases count 1 (Phoenix officials) or 3 (the hand-kept list of recent
        leaders, user additions); the actor with the highest count wins when it reaches 3 and
        twice any other's; ``None`` otherwise (unknown, rare or ambiguous surnames, and surnames that
        officials of three or more states share, "Johnson" and "Lee" included). Two-letter
        surnames count only from the hand-kept list and user additions ("Xi" -> China). With
        ``unique``, only a surname that the tables give to one actor alone resolves (for a name
        with a first name that the tables do not know: "Graham Jones" is not Liberia's). ``min_count``
        is the count the winner needs (lower it only where other evidence says the name is an
        official's, as an office title before it does: "President Atambayev"). With ``first_name``,
        only officials of that first name (or its long form: "Mike" for "Michael") count."""
        if self._surnames is None:
            self._first_names = {}
            index: dict[str, dict[str, int]] = {}
            weight = {"official": 1, "leader": 3, "custom": 3}
            for alias, (key, kind, _) in self._aliases.items():
                parts = alias.split()
                last = parts[-1] if parts else ""
                # Arabic article prefixes: "al-sisi" is also known as "sisi"
                forms = [last] + ([last.split("-", 1)[1]] if re.match(r"^(?:al|el|ad|as|ash|at|az|an|ar)-[a-z]{3,}$", last) else [])
                if kind == "leader" and key in SURNAME_FIRST_STATES and len(parts) >= 2 and len(parts[0]) <= 5:
                    forms = [parts[0]]  # "Xi Jinping", "Kim Jong Un": the family name comes first
                for form in forms:
                    if (
                        kind in weight and len(parts) >= 2 and form.isalpha()
                        # two-letter surnames ("Xi", "Li") only from the hand-kept leaders and user additions
                        and (len(form) > 2 or (len(form) == 2 and kind != "official"))
                        and form not in _GENERIC_HEADS and not set(parts) & {"of", "the", "for"}
                    ):
                        counts = index.setdefault(form, {})
                        counts[key] = counts.get(key, 0) + weight[kind]
                        self._first_names.setdefault(form, set()).add(_first_name_key(parts[0]))
            self._surnames = index
        form = normalize_alias(word)
        counts = self._surnames.get(form)
        if not counts:
            return None
        if first_name is not None and _first_name_key(first_name) not in self._first_names.get(form, ()):
            return None  # "Jason Sullivan" is not Jake Sullivan
        if unique and len(counts) > 1:
            return None
        if len(counts) >= 3:
            # a surname the officials of three or more states share ("Cruz"), even with a hand-kept leader
            # among them ("Johnson", "Lee", "Khan"): no state; the article's own full name links it
            return None
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if ranked[0][1] < min_count or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return None  # a surname known from one or two Phoenix aliases is too weak evidence
        return self._actors[ranked[0][0]]

    # -- user additions --------------------------------------------------------------------
    def add(
        self,
        alias: str,
        name: str | None = None,
        code: str = "",
        kind: str = "custom",
        aliases: Sequence[str] = (),
        case_sensitive: bool = False,
    ) -> Actor:
        """Add an actor (or another alias of an existing one) to this resolver.

        ``alias`` is the surface form to match; ``name`` the canonical name (default: the
        alias). If ``name`` or ``code`` names an actor already known (e.g. ``name="China"``),
        the alias is attached to it. ``aliases`` adds more surface forms. With
        ``case_sensitive`` the alias only matches in upper case (for acronyms). Returns the
        actor.
        """
        for value, what in ((alias, "alias"), (name or alias, "name")):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInputError(f"{what} must be a non-empty string, got {value!r}")
        if not isinstance(code, str):
            raise InvalidInputError(f"code must be a string, got {type(code).__name__}")
        name = (name or alias).strip()
        actor = self.actor(name) or (self.actor(code) if code else None)
        if actor is None:
            key = code or f"custom:{name}"
            actor = Actor(key=key, name=name, code=code, kind=kind if kind in ACTOR_KINDS else "custom")
            self._actors[key] = actor
            self._by_name[name.lower()] = actor
            if code:
                self._by_name[code.lower()] = actor
        for a in (alias, *aliases):
            norm = normalize_alias(a)
            if not norm:
                raise InvalidInputError(f"alias must be a non-empty string, got {a!r}")
            self._aliases[norm] = (actor.key, "custom", "A" if case_sensitive else "L")
            self._max_tokens = max(self._max_tokens, len(norm.split()))
        self._surnames = None
        return actor

    # -- scanning ----------------------------------------------------------------------------
    def find_in_text(self, text: str) -> list[ActorMention]:
        """Actor mentions in plain text (whitespace/punctuation word split, longest match
        first). Whole-article mode uses :meth:`find_in_doc` on a spaCy ``Doc`` instead."""
        import re

        words = [(m.start(), m.end()) for m in re.finditer(r"[\w.'\u2019-]+|[^\w\s]", text)]
        # strip trailing dots/possessives from word ends (sentence ends, "China's")
        spans = []
        for s, e in words:
            w = text[s:e]
            for suffix in ("'s", "\u2019s"):
                if w.endswith(suffix) and len(w) > 2:
                    spans.append((s, e - 2))
                    spans.append((e - 2, e))
                    break
            else:
                if w.endswith(".") and len(w) > 1 and w.count(".") == 1:
                    spans.append((s, e - 1))
                    spans.append((e - 1, e))
                else:
                    spans.append((s, e))
        return self._scan(text, spans)

    def find_in_doc(self, doc: Any) -> list[ActorMention]:
        """Actor mentions in a spaCy ``Doc`` (longest match over token sequences)."""
        spans = [(t.idx, t.idx + len(t.text)) for t in doc]
        return self._scan(doc.text, spans, doc=doc)

    def _scan(self, text: str, spans: list[tuple[int, int]], doc: Any = None) -> list[ActorMention]:
        out: list[ActorMention] = []
        i, n = 0, len(spans)
        while i < n:
            first = text[spans[i][0] : spans[i][1]]
            if not any(c.isalpha() for c in first):
                i += 1
                continue
            matched = None
            for j in range(min(n, i + self._max_tokens), i, -1):
                s, e = spans[i][0], spans[j - 1][1]
                surface = text[s:e]
                if "\n" in surface:
                    continue
                hit = self._aliases.get(normalize_alias(surface))
                if hit is None:
                    continue
                key, kind, flag = hit
                if not _case_ok(surface, flag):
                    continue
                if doc is not None and not self._context_ok(doc, i, j, surface, kind):
                    continue
                matched = (j, ActorMention(s, e, surface, self._actors[key], kind))
                break
            if matched:
                if matched[1].kind != "place":  # "South China Sea" is a place, not China
                    out.append(matched[1])
                i = matched[0]
            else:
                i += 1
        return out

    @staticmethod
    def _context_ok(doc: Any, i: int, j: int, surface: str, kind: str = "") -> bool:
        """Cheap checks against common false alarms, using the spaCy tokens."""
        low = surface.lower()
        if low in ("the mainland", "mainland"):
            # "the mainland" stands for China only when no other place name follows
            nxt = doc[j] if j < len(doc) else None
            return not (nxt is not None and nxt.pos_ == "PROPN" and nxt.text not in ("China",))
        tok = doc[i]
        # a lone name that is part of a longer proper name ("Jordan Peterson", "Chad Smith");
        # a demonym is no first name ("Estonian MEP", which the small model tags as a person)
        if j - i == 1 and tok.ent_type_ == "PERSON" and tok.ent_iob_ != "O" and kind != "demonym":
            ent = next((e for e in doc.ents if e.start <= i < e.end), None)
            if ent is not None and len(ent) > 1:
                return False
        # a person alias that starts inside a longer name ("Adil [Abdul Mahdi]")
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I":
            return False
        # "Mr. French", "Ms. England": a courtesy title makes the next word a surname
        if kind in ("demonym", "name") and i > 0 and doc[i - 1].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr"):
            return False
        # "Central American", "Latin Americans", "African American": not the United States
        if low in ("american", "americans") and i > 0 and doc[i - 1].lower_ in (
            "central", "latin", "south", "north", "native", "african", "asian", "arab", "mexican", "irish", "italian", "pan"
        ):
            return False
        # "Donald Trump Jr.", "George Bush Sr.": a relative of the same name, not the office holder
        if kind in ("official", "leader", "office", "former", "person") and j < len(doc) and doc[j].text.rstrip(".") in GENERATION_SUFFIXES:
            return False
        # "Russian Security Council", "National Security Council": not the UN body
        if low.startswith(("security council", "general assembly")) and i > 0 and doc[i - 1].pos_ in ("PROPN", "ADJ"):
            return doc[i - 1].text in ("UN", "U.N.", "United", "Nations")
        return True


def _first_name_key(name: str) -> str:
    """A first name for comparison: lower case, without accents, long form ("Shinzō" = "shinzo", "Mike" = "michael")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", normalize_alias(name)) if not unicodedata.combining(c))
    return NICKNAMES.get(plain, plain)


# titles before a name that do not change whom it names ("President Macron", "Mr. Putin")
_NAME_TITLES = frozenset("mr mrs ms dr president pres prime minister premier chancellor secretary king sen senator gen general".split())


#: Name suffixes of relatives of the same name ("Donald Trump Jr."): such a person is not the office holder.
GENERATION_SUFFIXES = frozenset("Jr Sr II III IV".split())

#: Short forms of English first names, for matching one person's names ("Mike Flynn" and "Michael Flynn").
NICKNAMES = {
    "mike": "michael", "bill": "william", "will": "william", "bob": "robert", "rob": "robert", "jim": "james",
    "jimmy": "james", "joe": "joseph", "tom": "thomas", "dick": "richard", "rick": "richard", "ted": "edward",
    "chuck": "charles", "charlie": "charles", "tony": "anthony", "ron": "ronald", "don": "donald", "andy": "andrew",
    "steve": "stephen", "dan": "daniel", "dave": "david", "nick": "nicholas", "alex": "alexander", "ben": "benjamin",
    "sam": "samuel", "pat": "patrick", "liz": "elizabeth", "kate": "katherine", "jeff": "jeffrey", "greg": "gregory",
    "matt": "matthew", "chris": "christopher", "tim": "timothy", "jon": "jonathan", "larry": "lawrence",
}

_DEFAULT: ActorResolver | None = None


def default_resolver() -> ActorResolver:
    """A process-wide resolver with the shipped tables (no user additions)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ActorResolver()
    return _DEFAULT


def resolve_records(records: Iterable[Any], resolver: ActorResolver | None = None) -> list[Any]:
    """Fill in the canonical actors a pair record lacks, from its mentions.

    For each :class:`~stance.schema.PairRecord`, a missing ``target_actor`` (and then
    ``target_code``) comes from resolving ``target``, and a missing ``speaker_actor`` from
    resolving ``speaker``. Values the record already has are kept, and a mention that does not
    resolve leaves the field empty. Mappings are accepted as :meth:`PairRecord.coerce` reads them.
    Returns new records (records are frozen), in input order.
    This is what ``stance.classify(text, targets=...)`` and ``stance predict --resolve-actors``
    do before labelling; the default model was trained with canonical actors in its input.

    >>> from stance.schema import PairRecord
    >>> [r] = resolve_records([PairRecord(text="Beijing warned Tokyo.", target="Tokyo", speaker="Beijing")])
    >>> r.target_actor, r.target_code, r.speaker_actor
    ('Japan', 'JPN', 'China')
    """
    from stance.schema import records_from

    resolver = resolver if resolver is not None else default_resolver()
    out = []
    for rec in records_from(records)[0]:
        change: dict[str, Any] = {}
        if rec.target_actor is None and isinstance(rec.target, str) and rec.target.strip():
            found = resolver.resolve(rec.target)
            if found is not None:
                change["target_actor"] = found.name
                if rec.target_code is None and found.code:
                    change["target_code"] = found.code
        if rec.speaker_actor is None and isinstance(rec.speaker, str) and rec.speaker.strip():
            found = resolver.resolve(rec.speaker)
            if found is not None:
                change["speaker_actor"] = found.name
        out.append(replace(rec, **change) if change else rec)
    return out
