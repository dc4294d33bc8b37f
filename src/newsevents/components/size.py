"""How many: the counts stated for one event (dead, injured, arrested and everything else).

A count is a number phrase ("12", "twelve", "1,500", "1.5 million", "a dozen", "dozens",
"hundreds of") with its qualifier ("at least", "more than", "nearly", "about", "up to",
"between 10 and 15") and what it counts. The kind comes from the construction: the verb that
takes the counted phrase ("killing 12", "30 were wounded", "arrested 20"), a participle or
adjective ("12 dead", "left 5 people dead", "dozens arrested"), a running total ("the death
toll rose to 45", cumulative) or the counted noun itself ("two rockets", "hundreds of
protesters"). Breakdowns ("260 Palestinians, including 40 children and 11 women") become
``parts`` of the main count.

A count is kept only when it is tied to the trigger: the same clause, a participle, relative
clause or conjunct attached to it ("..., killing 12"), or a casualty verb whose subject or
prepositional phrase is the trigger ("the clashes left 5 dead", "killed in the attack").

Never counted: years, dates, ages ("a 15-year-old", "Smith, 45,"), times, money, percentages,
measures (km, kg) and identifiers ("Resolution 2334", "Article 5", "the 82nd Airborne").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsevents.components.syntax import nearest_verb
from newsevents.components.when import date_candidates
from newsevents.knowledge.groups import group_references
from newsevents.model import Count, Qualifier, Size

__all__ = ["extract_size", "parse_number"]

logger = logging.getLogger(__name__)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# vague amounts: word -> lower bound
_VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2_000_000,
    "several": 3, "tens": 20,
}  # fmt: skip
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES) | {"dozen", "a", "an"}

_QUALIFIERS: tuple[tuple[tuple[str, ...], Qualifier], ...] = (
    (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"),
    (("no", "less", "than"), "at_least"),
    (("more", "than"), "more_than"),
    (("upwards", "of"), "more_than"),
    (("in", "excess", "of"), "more_than"),
    (("over",), "more_than"),
    (("above",), "more_than"),
    (("nearly",), "nearly"),
    (("almost",), "nearly"),
    (("close", "to"), "nearly"),
    (("just", "under"), "nearly"),
    (("about",), "about"),
    (("around",), "about"),
    (("approximately",), "about"),
    (("roughly",), "about"),
    (("some",), "about"),
    (("an", "estimated"), "about"),
    (("estimated",), "about"),
    (("up", "to"), "up_to"),
    (("as", "many", "as"), "up_to"),
    (("fewer", "than"), "up_to"),
    (("less", "than"), "up_to"),
    (("under",), "up_to"),
)

# verbs -> kind of the people they take as object (or passive subject)
_OBJECT_VERBS = {
    "kill": "dead", "murder": "dead", "massacre": "dead", "execute": "dead", "slay": "dead",
    "behead": "dead", "shoot": "dead", "claim": "dead",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured",
    "arrest": "arrested", "detain": "arrested", "capture": "arrested", "jail": "arrested",
    "imprison": "arrested", "apprehend": "arrested", "nab": "arrested", "round": "arrested",
    "hold": "arrested", "seize": "arrested", "intern": "arrested",
    "displace": "displaced", "uproot": "displaced", "evacuate": "evacuated",
    "release": "released", "free": "released", "pardon": "released",
    "kidnap": "abducted", "abduct": "abducted", "deport": "deported", "expel": "deported",
    "rescue": "rescued", "sentence": "sentenced", "convict": "sentenced", "charge": "charged",
    "mobilize": "mobilized", "mobilise": "mobilized", "deploy": "deployed", "send": "deployed",
}  # fmt: skip
# verbs -> kind of their (active) subject
_SUBJECT_VERBS = {
    "die": "dead", "perish": "dead", "drown": "dead", "flee": "displaced",
    "protest": "protesters", "march": "protesters", "rally": "protesters",
    "demonstrate": "protesters", "gather": "protesters", "strike": "strikers",
}  # fmt: skip
_STATE_WORDS = {
    "dead": "dead", "killed": "dead", "slain": "dead",
    "injured": "injured", "wounded": "injured", "hurt": "injured",
    "arrested": "arrested", "detained": "arrested", "held": "arrested",
    "missing": "missing", "displaced": "displaced", "homeless": "displaced",
}  # fmt: skip
_CASUALTY_NOUNS = {
    "dead": "dead", "death": "dead", "fatality": "dead", "body": "dead", "corpse": "dead",
    "injury": "injured", "wounded": "injured", "injured": "injured",
    "casualty": "casualties", "arrest": "arrested", "detention": "arrested",
    "refugee": "displaced", "detainee": "arrested",
}  # fmt: skip
_PROTESTER_NOUNS = frozenset(
    {"protester", "protestor", "demonstrator", "marcher", "striker", "rioter"}
)
_PERSON_NOUNS = frozenset(
    {
        "people", "person", "civilian", "man", "woman", "child", "soldier", "policeman",
        "officer", "militant", "fighter", "rebel", "worker", "student", "member", "resident",
        "villager", "passenger", "pilgrim", "worshipper", "journalist", "suspect", "prisoner",
        "detainee", "hostage", "migrant", "protester", "demonstrator", "troop", "guard",
        "insurgent", "gunman", "attacker", "militiaman", "police", "individual", "activist",
        "official", "supporter", "opponent", "boy", "girl", "teenager", "adult", "victim",
        "servicemen", "serviceman", "citizen", "national", "palestinian", "israeli", "kurd",
    }
)  # fmt: skip
_TOLL_VERBS = frozenset(
    {
        "rise",
        "climb",
        "reach",
        "jump",
        "increase",
        "stand",
        "bring",
        "raise",
        "hit",
        "mount",
        "grow",
        "be",
        "put",
        "top",
        "exceed",
        "surpass",
    }
)
_IDENTIFIER_WORDS = frozenset(
    {
        "no", "no.", "number", "#", "article", "resolution", "chapter", "section", "paragraph",
        "unit", "brigade", "division", "regiment", "battalion", "squadron", "corps", "route",
        "highway", "flight", "gate", "building", "block", "sector", "zone", "area", "camp",
        "level", "phase", "stage", "grade", "class", "category", "covid", "f", "su", "mig",
        "page", "item", "point", "room", "floor", "platform", "terminal", "district",
    }
)  # fmt: skip
_AGE_AFTER = ("-year-old", "year-old", "years-old", "-years-old")
_BLOCK_ENTS = frozenset({"TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY", "LAW"})
_YEARISH = re.compile(r"^(1[89]\d\d|20\d\d)$")
_COMPATIBLE = {
    "ASSAULT": frozenset(
        {"dead", "injured", "casualties", "missing", "displaced", "abducted", "evacuated"}
    ),
    "COERCE": frozenset(
        {
            "arrested",
            "dead",
            "injured",
            "casualties",
            "displaced",
            "deported",
            "abducted",
            "released",
        }
    ),
    "PROTEST": frozenset({"protesters", "arrested", "dead", "injured", "casualties", "strikers"}),
    "MOBILIZE": frozenset({"deployed", "mobilized", "troops"}),
    "RETREAT": frozenset({"released", "deployed"}),
    "CONCEDE": frozenset({"released"}),
    "AID": frozenset({"evacuated", "rescued", "displaced"}),
    "SANCTION": frozenset({"sentenced", "arrested"}),
}


def parse_number(words: list[str]) -> tuple[int, bool] | None:
    """Read a number phrase: ``["1,500"]``, ``["twenty-five"]``, ``["1.5", "million"]``,
    ``["a", "dozen"]``, ``["dozens"]``. Returns (value, vague) or None."""
    parts: list[str] = []
    for w in words:
        parts.extend(p for p in w.lower().replace("-", " ").split() if p and p != "and")
    if not parts:
        return None
    if len(parts) == 1 and parts[0] in _VAGUE:
        return _VAGUE[parts[0]], True
    if parts[0] in ("tens", "hundreds", "several") and len(parts) >= 2:
        tail = parts[-1]
        scale = _SCALES.get(tail.rstrip("s"), 12 if tail.startswith("dozen") else None)
        if scale is not None:
            return _VAGUE[parts[0]] * scale if parts[0] != "tens" else 10 * scale * 2, True
    total = 0
    current = 0.0
    seen = False
    for p in parts:
        if p in ("a", "an"):
            current = current or 1
            continue
        number = p.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", number):
            current += float(number)
            seen = True
        elif p in _UNITS:
            current += _UNITS[p]
            seen = True
        elif p in _TENS:
            current += _TENS[p]
            seen = True
        elif p == "dozen":
            current = (current or 1) * 12
            seen = True
        elif p in _SCALES:
            current = (current or 1) * _SCALES[p]
            if _SCALES[p] >= 1000:
                total += int(current)
                current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    return int(round(total + current)), False


@dataclass
class _Num:
    start: int  # token index (doc-level), inclusive
    end: int  # exclusive
    value: int
    vague: bool
    low: int | None = None
    high: int | None = None
    qualifier: Qualifier = "exact"
    q_start: int | None = None  # first token of the qualifier
    noun: Token | None = None
    direct: bool = False  # the noun takes the number as its modifier ("12 people")
    parts: list[Count] = field(default_factory=list)


def _is_num_token(t: Token) -> bool:
    low = t.lower_
    if _YEARISH.match(t.text):
        # a year, unless it plainly counts something: "2000 people"
        return t.dep_ == "nummod" and t.head.tag_ in ("NNS", "NNPS") and t.head.i == t.i + 1
    if t.like_num and not re.search(r"[:/]", t.text):
        return True
    return (
        low in _NUMBER_WORDS
        or low in _VAGUE
        or bool(re.fullmatch(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+", low))
    )


def _number_runs(sent: Span) -> list[_Num]:
    doc = sent.doc
    runs: list[_Num] = []
    i = sent.start
    while i < sent.end:
        t = doc[i]
        if (
            not _is_num_token(t)
            or t.lower_ in ("a", "an")
            and not (
                i + 1 < sent.end
                and doc[i + 1].lower_ in ("dozen", "hundred", "thousand", "million")
            )
        ):
            i += 1
            continue
        j = i + 1
        while j < sent.end and (
            _is_num_token(doc[j])
            and doc[j].lower_ not in ("a", "an")
            or doc[j].text == "-"
            and j + 1 < sent.end
            and doc[j + 1].lower_ in _UNITS
            or doc[j].lower_ == "of"
            and doc[j - 1].lower_ in ("tens", "hundreds")
            and j + 1 < sent.end
            and doc[j + 1].lower_ in ("thousands", "millions")
        ):
            if doc[j].lower_ in _VAGUE and doc[j - 1].lower_ not in ("tens", "of", "several"):
                break
            j += 1
        words = [doc[k].text for k in range(i, j) if doc[k].text != "-" and doc[k].lower_ != "of"]
        parsed = parse_number(words)
        if parsed is None and j - i > 1:
            # "1,500 two ..." — fall back to the first token
            parsed = parse_number([doc[i].text])
            j = i + 1
        if parsed is not None:
            runs.append(_Num(i, j, parsed[0], parsed[1]))
        i = j
    return runs


def _blocked(num: _Num, sent: Span, date_tokens: set[int]) -> bool:
    doc = sent.doc
    first, last = doc[num.start], doc[num.end - 1]
    tokens = [doc[k] for k in range(num.start, num.end)]
    if any(k in date_tokens for k in range(num.start, num.end)):
        return True
    for t in tokens:
        if t.ent_type_ in _BLOCK_ENTS:
            return True
        if t.ent_type_ == "DATE":
            ent = next((e for e in doc.ents if e.start <= t.i < e.end), None)
            if ent is not None and re.search(
                r"(?i)year|month|week|day|old|decade|century|\b(1[89]|20)\d\d\b", ent.text
            ):
                return True
    after = doc[num.end] if num.end < len(doc) else None
    after2 = doc[num.end + 1] if num.end + 1 < len(doc) else None
    before = doc[num.start - 1] if num.start > sent.start else None
    # ages
    if after is not None:
        tail = doc[num.end : min(num.end + 4, len(doc))].text.lower().replace(" ", "")
        if tail.startswith(_AGE_AFTER) or (
            after.lower_ in ("years", "year")
            and after2 is not None
            and after2.lower_ in ("old", "-old")
        ):
            return True
        if after.lower_ in (
            "%",
            "percent",
            "pct",
            "per",
            "a.m.",
            "p.m.",
            "am",
            "pm",
            "o'clock",
            "km",
            "kg",
            "miles",
            "kilometres",
            "kilometers",
            "metres",
            "meters",
            "tons",
            "tonnes",
            "hours",
            "minutes",
            "seconds",
            "days",
            "weeks",
            "months",
            "years",
            "decades",
            "times",
        ):
            return True
    if before is not None:
        if before.lower_ in (
            "aged",
            "age",
            "ages",
            "$",
            "€",
            "£",
            "¥",
            "us$",
            "rs",
            "rs.",
            "#",
            "no.",
            "number",
        ):
            return True
        if (
            before.lower_ in _IDENTIFIER_WORDS
            and before.i > sent.start
            and (before.is_title or before.lower_ in ("no.", "#", "number"))
        ):
            return True
        if (
            before.pos_ == "PROPN"
            and before.is_title
            and before.i > sent.start
            and not (
                after is not None and after.pos_ in ("NOUN", "PROPN") and first.dep_ == "nummod"
            )
        ):
            # "Resolution 2334", "Camp 5", "Apollo 11"
            return True
    # "John Smith, 45, ..." : an appositive age
    if (
        before is not None
        and before.text == ","
        and after is not None
        and after.text == ","
        and last.dep_ == "appos"
    ):
        return True
    if first.text[:1].isdigit() and (
        last.text.endswith(("st", "nd", "rd", "th")) and not last.like_num
    ):
        return True
    # "one another", "no one", "one day"
    if first.lower_ == "one" and num.end - num.start == 1:
        if (
            after is not None
            and after.lower_ in ("another", "day", "time", "point", "way", "side", "hand", "of")
            and after.lower_ != "of"
        ):
            return True
        if before is not None and before.lower_ in (
            "no",
            "any",
            "every",
            "some",
            "the",
            "this",
            "that",
        ):
            return True
    return False


def _qualify(num: _Num, sent: Span) -> None:
    doc = sent.doc
    start = num.start
    for words, qualifier in _QUALIFIERS:
        n = len(words)
        s = start - n
        if s >= sent.start and tuple(doc[k].lower_ for k in range(s, start)) == words:
            num.qualifier = qualifier
            num.q_start = s
            break
    if num.q_start is None and start - 1 >= sent.start and doc[start - 1].lower_ == "between":
        num.q_start = start - 1
    if num.vague and num.qualifier == "exact":
        num.qualifier = "vague"
    num.low = num.value


def _merge_ranges(nums: list[_Num], sent: Span) -> list[_Num]:
    """'between 10 and 15', '10 to 15', '10-15', '10 or 15' -> one ranged count."""
    doc = sent.doc
    out: list[_Num] = []
    skip: set[int] = set()
    for n, num in enumerate(nums):
        if n in skip:
            continue
        nxt = nums[n + 1] if n + 1 < len(nums) else None
        if nxt is not None and nxt.start - num.end == 1 and not num.vague and not nxt.vague:
            link = doc[num.end].lower_
            between = num.q_start is not None and doc[num.q_start].lower_ == "between"
            if (
                (link == "and" and between)
                or link in ("to", "-", "or", "\u2013")
                and nxt.value > num.value
            ):
                num.low, num.high = num.value, nxt.value
                num.qualifier = "range"
                num.end = nxt.end
                skip.add(n + 1)
        out.append(num)
    return out


def _counted_noun(num: _Num, sent: Span) -> Token | None:
    doc = sent.doc
    last = doc[num.end - 1]
    for t in doc[num.start : num.end]:
        if (
            t.dep_ == "nummod"
            and t.head.pos_ in ("NOUN", "PROPN", "ADJ")
            and not (num.start <= t.head.i < num.end)
        ):
            num.direct = True
            return t.head
    # "dozens of people", "two of the soldiers"
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if (
                    obj.dep_ == "pobj"
                    and obj.pos_ in ("NOUN", "PROPN")
                    and obj.lower_ not in ("them", "those")
                ):
                    return obj
    nxt = doc[num.end] if num.end < sent.end else None
    if nxt is not None and nxt.lower_ == "of" and num.end + 1 < sent.end:
        cand = doc[num.end + 1]
        if cand.lower_ in ("the", "them"):
            cand = doc[num.end + 2] if num.end + 2 < sent.end else cand
        if cand.pos_ in ("NOUN", "PROPN"):
            return cand
    return None


def _up_conj(tok: Token) -> Token:
    node = tok
    for _ in range(4):
        if node.dep_ in ("conj", "appos") and node.head.pos_ in ("NOUN", "PROPN", "NUM"):
            node = node.head
        else:
            break
    return node


def _plural(noun: Token) -> str:
    lemma = noun.lemma_.lower()
    if noun.lower_ in ("people", "police", "troops", "dead", "wounded", "injured"):
        return noun.lower_
    if lemma.endswith(("s", "x", "ch", "sh")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    if lemma.endswith("man"):
        return lemma[:-3] + "men"
    if lemma == "child":
        return "children"
    return lemma + "s"


@dataclass(frozen=True, slots=True)
class _Kind:
    kind: str
    anchor: Token | None  # the verb or word that states it
    cumulative: bool = False
    via_verb: bool = False


def _state_child(tok: Token) -> str | None:
    for child in tok.children:
        if (
            child.dep_ in ("amod", "acl", "oprd", "acomp", "advcl", "relcl", "xcomp", "appos")
            and child.lower_ in _STATE_WORDS
        ):
            return _STATE_WORDS[child.lower_]
        if (
            child.dep_ in ("acl", "relcl")
            and child.lemma_.lower() in _OBJECT_VERBS
            and child.tag_ == "VBN"
        ):
            return _OBJECT_VERBS[child.lemma_.lower()]
    return None


def _toll(tok: Token) -> str | None:
    """'the death toll rose to 45', 'a toll of 45', 'bringing the death toll to 45'."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("to", "at", "of"):
        gov = head.head
        candidates = (
            [gov, *gov.children]
            if gov.lemma_.lower() in _TOLL_VERBS or gov.lemma_.lower() == "toll"
            else []
        )
        for c in candidates:
            if c.lemma_.lower() in ("toll", "number", "tally", "count"):
                mods = {x.lower_ for x in c.children} | {c.lower_}
                if mods & {"injury", "injuries", "injured", "wounded"}:
                    return "injured"
                return "dead"
    if tok.dep_ == "attr" and any(
        c.dep_ == "nsubj" and c.lemma_.lower() == "toll" for c in head.children
    ):
        return "dead"
    return None


