"""Normalization of article text before parsing, with a map back to the original offsets.

:func:`normalize` cleans what trips up the parser and keeps every change reversible:

* sentences glued without a space (``on Monday.He added``) get a space, while abbreviations
  (``U.S.``, ``e.g.``, ``Gen.``), initials (``J.R.R.``), decimals (``3.5``) and web addresses
  (``reuters.com``) are left alone;
* curly quotes and apostrophes, odd dashes and exotic spaces become their ASCII equivalents,
  one character for one wherever possible; zero-width characters and control characters are
  dropped;
* runs of spaces and line breaks inside a paragraph become one space; paragraph breaks become
  ``"\\n\\n"`` so that they stay sentence boundaries;
* a dateline or outlet prefix at the start (``DOHA, March 5 -``, ``WASHINGTON (Reuters) -``,
  ``Islam Times -``) is removed from the text to parse and reported as a
  :class:`~newsevents.annotations.Dateline` in original offsets.

The :class:`OffsetMap` holds a list of segments, so it costs memory in proportion to the number
of edits, not the length of the text, and each lookup is a binary search.

>>> n = normalize("DOHA, March 5 - Qatar\\u2019s emir spoke on Monday.He added more.")
>>> n.text
"Qatar's emir spoke on Monday. He added more."
>>> n.dateline.place
'DOHA'
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from newsevents.annotations import Dateline

__all__ = ["Normalized", "OffsetMap", "normalize", "parse_dateline_date"]

# ---------------------------------------------------------------------------------------------
# Offset map


@dataclass(frozen=True, slots=True)
class _Segment:
    n_start: int
    n_end: int
    o_start: int
    o_end: int
    linear: bool  # True: same length, offset i maps to o_start + i; False: a block maps as a whole


@dataclass(frozen=True)
class OffsetMap:
    """Maps character offsets of a normalized text to the original text and back.

    Segments cover the normalized text without gaps. A *linear* segment has the same length on
    both sides (unchanged text, or 1:1 replacements such as curly quotes); a *block* segment maps
    a changed stretch as a whole (a collapsed whitespace run, an inserted space). Original text
    that was deleted lies between segments.
    """

    original_length: int
    normalized_length: int
    _segments: tuple[_Segment, ...] = field(repr=False)
    _n_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _o_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_n_starts", tuple(s.n_start for s in self._segments))
        object.__setattr__(self, "_o_starts", tuple(s.o_start for s in self._segments))

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a text that normalization left unchanged."""
        segments = (_Segment(0, length, 0, length, True),) if length else ()
        return cls(length, length, segments)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalized span ``[start, end)`` to a span of the original text.

        Spans are clamped to the text; the result is monotone in ``start`` and ``end``. Inside a
        changed stretch the whole stretch is returned, so the original span covers what the
        normalized span was made from.
        """
        start = min(max(start, 0), self.normalized_length)
        end = min(max(end, start), self.normalized_length)
        o_start = self._orig_start(start)
        if end == start:
            return o_start, o_start
        o_end = self._orig_end(end)
        return o_start, max(o_start, o_end)

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """Map the original span ``[start, end)`` to the normalized text (the inverse mapping).

        Original text that was removed (a dateline, zero-width characters) maps to an empty
        span at the place where it was removed.
        """
        start = min(max(start, 0), self.original_length)
        end = min(max(end, start), self.original_length)
        n_start = self._norm_start(start)
        if end == start:
            return n_start, n_start
        n_end = self._norm_end(end)
        return n_start, max(n_start, n_end)

    # -- lookups --------------------------------------------------------------------------------

    def _orig_start(self, pos: int) -> int:
        if pos >= self.normalized_length or not self._segments:
            return self._segments[-1].o_end if self._segments else self.original_length
        seg = self._segments[bisect_right(self._n_starts, pos) - 1]
        return seg.o_start + (pos - seg.n_start) if seg.linear else seg.o_start

    def _orig_end(self, pos: int) -> int:
        # the segment that holds the last character of the span
        seg = self._segments[bisect_right(self._n_starts, pos - 1) - 1]
        return seg.o_start + (pos - seg.n_start) if seg.linear else seg.o_end

    def _containing_original(self, pos: int) -> int:
        """Index of the last segment whose original side starts at or before ``pos``."""
        return bisect_right(self._o_starts, pos) - 1

    def _norm_start(self, pos: int) -> int:
        i = self._containing_original(pos)
        while i >= 0 and self._segments[i].o_start == self._segments[i].o_end:
            i -= 1  # skip inserted text: it has no original characters
        if i < 0:
            return 0
        seg = self._segments[i]
        if pos < seg.o_end:
            return seg.n_start + (pos - seg.o_start) if seg.linear else seg.n_start
        return seg.n_end  # in a deleted gap after this segment

    def _norm_end(self, pos: int) -> int:
        i = self._containing_original(pos - 1)
        while i >= 0 and self._segments[i].o_start == self._segments[i].o_end:
            i -= 1
        if i < 0:
            return 0
        seg = self._segments[i]
        if pos - 1 < seg.o_end:
            return seg.n_start + (pos - seg.o_start) if seg.linear else seg.n_end
        return seg.n_end


class _Builder:
    """Accumulates normalized text and its segments in one left-to-right pass."""

    __slots__ = ("parts", "segments", "n_pos", "source")

    def __init__(self, source: str) -> None:
        self.source = source  # the 1:1 translated text (same offsets as the original)
        self.parts: list[str] = []
        self.segments: list[_Segment] = []
        self.n_pos = 0

    def copy(self, o_start: int, o_end: int) -> None:
        """Copy ``source[o_start:o_end]`` (unchanged or 1:1 translated characters)."""
        if o_end <= o_start:
            return
        length = o_end - o_start
        self.parts.append(self.source[o_start:o_end])
        last = self.segments[-1] if self.segments else None
        if last is not None and last.linear and last.o_end == o_start and last.n_end == self.n_pos:
            self.segments[-1] = _Segment(
                last.n_start, self.n_pos + length, last.o_start, o_end, True
            )
        else:
            self.segments.append(_Segment(self.n_pos, self.n_pos + length, o_start, o_end, True))
        self.n_pos += length

    def replace(self, o_start: int, o_end: int, text: str) -> None:
        """Put ``text`` in place of ``source[o_start:o_end]`` (either side may be empty)."""
        if not text:
            return  # a deletion: the original stretch lies between segments
        if o_end - o_start == len(text) and self.source[o_start:o_end] == text:
            self.copy(o_start, o_end)
            return
        self.parts.append(text)
        self.segments.append(_Segment(self.n_pos, self.n_pos + len(text), o_start, o_end, False))
        self.n_pos += len(text)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""


# ---------------------------------------------------------------------------------------------
# Character tables

_DELETE = "\x00"  # placeholder for characters to drop; real NULs are dropped too

_TRANSLATE: dict[int, str] = {}
for _ch in "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07":
    _TRANSLATE[ord(_ch)] = "'"
for _ch in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02":
    _TRANSLATE[ord(_ch)] = '"'
for _ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _TRANSLATE[ord(_ch)] = "-"
for _ch in "\t\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
    _TRANSLATE[ord(_ch)] = " "
for _ch in "\x85\u2028\u2029":
    _TRANSLATE[ord(_ch)] = "\n"
for _code in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]:
    _TRANSLATE[_code] = _DELETE
for _ch in "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff":
    _TRANSLATE[ord(_ch)] = _DELETE
# unpaired surrogates cannot be encoded or parsed; drop them too
for _code in range(0xD800, 0xE000):
    _TRANSLATE[_code] = _DELETE

_OPENING_QUOTES = frozenset("\u201c\u201e\u201f\u00ab\u2018\u201a\u201b")
_CLOSING_QUOTES = frozenset("\u201d\u00bb\u2019")
_LONG_DASHES = frozenset("\u2014\u2015")

# Abbreviations that end with a period and are often followed by a capitalised word.
# fmt: off
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "messrs", "dr", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "cmdr",
    "adm", "brig", "gov", "sen", "rep", "reps", "pres", "prof", "st", "mt", "ft", "jr", "sr",
    "rev", "hon", "amb", "sec", "supt", "insp", "det", "cpl", "pvt", "pte", "inc", "ltd", "corp",
    "co", "bros", "plc", "vs", "etc", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "fig", "approx", "dept", "est", "ave", "blvd", "rd", "univ",
    "assn", "intl", "natl", "govt",
))
# fmt: on
_WEB_HINT = re.compile(r"://|www\.|@|[/=&]")
_DOMAIN_AFTER = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,6}\b")

# whitespace runs (after the 1:1 table), glued sentence ends, long dashes glued to words
_SCAN = re.compile(
    r"(?P<ws>[ \n\r\x00]{2,}|[\n\r\x00])"
    r"|(?P<glue>(?<=\S)[.!?]+[\"')\]]*(?=[\"'(\[]?[A-Z]))"
    r"|(?P<dash>(?<=\w)-(?=\w))"
)

# ---------------------------------------------------------------------------------------------
# Datelines

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5,
    "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:Mon|Tue(?:s)?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_DATE_RE = (
    rf"(?:{_WEEKDAY_RE},?\s+)?(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}(?:,?\s+\d{{4}})?)"
    rf"|{_WEEKDAY_RE}"
)
# an all-caps place: "DOHA", "GAZA CITY", "NEW YORK/LONDON", "N'DJAMENA", "ST. PETERSBURG"
_PLACE_RE = r"[A-Z][A-Z'.\-]+[A-Z.](?:[ /][A-Z][A-Z'.\-]*)*"
_REGION_RE = (
    rf"(?!{_MONTH_RE}\s+\d|{_WEEKDAY_RE}\b)[A-Z][a-zA-Z.'\-]+(?:\s[A-Z][a-zA-Z.'\-]+){{0,2}}"
)
_OUTLET_PAREN_RE = r"\((?:[A-Z][\w.&'\-]*)(?:\s[A-Z][\w.&'\-]*){0,3}\)"
# named outlet prefixes without a place ("Islam Times -", "IRNA -"): agency names, or names that
# end in a word newspapers use
_AGENCIES = (
    "Reuters|AFP|AP|UPI|IRNA|ISNA|Xinhua|Tasnim|Mehr|Fars|WAFA|SANA|TASS|RIA Novosti|Anadolu"
    "|ANI|PTI|IANS|KUNA|WAM|SPA|QNA|BNA|MENA|Yonhap|Kyodo|Bernama|Al Jazeera|Al Arabiya|Ma'an"
)
_NEWS_WORDS = (
    "Times|News|Post|Press|Agency|TV|Television|Online|Daily|Herald|Tribune|Journal|Network"
    "|Wire|Today|Monitor|Observer|Gazette|Media|Radio|Telegraph|Chronicle|Express|Star|Mail"
)
_DASH_END = r"(?P<dash>\s*(?:--?|:)(?=\s|$)|\s+--?|\s*(?P<long>-))"
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE_RE})"
    rf"(?:,\s+(?P<region>{_REGION_RE}))?"
    rf"(?:,?\s+(?P<date>{_DATE_RE}))?"
    rf"(?:\s*(?P<outlet>{_OUTLET_PAREN_RE}))?"
    rf"{_DASH_END}"
)
_OUTLET_PREFIX = re.compile(
    rf"(?P<outlet>{_OUTLET_PAREN_RE}"
    rf"|(?:{_AGENCIES})(?:\s+(?:{_NEWS_WORDS}))?"
    rf"|[A-Z][\w.&']*(?:\s[A-Z][\w.&']*){{0,3}}\s(?:{_NEWS_WORDS}))"
    rf"(?:,?\s+(?P<date>{_DATE_RE}))?"
    rf"{_DASH_END}"
)
_LEADING_WS = re.compile(r"[ \n\r\x00]*")
# all-caps labels that look like a dateline place but are not one ("BREAKING: ...")
# fmt: off
_NOT_PLACES = frozenset((
    "BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "VIDEO", "ANALYSIS", "OPINION",
    "EDITORIAL", "LIVE", "FACTBOX", "EXPLAINER", "CORRECTED", "CORRECTION", "URGENT", "FLASH",
    "REFILE", "PHOTOS", "INTERVIEW", "COMMENT",
))
# fmt: on


def parse_dateline_date(text: str, base: dt.date | None) -> dt.date | None:
    """Read the date of a dateline (``March 5``, ``5 Mar 2024``, ``Monday``).

    Without a year, the year is inferred toward the past from ``base`` (the feed date): the
    latest date not more than two days after ``base`` (datelines can be a time zone ahead of
    the feed). A bare weekday is the latest such day on or before ``base``. Returns ``None``
    when the text is not a date or the year cannot be inferred because ``base`` is unknown.
    """
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = day = year = None
    weekday = None
    for word in words:
        low = word.lower()
        if word.isdigit():
            if len(word) == 4:
                year = int(word)
            elif day is None:
                day = int(word)
        elif low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif low in _WEEKDAYS:
            weekday = _WEEKDAYS[low]
    if month is not None and day is not None:
        if year is not None:
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
        if base is None:
            return None
        limit = base + dt.timedelta(days=2)
        for candidate in range(limit.year, limit.year - 9, -1):
            try:
                value = dt.date(candidate, month, day)
            except ValueError:
                continue  # 29 February in a common year
            if value <= limit:
                return value
        return None
    if weekday is not None and base is not None:
        return base - dt.timedelta(days=(base.weekday() - weekday) % 7)
    return None


def _long_dash_ok(match: re.Match[str], raw: str) -> bool:
    """A dash that ends a dateline needs a space next to it unless it is a real long dash."""
    if match.group("long") is None:
        return True
    return raw[match.start("long")] in _LONG_DASHES or raw[match.start("long")] == "\u2013"


def _find_prefix(
    t: str, raw: str, pos: int, pub_date: dt.date | None
) -> tuple[int, Dateline] | None:
    """Match datelines and outlet prefixes at ``pos``; return where the body starts."""
    end = pos
    place: str | None = None
    date: dt.date | None = None
    for _ in range(3):  # "Islam Times - WASHINGTON (Reuters) -"
        window = t[end : end + 200]
        match = _OUTLET_PREFIX.match(window) or _DATELINE.match(window)
        if match is None or not _long_dash_ok(match, raw[end : end + 200]):
            break
        groups = match.groupdict()
        if place is None and groups.get("place") and groups["place"] not in _NOT_PLACES:
            place = groups["place"].strip()
        if date is None and groups.get("date"):
            date = parse_dateline_date(groups["date"], pub_date)
        end += match.end()
        end += len(_LEADING_WS.match(t, end).group())  # type: ignore[union-attr]
    if end == pos:
        return None
    text_end = end
    while text_end > pos and t[text_end - 1] in " \n\r\x00":
        text_end -= 1
    if text_end == len(t.rstrip(" \n\r\x00")):
        return None  # the whole document is the "prefix": keep it as text
    dateline = Dateline(text=raw[pos:text_end], start=pos, end=text_end, place=place, date=date)
    return end, dateline


def _headline_end(t: str, pos: int) -> tuple[int, int] | None:
    """If the text starts with a short headline line: where it ends and the next line starts."""
    newline = t.find("\n", pos, pos + 160)
    if newline < 0:
        return None
    line = t[pos:newline].rstrip(" \r\x00")
    if not line or line[-1] in ".!?" or len(line) > 150:
        return None
    return pos + len(line), newline + len(_LEADING_WS.match(t, newline).group())  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# The normalizer


@dataclass(frozen=True)
class Normalized:
    """The result of :func:`normalize`.

    ``text`` is what the parser sees, ``offsets`` maps its offsets back to the original,
    ``dateline`` is the removed dateline or outlet prefix (original offsets) and ``prefix_end``
    is the original offset where the story body starts after it (0 when nothing was removed
    at the start; after a headline line, the dateline that follows it is removed too).
    """

    text: str
    offsets: OffsetMap
    dateline: Dateline | None
    prefix_end: int


def normalize(raw: str, *, pub_date: dt.date | None = None) -> Normalized:
    """Clean ``raw`` for parsing; see the module docstring for what changes.

    ``pub_date`` (the feed's publication date) is used only to infer the year of a dateline
    date such as ``March 5``.
    """
    t = raw.translate(_TRANSLATE)
    length = len(t)
    start = len(_LEADING_WS.match(t).group())  # type: ignore[union-attr]
    stop = length
    while stop > start and t[stop - 1] in " \n\r\x00":
        stop -= 1

    dateline: Dateline | None = None
    prefix_end = 0
    headline_stop = 0
    found = _find_prefix(t, raw, start, pub_date) if start < stop else None
    if found is not None:
        prefix_end, dateline = found
        start = prefix_end
    elif start < stop:
        headline = _headline_end(t, start)
        if headline is not None:
            found = _find_prefix(t, raw, headline[1], pub_date)
            if found is not None:
                prefix_end, dateline = found
                headline_stop = headline[0]

    builder = _Builder(t)
    if dateline is None or not headline_stop:
        _scan(builder, t, raw, start, stop)
    else:  # headline, paragraph break, (dateline removed), body
        _scan(builder, t, raw, start, headline_stop)
        builder.replace(headline_stop, dateline.start, "\n\n")
        _scan(builder, t, raw, prefix_end, stop)
    text = "".join(builder.parts)
    offsets = OffsetMap(length, len(text), tuple(builder.segments))
    return Normalized(text=text, offsets=offsets, dateline=dateline, prefix_end=prefix_end)


def _scan(builder: _Builder, t: str, raw: str, start: int, stop: int) -> None:
    """Normalize ``t[start:stop]`` into ``builder``."""
    pos = start
    line_start = start  # where the current line of the original starts
    in_quote = False
    quote_pos = start  # quotes before this offset are counted in ``in_quote``
    for match in _SCAN.finditer(t, start, stop):
        kind = match.lastgroup
        m_start, m_end = match.span()
        if kind == "ws":
            builder.copy(pos, m_start)
            run = t[m_start:m_end]
            if m_end >= stop:
                pos = m_end  # trailing whitespace of a piece: dropped
                continue
            breaks = run.count("\n") + run.count("\r") - run.count("\r\n")
            if breaks == 0:
                if " " in run:
                    first = m_start + run.index(" ")
                    builder.copy(first, first + 1)
                # a run of zero-width characters only: deleted
            elif (
                breaks >= 2 or line_start == start or not _soft_wrap(t, line_start, m_start, m_end)
            ):
                if builder.n_pos:
                    builder.replace(m_start, m_end, "\n\n")
                in_quote = False
                quote_pos = m_end
            else:
                builder.replace(m_start, m_end, " ")
            if breaks:
                line_start = m_end
            pos = m_end
        elif kind == "glue":
            for q in re.finditer(r"[\"']", t[quote_pos:m_start]):
                in_quote = _quote_state(raw[quote_pos + q.start()], in_quote)
            quote_pos = m_start
            insert_at = _glue_point(t, raw, m_start, m_end, in_quote)
            if insert_at is not None:
                builder.copy(pos, insert_at)
                builder.replace(insert_at, insert_at, " ")
                pos = insert_at
        else:  # a dash glued between two words
            if raw[m_start] in _LONG_DASHES:
                builder.copy(pos, m_start)
                builder.replace(m_start, m_end, " - ")
                pos = m_end
    builder.copy(pos, stop)


def _quote_state(char: str, inside: bool) -> bool:
    """Track whether we are inside a double-quoted stretch (single quotes are ignored)."""
    if char in "\u201c\u201e\u201f\u00ab":
        return True
    if char in "\u201d\u00bb":
        return False
    if char == '"':
        return not inside
    return inside


def _soft_wrap(t: str, line_start: int, ws_start: int, ws_end: int) -> bool:
    """Is a single line break a wrapped line inside a paragraph (rather than a new paragraph)?"""
    prev = t[ws_start - 1] if ws_start > 0 else ""
    nxt = t[ws_end] if ws_end < len(t) else ""
    if not prev or prev in ".!?:;\"')]":
        return False
    if nxt.islower() or nxt.isdigit() or prev in ",-(":
        return True
    # a long line ending in a word, then a capitalised word: a hard-wrapped paragraph
    return prev.isalpha() and prev.islower() and 40 <= ws_start - line_start <= 110


def _glue_point(t: str, raw: str, m_start: int, m_end: int, in_quote: bool) -> int | None:
    """Where to insert a space in a glued sentence end, or ``None`` to leave it alone."""
    punct_end = m_start
    while punct_end < m_end and t[punct_end] in ".!?":
        punct_end += 1
    punct = t[m_start:punct_end]
    # the token the punctuation belongs to, within a bounded window
    left = m_start
    while left > m_start - 64 and left > 0 and not t[left - 1].isspace():
        left -= 1
    right = m_end
    while right < m_end + 64 and right < len(t) and not t[right].isspace():
        right += 1
    token = t[left:right]
    if _WEB_HINT.search(token):
        return None
    word_match = re.search(r"[A-Za-z0-9]+$", t[left:m_start])
    word = word_match.group() if word_match else ""
    after = t[m_end:right].lstrip("\"'([")
    if punct == ".":
        if len(word) == 1 and word.isalpha():
            return None  # initials and dotted abbreviations: U.S., J.R.R., e.g.
        if word.lower() in _ABBREVIATIONS:
            return None
        if re.match(r"[A-Z]\.", after):
            return None  # Ph.D., U.S.A.
        if _DOMAIN_AFTER.match(after):
            return None  # News.Example.com
        if "." in t[left:m_start] and not word.isdigit():
            # an earlier dot in the same token: "a.m.The", "No.1.The"; only split after words
            inner = t[left:m_start].rstrip(".")
            if re.search(r"\.[A-Za-z]{1,2}$", inner):
                return None
    if not word and t[m_start - 1] not in "\"')]%":
        return None  # "...", "?!" after punctuation only
    # the insertion point: after closing quotes and brackets, before opening ones
    insert_at = punct_end
    inside = in_quote
    while insert_at < m_end:
        char = t[insert_at]
        if char in ")]":
            insert_at += 1
            continue
        original = raw[insert_at]
        if char == '"':
            closing = original in _CLOSING_QUOTES or (original not in _OPENING_QUOTES and inside)
        else:  # "'"
            closing = original not in _OPENING_QUOTES
        if not closing:
            break
        inside = False
        insert_at += 1
    return insert_at
