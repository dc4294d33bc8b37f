"""When an event happened: the date expression that governs a trigger, resolved against the
publication date.

Cheap regular expressions find the candidate date expressions of a sentence (weekdays, "last
week", "in recent months", "three years ago", "March 5", "in May", "in 2014", ...); the one tied
to the trigger's clause in the dependency tree wins, else the nearest. Relative expressions are
resolved by the rules below; explicit calendar dates are computed directly (a missing year is the
nearest toward the past, or toward the future for future events), so the result never depends on
the clock.

A bare number is never a date: "killed 3 in May" has the date "May" (month precision) and no day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from newsevents.components.syntax import nearest_verb
from newsevents.model import EventDate, Precision

__all__ = ["DateCandidate", "date_candidates", "parse_dateline_date", "resolve_event_date"]

logger = logging.getLogger(__name__)

_MONTHS: dict[str, int] = {}
for _n, _name in enumerate(calendar.month_name):
    if _n:
        _MONTHS[_name.lower()] = _n
        _MONTHS[_name[:3].lower()] = _n
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_MONTH_ABBR_DOT = rf"{_MONTH_RE}\.?"
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR_RE = r"(?:1[89]\d\d|20\d\d)"
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "few": 3, "several": 3, "couple of": 2, "a couple of": 2, "a few": 3,
}  # fmt: skip
_NUM_RE = r"(?:\d{1,3}|a couple of|a few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|few|several)"
_UNIT_RE = r"(?:day|week|month|year|decade)s?"

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_HEADS = frozenset(
    {"go", "due", "set", "expect", "schedule", "plan", "poise", "slate", "intend", "prepare"}
)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date expression found in a sentence; offsets index ``doc.text``."""

    start: int
    end: int
    text: str
    kind: str
    match: re.Match[str]


@dataclass(frozen=True, slots=True)
class _Resolved:
    value: dt.date
    end: dt.date | None
    precision: Precision
    rule: str


# --------------------------------------------------------------------------------------------
# calendar helpers


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + (d.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _week_start(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _num(text: str) -> int:
    t = text.lower().strip()
    if t.isdigit():
        return int(t)
    return _NUM_WORDS.get(t, 1)


def _safe_year(year: int) -> int:
    return min(max(year, dt.MINYEAR + 1), dt.MAXYEAR - 1)


# --------------------------------------------------------------------------------------------
# explicit calendar dates


def _leap_feb29(base: dt.date, future: bool) -> dt.date:
    """The 29 February nearest ``base`` toward the past (on or before) or the future (after)."""
    year = base.year
    step = 1 if future else -1
    for _ in range(9):
        if calendar.isleap(year):
            day = dt.date(year, 2, 29)
            if (day > base) if future else (day <= base):
                return day
        year += step
    return dt.date(year, 2, 28)  # unreachable: a leap year falls in every 8 consecutive years


def _explicit(month: int, day: int, year: int | None, base: dt.date, future: bool) -> dt.date | None:
    """A calendar date; the year, when missing, is the nearest one toward the past (on or before
    the base date) or the future (after it). Invalid dates ("April 31") are None."""
    try:
        if year is not None:
            return dt.date(year, month, day)
        if month == 2 and day == 29:
            return _leap_feb29(base, future)
        candidate = dt.date(base.year, month, day)
    except ValueError:
        return None
    if not future and candidate > base:
        return candidate.replace(year=base.year - 1)
    if future and candidate <= base:
        return candidate.replace(year=base.year + 1)
    return candidate


def _month_year(month: int, base: dt.date, future: bool) -> int:
    if future:
        return base.year if month >= base.month else base.year + 1
    return base.year if month <= base.month else base.year - 1


# --------------------------------------------------------------------------------------------
# the patterns: (kind, regex, flags)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(
            rf"(?P<since>\bsince\s+)?\b(?P<mon>{_MONTH_ABBR_DOT})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|per cent|people|km|miles))(?:,?\s+(?P<y>{_YEAR_RE})\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"(?P<since>\bsince\s+)?\b(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_ABBR_DOT})(?![a-z])(?:,?\s+(?P<y>{_YEAR_RE})\b)?"
        ),
    ),
    (
        "my",
        re.compile(
            rf"(?P<since>\bsince\s+)?\b(?:(?:early|late|mid-?|the end of|the beginning of|the start of)\s*)?(?P<mon>{_MONTH_ABBR_DOT}),?\s+(?P<y>{_YEAR_RE})\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"(?i:(?P<since>\bsince\s+)?(?:\b(?P<rel>last|next|this|coming|past)\s+)?(?:\b(?:early|late|on)\s+)?)\b(?P<wd>{_WEEKDAY_RE})\b(?:\s+(?i:morning|afternoon|evening|night))?"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?i:(?P<since>since)|in|during|until|till|by|from|through|throughout|before|after|early|late|mid-|mid|last|next|this|the end of|the beginning of|the start of|earlier in|later in|since early|since late)\s+(?:early\s+|late\s+|mid-)?(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)(?!\s*\d)\b"
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?i:(?P<since>since)|in|during|until|till|by|from|through|throughout|before|after|early|late|mid-|mid|of|the year)\s+(?P<y>{_YEAR_RE})\b(?!\s*(?:people|persons|men|women|children|soldiers|troops|protesters|%|percent))"
        ),
    ),
    ("ago", re.compile(rf"(?i)\b(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\s+ago\b")),
    (
        "recent",
        re.compile(
            r"(?i)\b(?:in|over|during|throughout)\s+(?:recent\s+|the\s+(?:past|last)\s+(?:few\s+|several\s+|couple\s+of\s+))(?P<unit>days|weeks|months|years)\b"
        ),
    ),
    (
        "past_n",
        re.compile(
            rf"(?i)\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?P<n>{_NUM_RE})\s+(?P<unit>{_UNIT_RE})\b"
        ),
    ),
    (
        "past_one",
        re.compile(
            r"(?i)\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?P<unit>day|week|month|year)\b"
        ),
    ),
    (
        "this_unit",
        re.compile(
            r"(?i)\b(?P<mod>earlier|later|late|early)?\s*(?P<rel>last|this|next|past)\s+(?P<unit>week|weekend|month|year)\b"
        ),
    ),
    (
        "day_word",
        re.compile(
            r"(?i)\b(?P<since>since\s+)?(?P<word>today|tonight|yesterday|tomorrow|last\s+night|this\s+morning|this\s+afternoon|this\s+evening|earlier\s+today|overnight)\b"
        ),
    ),
]