def _kind(num: _Num, sent: Span, event_type: str) -> _Kind | None:
    doc = sent.doc
    noun = num.noun
    if noun is not None and noun.lemma_.lower() in group_references().not_sizes:
        return None  # "the two sides", "both countries": who acted, not how many were hurt
    last = doc[num.end - 1]
    phrase = noun if noun is not None and num.direct else doc[num.start : num.end].root
    if noun is not None and noun.lemma_.lower() in _CASUALTY_NOUNS:
        kind = _CASUALTY_NOUNS[noun.lemma_.lower()]
        return _Kind(kind, nearest_verb(noun))
    toll = _toll(phrase)
    if toll is not None:
        return _Kind(toll, nearest_verb(phrase.head), cumulative=True, via_verb=True)
    # participles and adjectives: "12 dead", "dozens arrested", "5 people dead"
    for tok in (phrase, last):
        state = _state_child(tok)
        if state:
            return _Kind(state, nearest_verb(tok))
    nxt = (
        doc[max(num.end, (noun.i + 1) if noun is not None else num.end)]
        if num.end < sent.end and max(num.end, (noun.i + 1) if noun is not None else num.end) < len(doc)
        else None
    )
    if (
        nxt is not None
        and nxt.i < sent.end
        and nxt.lower_ in _STATE_WORDS
        and nxt.dep_ not in ("amod",)
    ):
        return _Kind(_STATE_WORDS[nxt.lower_], nearest_verb(nxt))
    if (
        phrase.lower_ in _STATE_WORDS and phrase.pos_ == "ADJ"
    ):  # "12 dead" parsed with the number as modifier
        return _Kind(_STATE_WORDS[phrase.lower_], nearest_verb(phrase))
    # verbs: "killing 12", "30 were wounded", "left 5 people dead"
    role = _up_conj(phrase)
    verb = role.head
    lemma = verb.lemma_.lower()
    dep = role.dep_
    if dep in ("dobj", "nsubjpass", "attr", "oprd") or (dep == "nsubj" and _is_passive_like(verb)):
        if lemma == "leave":
            for child in verb.children:
                if child.lower_ in _STATE_WORDS and child.dep_ in (
                    "oprd",
                    "acomp",
                    "xcomp",
                    "ccomp",
                    "advcl",
                    "conj",
                ):
                    return _Kind(_STATE_WORDS[child.lower_], verb, via_verb=True)
        if lemma in _OBJECT_VERBS:
            kind = _OBJECT_VERBS[lemma]
            if (
                kind == "deployed"
                and noun is not None
                and noun.lemma_.lower()
                not in ("troop", "soldier", "police", "officer", "policeman")
            ):
                kind = _plural(noun)
            return _Kind(kind, verb, via_verb=True)
    if dep == "nsubj" and lemma in _SUBJECT_VERBS:
        return _Kind(_SUBJECT_VERBS[lemma], verb, via_verb=True)
    if dep == "nsubj" and verb.lower_ in _STATE_WORDS and verb.pos_ in ("VERB", "ADJ"):
        # "30 wounded" parsed as subject + verb
        return _Kind(_STATE_WORDS[verb.lower_], nearest_verb(verb), via_verb=True)
    if dep == "pobj" and verb.lower_ == "among":
        state = None
        for t in verb.head.subtree:
            if t.lower_ in _STATE_WORDS:
                state = _STATE_WORDS[t.lower_]
                break
        if state:
            return _Kind(state, nearest_verb(verb.head))
    if noun is not None:
        nl = noun.lemma_.lower()
        if nl in _PROTESTER_NOUNS:
            return _Kind("protesters", nearest_verb(noun))
        if nl in ("troop",) or (nl in ("soldier",) and event_type == "MOBILIZE"):
            return _Kind("troops", nearest_verb(noun))
        if nl in _PERSON_NOUNS or noun.ent_type_ == "NORP":
            if event_type == "PROTEST":
                return _Kind("protesters", nearest_verb(noun))
            return _Kind("people", nearest_verb(noun))
        if (
            noun.pos_ == "NOUN"
            and noun.tag_ in ("NNS", "NNPS")
            and noun.ent_type_ not in _BLOCK_ENTS
        ):
            return _Kind(_plural(noun), nearest_verb(noun))
    return None


