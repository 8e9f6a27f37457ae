"""The actor resolver and its shipped tables."""

from __future__ import annotations

import pytest

from stance.actors import ActorResolver, default_resolver, normalize_alias, resolve_records
from stance.errors import InvalidInputError


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.mark.parametrize(
    "mention, name, code",
    [
        ("Beijing", "China", "CHN"),
        ("Japanese", "Japan", "JPN"),
        ("the Kremlin", "Russia", "RUS"),
        ("The White House", "United States", "USA"),
        ("the Pentagon", "United States", "USA"),
        ("Downing Street", "United Kingdom", "GBR"),
        ("U.S.", "United States", "USA"),
        ("Taipei", "Taiwan", "TWN"),
        ("NATO", "NATO", "NATO"),
        ("the United Nations", "United Nations", "UN"),
        ("IAEA", "International Atomic Energy Agency", "IAEA"),
        ("European Union", "European Union", "EU"),
        ("ASEAN", "ASEAN", "ASEAN"),
        ("WHO", "World Health Organization", "WHO"),
        ("Vladimir Putin", "Russia", "RUS"),
        ("Japan's defence minister Nobuo Kishi", "Japan", "JPN"),
        ("Hamas", "Hamas", ""),
        ("Hezbollah", "Hezbollah", ""),
        ("China’s", "China", "CHN"),
        ("Burma", "Myanmar", "MMR"),  # the canonical name is "Myanmar", not the table's "Myanmar [Burma]"
        ("Myanmar", "Myanmar", "MMR"),
        ("the FBI", "United States", "USA"),  # an agency's acronym beside its full name in the Phoenix entry
        ("CIA", "United States", "USA"),
    ],
)
def test_resolves_mentions(resolver, mention, name, code):
    actor = resolver.resolve(mention)
    assert actor is not None, mention
    assert (actor.name, actor.code) == (name, code)


@pytest.mark.parametrize("mention", ["us", "who", "the world", "an official", "international community", "fbi", "JFK", "Gaza"])
def test_does_not_resolve_common_words(resolver, mention):
    assert resolver.resolve(mention) is None


def test_user_added_actor_and_alias(resolver):
    r = ActorResolver()
    actor = r.add("Atlantis", name="Atlantis", code="ATL", aliases=["Atlantean"])
    assert r.resolve("Atlantean") == actor and actor.code == "ATL"
    # attaching an alias to a known actor keeps its canonical name and code
    assert r.add("Middle Kingdom", name="China").code == "CHN"
    assert r.resolve("Middle Kingdom").name == "China"
    # additions are per instance
    assert resolver.resolve("Atlantean") is None
    found = r.find_in_text("The Atlantean navy said Atlantis will talk to Beijing.")
    assert [(m.text, m.actor.code) for m in found] == [("Atlantean", "ATL"), ("Atlantis", "ATL"), ("Beijing", "CHN")]


def test_add_rejects_bad_input():
    r = ActorResolver()
    with pytest.raises(InvalidInputError):
        r.add("", name="X")
    with pytest.raises(InvalidInputError):
        r.add("X", code=5)  # type: ignore[arg-type]


def test_find_in_text_offsets(resolver):
    text = "Japan and the U.S. warned North Korea, said the Kremlin."
    for m in resolver.find_in_text(text):
        assert text[m.start : m.end] == m.text
    assert [m.actor.code for m in resolver.find_in_text(text)] == ["JPN", "USA", "PRK", "RUS"]


def test_surname_lookup(resolver):
    assert resolver.surname("Obama").code == "USA"
    assert resolver.surname("Zzyzxq") is None
    assert resolver.surname("Sisi").code == "EGY"  # "al-Sisi" in the tables
    # family name first for Chinese and Korean leaders; the given names are not surnames
    assert resolver.surname("Xi").code == "CHN" and resolver.surname("Kim").code == "PRK"
    assert resolver.surname("Jinping") is None and resolver.surname("Un") is None
    assert resolver.surname("Wu").code == "TWN"  # "Joseph Wu" keeps the Western order


def test_former_officials_are_people_unless_asked(resolver):
    # the dictionary lists Hillary Clinton and George W. Bush as out of office: by name they are people,
    # with the office in the text they stand for the state (guideline 1 and 14)
    assert resolver.resolve("Hillary Clinton") is None and resolver.surname("Clinton") is None
    assert resolver.resolve("President George W. Bush").code == "USA"
    assert resolver.resolve("Barack Obama").code == "USA" and resolver.resolve("Sergey Lavrov").code == "RUS"
    old_news = ActorResolver(former_officials=True)
    assert old_news.resolve("Hillary Clinton").code == "USA" and old_news.surname("Clinton").code == "USA"


def test_normalize_alias():
    assert normalize_alias("  China’s_Army ") == "china's army"