_LEAD_RE = re.compile(r"(?i)(?:on|in|during)\s+")


@lru_cache(maxsize=512)
def _find_candidates(text: str, offset: int) -> tuple[DateCandidate, ...]:
    """Cached per sentence: the events of one sentence (and its counts) all read its dates."""
    found: list[DateCandidate] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            # trim leading whitespace produced by optional groups
            while start < end and text[start].isspace():
                start += 1
            lead = _LEAD_RE.match(text, start, end)
            if lead and kind not in ("recent", "past_n", "past_one"):
                start = lead.end()
            if any(
                c.start - offset <= start < c.end - offset or start <= c.start - offset < end
                for c in found
            ):
                continue
            found.append(DateCandidate(start + offset, end + offset, text[start:end], kind, m))
    found.sort(key=lambda c: c.start)
    return tuple(found)


def date_candidates(sent: Span) -> list[DateCandidate]:
    """Every date expression of a sentence (offsets into ``doc.text``), in text order."""
    return list(_find_candidates(sent.text, sent.start_char))


# --------------------------------------------------------------------------------------------
# resolution of one candidate


def _since(r: _Resolved | None, base: dt.date, since: bool) -> _Resolved | None:
    if r is None or not since:
        return r
    return _Resolved(r.value, base, "range", "since " + r.rule)