def _is_passive_like(verb: Token) -> bool:
    return verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children)


_VERB_LINKS = frozenset(
    {"advcl", "xcomp", "conj", "ccomp", "acl", "relcl", "dep", "parataxis", "pcomp", "appos"}
)


def _tied(
    anchor: Token | None, trigger: Token, kind: str, event_type: str, cumulative: bool
) -> bool:
    compatible = kind in _COMPATIBLE.get(event_type, frozenset())
    if anchor is None:
        return False
    if anchor.i == trigger.i:
        return True
    # "left 5 dead and dozens injured": a conjunct shares its first conjunct's tie
    while (
        anchor.dep_ == "conj"
        and anchor.head.pos_ in ("VERB", "AUX", "ADJ")
        and anchor.head.i != anchor.i
    ):
        anchor = anchor.head
        if anchor.i == trigger.i:
            return True
    # the count's clause hangs below the trigger through clause links ("..., killing 12")
    node = anchor
    path_ok = True
    for _ in range(6):
        if node.head.i == node.i:
            break
        if node.dep_ not in _VERB_LINKS:
            path_ok = False
        node = node.head
        if node.i == trigger.i:
            return path_ok or (compatible and node.pos_ in ("NOUN", "PROPN"))
    # the trigger hangs below the count's verb ("the clashes left 5 dead", "killed in an attack")
    node = trigger
    for _ in range(6):
        if node.head.i == node.i:
            break
        node = node.head
        if node.i == anchor.i:
            return compatible
    return cumulative and compatible