def test_tables_are_small_and_have_provenance():
    from importlib import resources

    base = resources.files("stance") / "resources"
    total = sum((base / f).stat().st_size if hasattr(base / f, "stat") else len((base / f).read_bytes()) for f in ("actors.tsv", "aliases.tsv", "terms.tsv"))
    assert total < 3_000_000
    prov = (base / "PROVENANCE.md").read_text(encoding="utf-8")
    for needle in ("676801cd9cb2924bbbad09f86d15c9323e7097bf", "a3909e2aa02969ccaaa915a9626a5316e1cac0f8", "pycountry", "MIT"):
        assert needle in prov


def test_build_script_rebuilds_tables(shared_dir, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, str(root / "scripts" / "build_actor_tables.py"), "--shared", str(shared_dir), "--out", str(tmp_path)],
        check=True, capture_output=True,
    )
    for name in ("aliases.tsv", "terms.tsv"):
        shipped = (root / "stance" / "resources" / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == shipped, name


def test_resolve_records_fills_only_missing_actors(resolver):
    from stance.actors import resolve_records
    from stance.schema import PairRecord

    recs = [
        PairRecord(text="Beijing warned Tokyo.", target="Tokyo", speaker="Beijing"),
        PairRecord(text="Beijing warned Tokyo.", target="Tokyo", target_actor="Japan (gov)", speaker="Beijing",
                   speaker_actor="PRC"),
        PairRecord(text="Atlantis will respond.", target="Atlantis"),
    ]
    out = resolve_records(recs, resolver)
    assert [(r.target_actor, r.target_code, r.speaker_actor) for r in out] == [
        ("Japan", "JPN", "China"), ("Japan (gov)", None, "PRC"), (None, None, None)]
    assert out[2] is recs[2] and recs[0].target_actor is None  # nothing to fill: same record; inputs unchanged
    assert [r.text for r in out] == [r.text for r in recs]


def test_a_date_makes_officials_the_state_only_while_in_office():
    from datetime import date

    def code(resolver, name):
        actor = resolver.resolve(name)
        return actor.code if actor else None

    assert code(ActorResolver(date="2010-05-01"), "Hillary Clinton") == "USA"  # Secretary of State 2009-2013
    assert code(ActorResolver(date=date(2016, 9, 1)), "Hillary Clinton") is None  # a candidate: a person
    assert code(ActorResolver(date="2005-03-01"), "George W. Bush") == "USA"
    assert code(ActorResolver(date="2005-03-01"), "Bill Clinton") is None
    assert code(ActorResolver(date="2005-03-01"), "John Kerry") is None  # a senator (legislative role): a person
    assert code(ActorResolver(date="2005-03-01"), "Barack Obama") is None
    assert code(ActorResolver(date="2005-03-01"), "Beijing") == "CHN"  # places and organisations do not change
    for bad in ("May 2010", "2010-13-01", 2010):
        with pytest.raises(InvalidInputError, match="date"):
            ActorResolver(date=bad)


def test_a_surname_the_dictionary_gives_to_officials_of_several_states_decides_nothing(resolver):
    assert resolver.surname("Cruz") is None  # Cuban, Philippine, Portuguese, ... officials
    assert resolver.surname("Gonzalez") is None and resolver.surname("Said") is None
    assert resolver.surname("Putin").code == "RUS" and resolver.surname("Hadi").code == "YEM"  # hand-kept leaders decide


def test_resolve_bare_surnames_as_whole_article_mode_does():
    r = default_resolver()
    assert [r.resolve(n).code for n in ("Putin", "President Macron", "Netanyahu", "Michael Pompeo")] == ["RUS", "FRA", "ISR", "USA"]
    assert r.resolve("Jason Sullivan") is None and r.resolve("Smith") is None


def test_resolve_records_takes_mappings():
    [rec] = resolve_records([{"text": "We will respond.", "target": "Taiwan", "speaker": "Putin"}])
    assert (rec.target_code, rec.speaker_actor) == ("TWN", "Russia")


def test_leaders_after_2015_and_generic_name_heads():
    r = default_resolver()
    assert [r.resolve(n).code for n in ("President Buhari", "Duterte", "Leo Varadkar", "Jair Bolsonaro")] == ["NGA", "PHL", "IRL", "BRA"]
    assert r.surname("Front") is None and r.surname("Silva") != r.resolve("Lula")


def test_a_surname_shared_by_officials_of_many_states_is_nobodys_even_with_a_leader():
    r = default_resolver()
    assert r.surname("Johnson") is None and r.surname("Lee") is None and r.surname("Khan") is None
    from stance.extract import extract_statements

    st = extract_statements("Boris Johnson spoke on Monday. Johnson said the EU must move.")
    assert [s.speaker_actor for s in st] == ["United Kingdom"]