def _resolve(c: DateCandidate, base: dt.date, future: bool) -> _Resolved | None:
    m = c.match
    g = m.groupdict()
    since = bool(g.get("since"))
    if c.kind == "iso":
        try:
            return _Resolved(
                dt.date(int(g["y"]), int(g["m"]), int(g["d"])), None, "day", "ISO date"
            )
        except ValueError:
            return None
    if c.kind in ("mdy", "dmy"):
        month = _MONTHS[g["mon"].rstrip(".").lower()]
        day = int(g["d"])
        year = int(g["y"]) if g.get("y") else None
        if not 1 <= day <= 31:
            return None
        value = _explicit(month, day, year, base, future and not since)
        if value is None:
            return None
        rule = "explicit date" if year is not None else "explicit date, year inferred"
        return _since(_Resolved(value, None, "day", rule), base, since)
    if c.kind == "my":
        month = _MONTHS[g["mon"].rstrip(".").lower()]
        year = int(g["y"])
        return _since(
            _Resolved(dt.date(year, month, 1), _month_end(year, month), "month", "month and year"),
            base,
            since,
        )
    if c.kind == "month":
        month = _MONTHS[g["mon"].rstrip(".").lower()]
        lead = m.group(0).lower()
        if lead.startswith("last "):
            year = base.year if month < base.month else base.year - 1
        elif lead.startswith("next "):
            year = base.year if month > base.month else base.year + 1
        else:
            year = _month_year(month, base, future and not since)
        return _since(
            _Resolved(dt.date(year, month, 1), _month_end(year, month), "month", "month name"),
            base,
            since,
        )
    if c.kind == "year":
        year = int(g["y"])
        return _since(
            _Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "year"), base, since
        )
    if c.kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if rel == "last" or rel == "past":
            delta = (base.weekday() - wd) % 7 or 7
            value, rule = base - dt.timedelta(days=delta), "last weekday"
        elif rel in ("next", "coming") or (future and not since):
            delta = (wd - base.weekday()) % 7 or 7
            value, rule = base + dt.timedelta(days=delta), "next weekday"
        else:
            delta = (base.weekday() - wd) % 7
            value, rule = base - dt.timedelta(days=delta), "most recent weekday"
        return _since(_Resolved(value, None, "day", rule), base, since)
    if c.kind == "day_word":
        word = re.sub(r"\s+", " ", g["word"].lower())
        offsets = {"yesterday": -1, "last night": -1, "tomorrow": 1, "overnight": 0}
        value = base + dt.timedelta(days=offsets.get(word, 0))
        return _since(_Resolved(value, None, "day", word), base, since)
    if c.kind == "ago":
        n = _num(g["n"])
        unit = g["unit"].lower().rstrip("s")
        if unit == "day":
            return _Resolved(base - dt.timedelta(days=n), None, "day", "days ago")
        if unit == "week":
            start = _week_start(base - dt.timedelta(weeks=n))
            return _Resolved(start, start + dt.timedelta(days=6), "week", "weeks ago")
        if unit == "month":
            start = _add_months(base, -n)
            return _Resolved(start, _month_end(start.year, start.month), "month", "months ago")
        years = n * (10 if unit == "decade" else 1)
        year = _safe_year(base.year - years)
        return _Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "years ago")
    if c.kind in ("recent", "past_n", "past_one"):
        unit = g["unit"].lower().rstrip("s")
        n = _num(g["n"]) if c.kind == "past_n" else (1 if c.kind == "past_one" else 3)
        if unit == "day":
            start = base - dt.timedelta(days=n)
        elif unit == "week":
            start = base - dt.timedelta(weeks=n)
        elif unit == "month":
            start = _add_months(base, -n).replace(day=min(base.day, 28))
        else:
            start = dt.date(
                _safe_year(base.year - n * (10 if unit == "decade" else 1)),
                base.month,
                min(base.day, 28),
            )
        return _Resolved(start, base, "range", f"recent {unit}s")
    if c.kind == "this_unit":
        rel = g["rel"].lower()
        mod = (g.get("mod") or "").lower()
        unit = g["unit"].lower()
        return _this_unit(rel, mod, unit, base)
    return None


def _this_unit(rel: str, mod: str, unit: str, base: dt.date) -> _Resolved | None:
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
    if unit in ("week", "weekend"):
        start = _week_start(base) + dt.timedelta(weeks=shift)
        if unit == "weekend":
            start += dt.timedelta(days=5)
            return _Resolved(start, start + dt.timedelta(days=1), "week", f"{rel} weekend")
        end = start + dt.timedelta(days=6)
        if shift == 0 and mod == "earlier":
            end = base
        return _Resolved(start, end, "week", f"{mod + ' ' if mod else ''}{rel} week")
    if unit == "month":
        start = _add_months(base.replace(day=1), shift)
        end = _month_end(start.year, start.month)
        if shift == 0 and mod == "earlier":
            end = base
        elif shift == 0 and mod == "later":
            start = base
        return _Resolved(start, end, "month", f"{mod + ' ' if mod else ''}{rel} month")
    year = base.year + shift
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if shift == 0 and mod == "earlier":
        end = base
    return _Resolved(start, end, "year", f"{mod + ' ' if mod else ''}{rel} year")