def _breakdown(num: _Num, nums_by_start: dict[int, _Num], sent: Span) -> set[int]:
    """Attach 'including 40 children and 11 women' to the main count; returns used runs."""
    used: set[int] = set()
    noun = num.noun if num.noun is not None else sent.doc[num.start : num.end].root
    for child in noun.children:
        if child.lower_ in ("including", "among") and child.dep_ in ("prep", "acl", "advcl"):
            objs = [c for c in child.children if c.dep_ in ("pobj", "dobj")]
            for obj in list(objs):
                objs.extend(c for c in obj.conjuncts if c not in objs)
            for obj in objs:
                for sub in [obj, *obj.children]:
                    part = nums_by_start.get(sub.i)
                    if part is None or part is num:
                        continue
                    part_noun = part.noun
                    kind = _plural(part_noun) if part_noun is not None else "people"
                    num.parts.append(_make_count(part, sent, kind, False))
                    used.add(part.start)
    return used


def _make_count(num: _Num, sent: Span, kind: str, cumulative: bool) -> Count:
    doc = sent.doc
    first = num.q_start if num.q_start is not None else num.start
    last = num.end
    if num.noun is not None and num.noun.i >= num.end and num.noun.i - num.end <= 3:
        last = num.noun.i + 1
    span = doc[first:last]
    return Count(
        kind=kind,
        value=num.low if num.low is not None else num.value,
        low=num.low,
        high=num.high,
        qualifier=num.qualifier,
        cumulative=cumulative,
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        parts=list(num.parts),
    )


