"""The reviewed data files of the exporters (``export/data/*.tsv``), read once and cached."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from newsevents.errors import Errors, NewsEventsError

__all__ = ["Country", "cameo_types", "countries"]


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    fips: str | None
    name: str


def _rows(name: str) -> list[list[str]]:
    """The data rows of a tab-separated data file (``#`` comments and the header skipped)."""
    try:
        text = resources.files("newsevents.export").joinpath("data", name).read_text("utf-8")
    except FileNotFoundError as err:
        raise NewsEventsError(Errors.E106, path=f"newsevents/export/data/{name}") from err
    rows: list[list[str]] = []
    header = True
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if header:
            header = False
            continue
        rows.append(line.split("\t"))
    return rows


@functools.cache
def countries() -> dict[str, Country]:
    """Country by ISO-3 / CAMEO code, with its FIPS 10-4 code (``None`` where it has none)."""
    out: dict[str, Country] = {}
    for row in _rows("iso3_fips.tsv"):
        iso3, fips, name = (row + ["", "", ""])[:3]
        out[iso3] = Country(iso3=iso3, fips=fips or None, name=name)
    return out


@functools.cache
def cameo_types() -> dict[str, str | None]:
    """PLOVER sector code → CAMEO actor type code (``None`` where CAMEO has none)."""
    return {
        row[0]: (row[1] if len(row) > 1 and row[1] else None) for row in _rows("cameo_sectors.tsv")
    }