# --------------------------------------------------------------------------------------------
# attachment to the trigger


def _is_future(trigger: Token) -> bool:
    verbs = [trigger]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.i != trigger.i:
        verbs.append(trigger.head)
    for verb in verbs:
        for child in verb.children:
            if child.dep_ == "aux" and child.lower_ in _FUTURE_AUX:
                return True
        head = verb.head
        if verb.dep_ == "xcomp" and head.lemma_.lower() in _FUTURE_HEADS:
            if head.lemma_.lower() != "go" or any(
                c.lower_ in ("is", "are", "was", "were", "am", "'s", "'re") for c in head.children
            ):
                return True
            if head.tag_ == "VBG":
                return True
    return False


def _governor(doc_span: Span) -> Token | None:
    """The word outside the date phrase that it attaches to."""
    root = doc_span.root
    node = root
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return None
        if doc_span.start <= head.i < doc_span.end or head.dep_ == "prep" and node.dep_ == "pobj":
            node = head
            continue
        return head
    return node.head if node.head.i != node.i else None


def _attachment(doc_span: Span, trigger: Token) -> int:
    """0 on the trigger, 1 on a word of its phrase, 2 on a clause above it, 3 elsewhere."""
    gov = _governor(doc_span)
    if gov is None:
        return 3
    if gov.i == trigger.i:
        return 0
    if gov.pos_ in ("NOUN", "PROPN"):
        # a date on a noun: "the August 13 accord" describes the accord, not the event
        return (
            1
            if gov.head.i == trigger.i and gov.dep_ not in ("dobj", "nsubj", "nsubjpass", "pobj")
            else 3
        )
    if nearest_verb(gov).i == trigger.i:
        return 1
    node = trigger
    for _ in range(6):
        if node.head.i == node.i:
            break
        node = node.head
        if node.i == gov.i:
            return 2
    return 3


def resolve_event_date(
    sent: Span,
    trigger: Token,
    pub_date: dt.date | None,
    *,
    today: dt.date | None = None,
) -> EventDate:
    """The date of the event stated by ``trigger`` in ``sent``.

    Relative expressions resolve against ``pub_date``; without a publication date they resolve
    against ``today`` (default: the current date) and the result has precision ``unknown``.
    """
    base = pub_date if pub_date is not None else (today or dt.date.today())
    future = _is_future(trigger)
    doc = sent.doc
    best: tuple[tuple[int, int], DateCandidate, _Resolved] | None = None
    for cand in date_candidates(sent):
        resolved = _resolve(cand, base, future)
        if resolved is None:
            continue
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if span.start <= trigger.i < span.end:
            continue
        attach = _attachment(span, trigger)
        distance = min(abs(t.i - trigger.i) for t in span)
        rank = (attach, distance)
        if best is None or rank < best[0]:
            best = (rank, cand, resolved)
    if best is None:
        return EventDate(
            value=base, precision="unknown", rule="publication date" if pub_date else "coding date"
        )
    _, cand, r = best
    precision: Precision = (
        r.precision
        if pub_date is not None or cand.kind in ("iso", "my", "year") or _has_year(cand)
        else "unknown"
    )
    return EventDate(
        value=r.value,
        end=r.end,
        precision=precision,
        text=cand.text,
        start=cand.start,
        end_char=cand.end,
        rule=r.rule,
    )


def _has_year(c: DateCandidate) -> bool:
    return bool(c.match.groupdict().get("y"))


# --------------------------------------------------------------------------------------------
# datelines

_DATELINE_RES: list[tuple[str, re.Pattern[str]]] = [
    (kind, pattern) for kind, pattern in _PATTERNS if kind in ("iso", "mdy", "dmy")
]


def parse_dateline_date(text: str, feed_date: dt.date | None) -> dt.date | None:
    """The date of a dateline such as ``"BAHRAIN, March 5 -"``; None when it states none.

    A date without a year takes the year that puts it nearest before the feed date (two days
    of slack allow for time zones); without a feed date, the current date is the reference.
    """
    base = (feed_date or dt.date.today()) + dt.timedelta(days=2)
    for kind, pattern in _DATELINE_RES:
        m = pattern.search(text)
        if m is None:
            continue
        resolved = _resolve(DateCandidate(m.start(), m.end(), m.group(0), kind, m), base, False)
        if resolved is not None:
            return resolved.value
    return None