def extract_size(sent: Span, trigger: Token, event_type: str) -> Size:
    """The counts of the event stated by ``trigger`` in ``sent`` (offsets into ``doc.text``)."""
    doc = sent.doc
    date_tokens: set[int] = set()
    for cand in date_candidates(sent):
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is not None:
            date_tokens.update(range(span.start, span.end))
    nums = [n for n in _number_runs(sent) if not _blocked(n, sent, date_tokens)]
    for n in nums:
        _qualify(n, sent)
    nums = _merge_ranges(nums, sent)
    for n in nums:
        n.noun = _counted_noun(n, sent)
    by_start: dict[int, _Num] = {}
    for n in nums:
        for k in range(n.start, n.end):
            by_start[k] = n
    used: set[int] = set()
    for n in nums:
        if n.start not in used:
            used |= _breakdown(n, by_start, sent)
    counts: list[Count] = []
    for n in nums:
        if n.start in used:
            continue
        if n.noun is not None and n.noun.i == trigger.i:
            kind_info: _Kind | None = _Kind(_plural(trigger), trigger)
        else:
            kind_info = _kind(n, sent, event_type)
        if kind_info is None:
            continue
        if not _tied(kind_info.anchor, trigger, kind_info.kind, event_type, kind_info.cumulative):
            continue
        counts.append(_make_count(n, sent, kind_info.kind, kind_info.cumulative))
    years = _years(sent)
    return _summarize([c for c in counts if c.value not in years])


def _years(sent: Span) -> set[int]:
    """Years the sentence states as dates; a count never takes one of these values."""
    found: set[int] = set()
    for cand in date_candidates(sent):
        found.update(int(y) for y in re.findall(r"\b(?:1[89]|20)\d\d\b", cand.text))
    return found


def _summarize(counts: list[Count]) -> Size:
    best: dict[str, Count] = {}
    for c in counts:
        if c.kind not in ("dead", "injured", "arrested"):
            continue
        prev = best.get(c.kind)
        if (
            prev is None
            or (prev.cumulative and not c.cumulative)
            or (prev.cumulative == c.cumulative and (c.value or 0) > (prev.value or 0))
        ):
            best[c.kind] = c
    return Size(
        dead=best["dead"].value if "dead" in best else None,
        injured=best["injured"].value if "injured" in best else None,
        arrested=best["arrested"].value if "arrested" in best else None,
        qualifiers={k: c.qualifier for k, c in best.items()},
        counts=counts,
    )
