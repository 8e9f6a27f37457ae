#!/usr/bin/env python3
"""Rebuild the actor tables shipped in ``stance/resources/`` (used by :mod:`stance.actors`).

Sources (see stance/resources/PROVENANCE.md for commits and licences):

* pycountry (ISO 3166-1 names, official and common names, alpha-3 codes);
* NGEC ``countries.csv`` (canonical short English names and demonyms / alternative names);
* PETRARCH2 / Phoenix ``Phoenix.Countries.actors.txt`` (state organisations, ministries,
  militaries and officials with their CAMEO role codes; the first three letters of a role
  code give the state), ``Phoenix.International.actors.txt`` (international organisations)
  and ``Phoenix.MilNonState.actors.txt`` (armed non-state groups);
* short hand-kept lists in this file: capitals and seats of government used as metonyms
  ("Beijing", "the Kremlin"), the major international organisations with their usual
  acronyms, leaders and ministers in office after the Phoenix dictionaries end (~2015),
  and a few common aliases the dictionaries lack.

Usage::

    python scripts/build_actor_tables.py [--shared ../shared] [--out stance/resources]

Writes ``actors.tsv`` (key, name, code, kind), ``aliases.tsv`` (alias, key, mention kind,
case flag) and ``terms.tsv`` (the alias of a Phoenix official and the dated roles of that official,
``STATE:start:end`` separated by spaces, for ``ActorResolver(date=...)``). Mention kinds: name, demonym, capital, place, igo, group, org, official (Phoenix
officials), office (a titled alias of a Phoenix official out of office when the dictionary was made: "president
clinton"), former (the bare name of such an official: "hillary clinton"; used only by
``ActorResolver(former_officials=True)``), leader (the hand-kept list of recent officials). The alias text is lower-cased with single spaces; the case flag is ``A`` when
the alias only counts in upper case (acronyms such as "US", "UN"), ``T`` when it must start
with a capital letter (names), and ``L`` when lower case is allowed.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------
# Hand-kept lists (metonyms and IGOs). Capitals and seats of government stand for their
# state when they act for it (annotation guideline, section 1).
CAPITALS: dict[str, list[str]] = {
    "AFG": ["Kabul"], "ALB": ["Tirana"], "DZA": ["Algiers"], "AGO": ["Luanda"],
    "ARG": ["Buenos Aires", "Casa Rosada"], "ARM": ["Yerevan"], "AUS": ["Canberra"],
    "AUT": ["Vienna"], "AZE": ["Baku"], "BHR": ["Manama"], "BGD": ["Dhaka"],
    "BLR": ["Minsk"], "BEL": [], "BOL": ["La Paz"], "BIH": ["Sarajevo"], "BRA": ["Brasilia", "Brasília", "Planalto"],
    "BGR": ["Sofia"], "BFA": ["Ouagadougou"], "KHM": ["Phnom Penh"], "CMR": ["Yaounde", "Yaoundé"],
    "CAN": ["Ottawa"], "CAF": ["Bangui"], "TCD": ["N'Djamena", "Ndjamena"], "CHL": ["Santiago"],
    "CHN": ["Beijing", "Peking", "Zhongnanhai"], "COL": ["Bogota", "Bogotá"], "COD": ["Kinshasa"],
    "HRV": ["Zagreb"], "CUB": ["Havana"], "CYP": ["Nicosia"], "CZE": ["Prague"],
    "DNK": ["Copenhagen"], "DJI": [], "ECU": ["Quito"], "EGY": ["Cairo"], "ERI": ["Asmara"],
    "EST": ["Tallinn"], "ETH": ["Addis Ababa"], "FIN": ["Helsinki"],
    "FRA": ["Paris", "the Elysee", "the Élysée", "Elysee Palace", "Élysée Palace", "Quai d'Orsay"],
    "GEO": ["Tbilisi"], "DEU": ["Berlin", "Bundestag"], "GHA": ["Accra"], "GRC": ["Athens"],
    "HUN": ["Budapest"], "ISL": ["Reykjavik"], "IND": ["New Delhi"], "IDN": ["Jakarta"],
    "IRN": ["Tehran", "Teheran"], "IRQ": ["Baghdad"], "IRL": ["Dublin"], "ISR": ["Jerusalem", "Knesset"],
    "ITA": ["Rome"], "JPN": ["Tokyo", "Kasumigaseki"], "JOR": ["Amman"], "KAZ": ["Astana", "Nur-Sultan"],
    "KEN": ["Nairobi"], "PRK": ["Pyongyang"], "KOR": ["Seoul", "Blue House"], "KWT": ["Kuwait City"],
    "KGZ": ["Bishkek"], "LAO": ["Vientiane"], "LVA": ["Riga"], "LBN": ["Beirut"], "LBY": ["Tripoli"],
    "LTU": ["Vilnius"], "MYS": ["Kuala Lumpur", "Putrajaya"], "MLI": ["Bamako"], "MEX": ["Mexico City"],
    "MDA": ["Chisinau"], "MNG": ["Ulaanbaatar", "Ulan Bator"], "MAR": ["Rabat"], "MOZ": ["Maputo"],
    "MMR": ["Naypyidaw", "Naypyitaw", "Nay Pyi Taw"], "NPL": ["Kathmandu"], "NLD": ["The Hague"],
    "NZL": [], "NIC": ["Managua"], "NER": ["Niamey"], "NGA": ["Abuja"], "NOR": ["Oslo"],
    "OMN": ["Muscat"], "PAK": ["Islamabad"], "PSE": ["Ramallah"], "PER": ["Lima"],
    "PHL": ["Manila", "Malacanang"], "POL": ["Warsaw"], "PRT": ["Lisbon"], "QAT": ["Doha"],
    "ROU": ["Bucharest"], "RUS": ["Moscow", "the Kremlin", "Kremlin"], "RWA": ["Kigali"],
    "SAU": ["Riyadh"], "SEN": ["Dakar"], "SRB": ["Belgrade"], "SVK": ["Bratislava"],
    "SVN": ["Ljubljana"], "SOM": ["Mogadishu"], "ZAF": ["Pretoria"], "SSD": ["Juba"],
    "ESP": ["Madrid", "Moncloa"], "LKA": ["Colombo"], "SDN": ["Khartoum"], "SWE": ["Stockholm"],
    "CHE": ["Bern", "Berne"], "SYR": ["Damascus"], "TWN": ["Taipei"], "TJK": ["Dushanbe"],
    "TZA": ["Dodoma"], "THA": ["Bangkok"], "TUN": ["Tunis"], "TUR": ["Ankara"],
    "TKM": ["Ashgabat"], "UGA": ["Kampala"], "UKR": ["Kyiv", "Kiev"], "ARE": ["Abu Dhabi"],
    "GBR": ["London", "Downing Street", "Whitehall", "Number 10"],
    "USA": ["Washington", "the White House", "White House", "the Pentagon", "Pentagon",
            "State Department", "Foggy Bottom", "Capitol Hill"],
    "UZB": ["Tashkent"], "VEN": ["Caracas", "Miraflores"], "VNM": ["Hanoi"], "YEM": ["Sanaa", "Sana'a"],
    "ZMB": ["Lusaka"], "ZWE": ["Harare"], "XKX": ["Pristina"], "MKD": ["Skopje"], "MNE": ["Podgorica"],
}

# Aliases the dictionaries lack or spell differently (flag L = lower case allowed).
EXTRA_STATE_ALIASES: dict[str, list[tuple[str, str]]] = {
    "CHN": [("mainland China", "T"), ("the mainland", "L"), ("PRC", "A"), ("Chinese Communist Party", "T"),
            ("CCP", "A"), ("PLA", "A"), ("People's Liberation Army", "T")],
    "TWN": [("Republic of China", "T"), ("ROC", "A"), ("Mainland Affairs Council", "T")],
    "USA": [("US", "A"), ("U.S.", "A"), ("USA", "A"), ("U.S.A.", "A"), ("America", "T"), ("Americans", "T"),
            ("United States", "T")],
    "GBR": [("UK", "A"), ("U.K.", "A"), ("Britain", "T"), ("Northern Ireland", "T")],
    "RUS": [("Russian Federation", "T")],
    "PRK": [("DPRK", "A"), ("N. Korea", "T")],
    "KOR": [("ROK", "A"), ("S. Korea", "T")],
    "IRN": [("Islamic Republic", "T")],
    "ISR": [("IDF", "A"), ("Israel Defense Forces", "T")],
    "UKR": [("Ukrainian", "T")],
    "PSE": [("Palestinian Authority", "T"), ("PA", "A")],
    "PHL": [("Philippine", "T")],
    "UZB": [("Uzbek", "T")],
    "NPL": [("Nepali", "T")],
    "ARG": [("Argentinian", "T")],
}

# Place names that contain a state's name but are not the state (seas, straits of open water,
# US states): matched as places so that the state inside them is not taken as an actor.
PLACES: list[str] = [
    "South China Sea", "East China Sea", "Sea of Japan", "Gulf of Mexico", "New Mexico", "Indian Ocean",
    "Arabian Sea", "Arabian Peninsula", "Irish Sea", "Philippine Sea", "Sea of Azov", "Gulf of Oman",
    "Gulf of Aden", "Korean Peninsula", "Dominican Republic",
]

# Major IGOs: key/acronym, canonical name, Phoenix code prefixes, extra aliases.
IGOS: list[tuple[str, str, list[str], list[str]]] = [
    ("UN", "United Nations", ["IGOUNO"], ["United Nations", "the UN", "U.N.", "UN", "U.N. Security Council",
                                          "UN Security Council", "Security Council", "General Assembly",
                                          "UN General Assembly", "U.N. General Assembly"]),
    ("IAEA", "International Atomic Energy Agency", ["IGOUNOIAE"], ["IAEA", "International Atomic Energy Agency"]),
    ("WHO", "World Health Organization", ["IGOUNOHLHWHO"], ["WHO", "World Health Organization", "World Health Organisation"]),
    ("NATO", "NATO", ["IGOWSTNAT"], ["NATO", "North Atlantic Treaty Organization", "North Atlantic Treaty Organisation",
                                     "the Atlantic alliance"]),
    ("EU", "European Union", ["IGOEUREEC", "IGOEUR"], ["EU", "E.U.", "European Union", "European Commission",
                                                      "European Council", "European Parliament", "Brussels"]),
    ("ASEAN", "ASEAN", ["IGOSEAASN"], ["ASEAN", "Association of Southeast Asian Nations",
                                       "Association of South East Asian Nations"]),
    ("AU", "African Union", ["IGOAFRAFU", "IGOAFROAU"], ["AU", "African Union"]),
    ("Arab League", "Arab League", ["IGOMEAARL"], ["Arab League", "League of Arab States"]),
    ("OPEC", "OPEC", ["IGOBUSOPC"], ["OPEC", "Organization of the Petroleum Exporting Countries"]),
    ("IMF", "International Monetary Fund", ["IGOBUSIMF"], ["IMF", "International Monetary Fund"]),
    ("World Bank", "World Bank", ["IGOUNODEVWBK", "IGOUNOWBK"], ["World Bank"]),
    ("WTO", "World Trade Organization", ["IGOBUSWTO"], ["WTO", "World Trade Organization"]),
    ("ECOWAS", "ECOWAS", ["IGOWAFBUSWAS"], ["ECOWAS", "Economic Community of West African States"]),
    ("OIC", "Organisation of Islamic Cooperation", ["IGOMOSOIC"], ["OIC", "Organisation of Islamic Cooperation",
                                                                  "Organization of Islamic Cooperation"]),
    ("OAS", "Organization of American States", ["IGOWHMOAS"], ["OAS", "Organization of American States"]),
    ("OSCE", "OSCE", ["IGOEUROSC"], ["OSCE", "Organization for Security and Co-operation in Europe"]),
    ("GCC", "Gulf Cooperation Council", ["IGOMEAGCC"], ["GCC", "Gulf Cooperation Council"]),
    ("SCO", "Shanghai Cooperation Organisation", ["IGOCAS"], ["SCO", "Shanghai Cooperation Organisation",
                                                             "Shanghai Cooperation Organization"]),
    ("ICC", "International Criminal Court", ["IGOUNOJUDICC"], ["ICC", "International Criminal Court"]),
    ("ICJ", "International Court of Justice", ["IGOUNOJUDICJ"], ["ICJ", "International Court of Justice"]),
    ("UNHCR", "UNHCR", ["IGOUNOREFHCR"], ["UNHCR"]),
    ("G7", "G7", [], ["G7", "G-7", "Group of Seven"]),
    ("G20", "G20", [], ["G20", "G-20", "Group of 20"]),
]

# Armed or political groups commonly named in news that Phoenix files lack or file elsewhere.
EXTRA_GROUPS: list[tuple[str, list[str]]] = [
    ("Islamic State", ["Islamic State", "ISIS", "ISIL", "IS", "Daesh", "Islamic State of Iraq and the Levant",
                       "Islamic State of Iraq and Syria"]),
    ("Hamas", ["Hamas", "Islamic Resistance Movement"]),
    ("Hezbollah", ["Hezbollah", "Hizbollah", "Hizballah"]),
    ("Taliban", ["Taliban", "the Taliban"]),
    ("al-Qaeda", ["al-Qaeda", "al Qaeda", "al-Qaida", "al Qaida", "Al-Qaeda", "Al Qaeda"]),
    ("Houthis", ["Houthis", "Houthi", "Huthis", "Huthi", "Ansar Allah"]),
    ("al-Shabaab", ["al-Shabaab", "al Shabaab", "Shabaab"]),
    ("Boko Haram", ["Boko Haram"]),
]

# Heads of state/government, foreign and defence ministers and IGO heads in office after the
# Phoenix dictionaries were last updated (~2015); each stands for its state (or IGO) when acting for it.
RECENT_OFFICIALS: dict[str, list[str]] = {
    "USA": ["Donald Trump", "Donald J. Trump", "Joe Biden", "Joseph Biden", "Kamala Harris", "Mike Pence",
            "Rex Tillerson", "Mike Pompeo", "Antony Blinken", "Marco Rubio", "Jim Mattis", "James Mattis",
            "Mark Esper", "Lloyd Austin", "Pete Hegseth", "Nikki Haley", "Linda Thomas-Greenfield", "Jake Sullivan"],
    "RUS": ["Vladimir Putin", "Sergei Lavrov", "Sergey Lavrov", "Sergei Shoigu", "Dmitry Peskov", "Maria Zakharova",
            "Mikhail Mishustin", "Andrei Belousov"],
    "CHN": ["Xi Jinping", "Li Keqiang", "Li Qiang", "Wang Yi", "Qin Gang", "Wei Fenghe", "Li Shangfu", "Dong Jun",
            "Zhao Lijian", "Wang Wenbin", "Hua Chunying", "Mao Ning", "Lin Jian"],
    "TWN": ["Tsai Ing-wen", "Lai Ching-te", "William Lai", "Joseph Wu", "Chiu Kuo-cheng"],
    "JPN": ["Shinzo Abe", "Yoshihide Suga", "Fumio Kishida", "Shigeru Ishiba", "Nobuo Kishi", "Toshimitsu Motegi",
            "Yoshimasa Hayashi", "Taro Kono"],
    "PRK": ["Kim Jong Un", "Kim Jong-un", "Kim Jong-Un", "Kim Yo Jong", "Kim Yo-jong", "Ri Yong Ho", "Choe Son Hui"],
    "KOR": ["Moon Jae-in", "Yoon Suk Yeol", "Yoon Suk-yeol", "Lee Jae-myung", "Park Geun-hye"],
    "UKR": ["Volodymyr Zelensky", "Volodymyr Zelenskiy", "Volodymyr Zelenskyy", "Dmytro Kuleba", "Petro Poroshenko",
            "Andrii Sybiha"],
    "FRA": ["Emmanuel Macron", "Jean-Yves Le Drian"],
    "DEU": ["Angela Merkel", "Olaf Scholz", "Friedrich Merz", "Annalena Baerbock"],
    "GBR": ["Theresa May", "Boris Johnson", "Liz Truss", "Rishi Sunak", "Keir Starmer", "David Lammy"],
    "IRN": ["Hassan Rouhani", "Ebrahim Raisi", "Masoud Pezeshkian", "Ali Khamenei", "Ayatollah Ali Khamenei",
            "Mohammad Javad Zarif", "Javad Zarif", "Hossein Amir-Abdollahian", "Abbas Araghchi"],
    "ISR": ["Benjamin Netanyahu", "Naftali Bennett", "Yair Lapid", "Yoav Gallant", "Israel Katz", "Isaac Herzog"],
    "SAU": ["Mohammed bin Salman", "King Salman"],
    "TUR": ["Recep Tayyip Erdogan", "Tayyip Erdogan", "Mevlut Cavusoglu", "Hakan Fidan"],
    "IND": ["Narendra Modi", "Subrahmanyam Jaishankar"],
    "PAK": ["Imran Khan", "Shehbaz Sharif"],
    "SYR": ["Bashar al-Assad", "Bashar Assad", "Ahmed al-Sharaa"],
    "VEN": ["Nicolas Maduro", "Nicolás Maduro"],
    "CAN": ["Justin Trudeau", "Mark Carney"],
    "AUS": ["Scott Morrison", "Anthony Albanese"],
    "BLR": ["Alexander Lukashenko"],
    "AFG": ["Ashraf Ghani"],
    # heads of state or government in office after ~2015 (public record; added in stop 16); leaders whose surnames
    # are common elsewhere (Pedro Sanchez, Micheal Martin, Simon Harris, Alberto Fernandez) are left out, since a
    # hand-kept surname would resolve every bearer of it
    "NGA": ["Muhammadu Buhari", "Bola Tinubu"],
    "IRL": ["Leo Varadkar"],
    "ITA": ["Giuseppe Conte", "Mario Draghi", "Giorgia Meloni", "Matteo Salvini", "Sergio Mattarella"],
    "BRA": ["Jair Bolsonaro", "Lula"],  # "Lula da Silva" would make every Silva Brazil
    "MEX": ["Andres Manuel Lopez Obrador", "Andrés Manuel López Obrador", "Claudia Sheinbaum"],
    "PHL": ["Rodrigo Duterte"],
    "IDN": ["Joko Widodo", "Prabowo Subianto"],
    "ZAF": ["Cyril Ramaphosa"],
    "KEN": ["Uhuru Kenyatta", "William Ruto"],
    "HUN": ["Viktor Orban", "Viktor Orbán"],
    "POL": ["Andrzej Duda", "Mateusz Morawiecki"],
    "NZL": ["Jacinda Ardern"],
    "ARM": ["Nikol Pashinyan"],
    "KAZ": ["Kassym-Jomart Tokayev"],
    "MMR": ["Min Aung Hlaing"],
    "ARG": ["Mauricio Macri", "Javier Milei"],
    "COL": ["Ivan Duque", "Iván Duque", "Gustavo Petro"],
    "CHL": ["Sebastian Pinera", "Sebastián Piñera", "Gabriel Boric"],
    "SRB": ["Aleksandar Vucic", "Aleksandar Vučić"],
    "GRC": ["Alexis Tsipras", "Kyriakos Mitsotakis"],
    "AUT": ["Sebastian Kurz"],
    "ZWE": ["Emmerson Mnangagwa"],
    "COD": ["Felix Tshisekedi", "Félix Tshisekedi"],
    "ETH": ["Abiy Ahmed"],
    # in office past the dictionaries' end; their surnames are too common elsewhere to resolve from Phoenix alone
    "YEM": ["Abd Rabbuh Mansur Hadi", "Abdrabbuh Mansur Hadi", "Abed Rabbo Mansour Hadi"],
    "IRQ": ["Haider al-Abadi", "Haider al-Abbadi"],
}
RECENT_IGO_OFFICIALS: dict[str, list[str]] = {
    "UN": ["Antonio Guterres", "António Guterres"],
    "NATO": ["Jens Stoltenberg", "Mark Rutte"],
    "EU": ["Ursula von der Leyen", "Josep Borrell", "Charles Michel", "Kaja Kallas"],
    "IAEA": ["Rafael Grossi", "Yukiya Amano"],
    "WHO": ["Tedros Adhanom Ghebreyesus"],
}

# Phoenix group aliases that are ordinary English phrases (translations of a group's name, nicknames)
# and would match text that does not name the group: '"We will win," he said' is not Venceremos,
# "the Foundation" not El Rukn, "National Front" mostly the French party, not Revolutionary People's Struggle
GROUP_ALIAS_EXCLUDE = frozenset([
    "we will win", "the foundation", "the cornerstone", "the lightning", "the avengers", "may 15", "may 98",
    "national front", "american front", "thus far and no further", "order, the", "anarchists, the", "triple a",
])

ACRONYM_ALIASES = {"IS"}  # extra aliases that only count in upper case


# ---------------------------------------------------------------------------------------
def norm(alias: str) -> str:
    """The lookup form of an alias: NFC, curly apostrophes straightened, single spaces, lower case."""
    a = unicodedata.normalize("NFC", alias).replace("’", "'").replace("‘", "'")
    a = a.replace("_", " ")
    a = re.sub(r"\s+", " ", a).strip()
    return a.lower()


def case_flag(alias: str) -> str:
    stripped = alias.replace(".", "").replace("-", "")
    if alias in ACRONYM_ALIASES or (stripped.isupper() and len(stripped) <= 5 and " " not in alias):
        return "A"
    return "T"


_CODE = re.compile(r"\[([^\]]*)\]")


def parse_phoenix(path: Path) -> list[dict]:
    """Parse a PETRARCH/Phoenix actor dictionary into entries {names: [...], codes: [(code, from_tab)]}."""
    entries: list[dict] = []
    cur: dict | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = [c.split()[0] for c in _CODE.findall(line) if c.split()]
        body = _CODE.sub("", line)
        if raw[:1] in ("\t", " ") and not body.strip().startswith("+"):
            if cur is not None:
                cur["codes"].extend((c, True) for c in codes)
                # the dated role lines: the last one without an end date is the person's role when the
                # dictionary was made ("[USAELI]" after "[USAGOV 930120-010120]": a former official)
                cur["roles"].extend(c.strip() for c in _CODE.findall(line) if c.split())
            continue
        if body.lstrip().startswith("+"):
            if cur is None:
                continue
            for name in body.strip().split("+"):
                if name.strip():
                    cur["names"].append(name.strip())
            cur["codes"].extend((c, False) for c in codes)
            continue
        cur = {"names": [body.strip()], "codes": [(c, False) for c in codes], "roles": []}
        entries.append(cur)
    return entries


#: Words of an office in an official's alias ("president clinton", "secretary of state hillary clinton").
OFFICE_WORDS = frozenset(
    "president president-elect secretary minister premier prime governor gov. senator vice chancellor king queen "
    "general gen. ambassador envoy administration".split()
)


def is_former(roles: list[str]) -> bool:
    """Whether a Phoenix person was out of office when the dictionary was made: every government, military or
    party role (codes not ending in ELI, "elite") has an end date (``[USAGOV 930120-010120]``); none is open
    (``[USAGOV >090120]``, ``[EGYGOV > 140608]`` or undated)."""
    office = [r.split() for r in roles if not r.split()[0].endswith("ELI")]
    if not office:
        return False
    return all(len(p) >= 2 and not p[1].startswith(">") and "-" in p[-1] for p in office)


_ROLE = re.compile(r"^([A-Z]{3})[A-Z]*\s*(?:(\d{6})-(\d{6})|>\s*(\d{6})|<\s*(\d{6}))$")


def _role_date(yymmdd: str) -> str:
    """``090120`` -> ``2009-01-20``; two-digit years above 30 are 19xx (the dictionaries end ~2015)."""
    yy = int(yymmdd[:2])
    return f"{1900 + yy if yy > 30 else 2000 + yy}-{yymmdd[2:4]}-{yymmdd[4:6]}"


def role_terms(roles: list[str]) -> list[str]:
    """The dated government and military roles of a Phoenix person as ``STATE:start:end`` (ISO dates; an empty
    bound is open): ``[USAGOV 930120-010120]`` -> ``USA:1993-01-20:2001-01-20``, ``[USAGOV >090120]`` ->
    ``USA:2009-01-20:``, ``[RUSGOV <991231]`` -> ``RUS::1999-12-31``. Elite and legislative roles (codes ending in
    ELI or LEG) and undated roles give nothing."""
    out = []
    for r in roles:
        m = _ROLE.match(r.strip())
        if not m or r.split()[0].endswith(("ELI", "LEG")):
            continue  # elites and legislators do not act for the state (senators are people, guideline 14)
        state, a, b, after, before = m.groups()
        if a:
            out.append(f"{state}:{_role_date(a)}:{_role_date(b)}")
        elif after:
            out.append(f"{state}:{_role_date(after)}:")
        else:
            out.append(f"{state}::{_role_date(before)}")
    return out


def is_acronym_of(word: str, names: list[str]) -> bool:
    """Whether ``word`` is the initials of another name of the same entry ("FBI" beside "Federal Bureau
    of Investigation"; "of", "the", "and", "for" skipped)."""
    w = word.replace(".", "").upper()
    if len(w) < 2 or not w.isalpha():
        return False
    for n in names:
        words = [x for x in re.split(r"[\s-]+", n) if x and x.lower() not in ("of", "the", "and", "for")]
        if len(words) == len(w) and "".join(x[0].upper() for x in words) == w:
            return True
    return False


def clean_name(name: str) -> str:
    n = name.replace("_", " ")
    n = re.sub(r"\([^)]*\)", " ", n)
    return re.sub(r"\s+", " ", n).strip(" -,")


def build(shared: Path, out: Path) -> dict[str, int]:
    import pycountry

    petr = shared / "data" / "petrarch2_cameo_dictionaries"
    ngec = shared / "data" / "ngec_plover_assets"
    actors: dict[str, tuple[str, str, str]] = {}  # key -> (name, code, kind)
    aliases: dict[str, tuple[str, str, str]] = {}  # norm alias -> (key, mention kind, case flag)
    priority = {"name": 0, "place": 0, "demonym": 1, "capital": 2, "igo": 0, "group": 3, "leader": 4, "org": 4, "official": 5, "office": 5, "former": 6}

    def add_alias(alias: str, key: str, kind: str, flag: str | None = None) -> None:
        a = norm(alias)
        if len(a) < 2 or not any(ch.isalpha() for ch in a):
            return
        flag = flag or case_flag(alias)
        old = aliases.get(a)
        if old is not None and priority[old[1]] <= priority[kind]:
            return
        aliases[a] = (key, kind, flag)

    # -- states: NGEC names are the canonical short English names -----------------------
    ngec_rows = list(csv.DictReader(open(ngec / "countries.csv", encoding="utf-8")))
    state_words: dict[str, set[str]] = defaultdict(set)
    for row in ngec_rows:
        iso3 = row["CCA3"].strip()
        if iso3 in ("UNO", "EUR"):  # international organisations, handled with the IGOs below
            continue
        if len(iso3) != 3:  # breakaway regions (South Ossetia, Transnistria, ...): actors of their own
            gkey = "G:" + row["Name"].strip()
            actors[gkey] = (row["Name"].strip(), "", "group")
            add_alias(row["Name"], gkey, "group", "T")
            for alt in row["Nationality"].split(","):
                if alt.strip():
                    add_alias(alt.strip(), gkey, "group", "T")
            continue
        # "Myanmar [Burma]": the bracketed alternative is an alias, not part of the canonical name
        actors[iso3] = (re.sub(r"\s*\[[^\]]*\]", "", row["Name"]).strip(), iso3, "state")
        add_alias(row["Name"], iso3, "name")
        for alt in re.findall(r"\[([^\]]+)\]", row["Name"]):
            add_alias(alt, iso3, "name")
        state_words[iso3].update(norm(row["Name"]).split())
        for alt in row["Nationality"].split(","):
            alt = alt.strip()
            if not alt:
                continue
            # territories listed under their sovereign (Guam, Bermuda, ...) are places, not the state
            kind = "demonym" if alt[0].isupper() and (alt.endswith(("n", "ns", "ese", "ish", "i", "is", "ic", "ian", "ians"))) else "name"
            add_alias(alt, iso3, kind)
            state_words[iso3].update(norm(alt).split())
    for c in pycountry.countries:
        iso3 = c.alpha_3
        if iso3 not in actors:
            actors[iso3] = (getattr(c, "common_name", None) or c.name, iso3, "state")
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                add_alias(value, iso3, "name")
                state_words[iso3].update(norm(value).split())
    generic = {"republic", "of", "the", "and", "democratic", "people's", "islands", "state", "states", "united",
               "kingdom", "federal", "islamic", "arab", "new", "south", "north", "east", "west", "saint", "st",
               "great", "central", "plurinational", "federation", "union", "socialist", "territories", "union"}
    actors["PLACE"] = ("(place)", "", "place")
    for place in PLACES:
        if place == "Dominican Republic":
            continue  # a state; listed so the US state list never shadows it
        add_alias(place, "PLACE", "place", "T")
    for iso3, caps in CAPITALS.items():
        for cap in caps:
            add_alias(cap, iso3, "capital", "T")
    for iso3, extra in EXTRA_STATE_ALIASES.items():
        for alias, flag in extra:
            add_alias(alias, iso3, "name", flag)

    # -- Phoenix country file: state synonyms, organisations and officials ---------------
    n_org = n_off = 0
    dated: dict[str, list[str]] = {}  # alias -> the dated roles of the official it names
    for entry in parse_phoenix(petr / "Phoenix.Countries.actors.txt"):
        codes = [c for c, _ in entry["codes"]]
        if not codes:
            continue
        names = [clean_name(n) for n in entry["names"]]
        if len(codes) == 1 and len(codes[0]) == 3 and codes[0] in actors:
            iso3 = codes[0]
            key_words = state_words[iso3] - generic
            for n in names:
                # keep spelling variants of the state's own name; drop city synonyms
                if set(norm(n).split()) & key_words:
                    add_alias(n, iso3, "name", "T")
            continue
        # officials: the latest dated role decides the state; organisations: the code
        tab_codes = [c for c, tab in entry["codes"] if tab]
        code = (tab_codes or codes)[-1]
        iso3 = code[:3]
        if iso3 not in actors or actors[iso3][2] != "state":
            continue
        kind = "official" if tab_codes else "org"
        former = kind == "official" and is_former(entry["roles"])
        terms = role_terms(entry["roles"]) if kind == "official" else []
        for n in names:
            if terms and len(n.split()) >= 2 and not set(norm(n).split()) & OFFICE_WORDS:
                dated.setdefault(norm(n), terms)  # bare names only: a title in the text says the office itself
            if len(n.split()) < 2:
                # single words (surnames, generic nouns) are too ambiguous; an agency's acronym in
                # capitals ("FBI", "CIA", "NSA") is not
                if not former and is_acronym_of(n, names):
                    add_alias(n, iso3, kind, "A")
                continue
            if former:
                # an official out of office when the dictionary was made (Bill and Hillary Clinton, George W.
                # Bush, ...) acts for the state only where the text gives the office ("President Clinton");
                # the bare name is a person (guideline 1 and 14) unless a resolver asks for former officials
                add_alias(n, iso3, "office" if set(norm(n).split()) & OFFICE_WORDS else "former", "T")
                continue
            add_alias(n, iso3, kind, "T")
            if kind == "official":
                n_off += 1
            else:
                n_org += 1

    for iso3, names in RECENT_OFFICIALS.items():
        for n in names:
            add_alias(n, iso3, "leader", "T")

    # -- international organisations ---------------------------------------------------
    code_to_igo: list[tuple[str, str]] = []
    for key, name, prefixes, extra in IGOS:
        actors[key] = (name, key, "igo")
        for p in prefixes:
            code_to_igo.append((p, key))
        for alias in extra:
            add_alias(alias, key, "igo")
    for key, names in RECENT_IGO_OFFICIALS.items():
        for n in names:
            add_alias(n, key, "leader", "T")
    code_to_igo.sort(key=lambda t: -len(t[0]))
    n_igo = 0
    for entry in parse_phoenix(petr / "Phoenix.International.actors.txt"):
        codes = [c for c, _ in entry["codes"] if c.startswith("IGO")]
        if not codes:
            continue
        code = codes[-1]
        key = next((k for p, k in code_to_igo if code.startswith(p)), None)
        if key is None:
            continue
        for n in entry["names"]:
            n = clean_name(n)
            if len(n.split()) >= 2 or case_flag(n) == "A":
                add_alias(n, key, "igo")
                n_igo += 1

    # -- armed non-state groups -----------------------------------------------------------
    n_grp = 0
    for gname, galiases in EXTRA_GROUPS:
        key = "G:" + gname
        actors[key] = (gname, "", "group")
        for a in galiases:
            add_alias(a, key, "group")
    for entry in parse_phoenix(petr / "Phoenix.MilNonState.actors.txt"):
        if not entry["codes"]:
            continue
        names = [clean_name(n) for n in entry["names"] if clean_name(n)]
        if not names:
            continue
        primary = names[0].title().replace("'S ", "'s ").replace(" Of ", " of ").replace(" The ", " the ").replace(" And ", " and ").replace(" In ", " in ").replace(" For ", " for ")
        existing = aliases.get(norm(names[0]))
        key = existing[0] if existing and existing[1] == "group" else "G:" + primary
        if key not in actors:
            actors[key] = (primary, "", "group")
        for n in names:
            if norm(n) in GROUP_ALIAS_EXCLUDE:
                continue
            if len(n.split()) >= 2 or len(n) >= 6:
                add_alias(n, key, "group", "T")
                n_grp += 1

    out.mkdir(parents=True, exist_ok=True)
    with open(out / "actors.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("key\tname\tcode\tkind\n")
        for key in sorted(actors):
            name, code, kind = actors[key]
            f.write(f"{key}\t{name}\t{code}\t{kind}\n")
    used = {k for k, _, _ in aliases.values()}
    with open(out / "aliases.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("alias\tkey\tkind\tcase\n")
        for a in sorted(aliases):
            key, kind, flag = aliases[a]
            f.write(f"{a}\t{key}\t{kind}\t{flag}\n")
    # the dated roles of the officials whose aliases the tables keep (for ActorResolver(date=...))
    n_dated = 0
    with open(out / "terms.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("alias\tterms\n")
        for a in sorted(dated):
            if a in aliases and aliases[a][1] in ("official", "former", "office"):
                f.write(f"{a}\t{' '.join(dated[a])}\n")
                n_dated += 1
    return {"actors": len(actors), "aliases": len(aliases), "actors_with_aliases": len(used), "dated_aliases": n_dated,
            "official_aliases": n_off, "org_aliases": n_org, "igo_aliases": n_igo, "group_aliases": n_grp}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared corpora folder")
    ap.add_argument("--out", type=Path, default=ROOT / "stance" / "resources")
    args = ap.parse_args(argv)
    stats = build(args.shared, args.out)
    for k, v in stats.items():
        sys.stdout.write(f"{k}: {v}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
