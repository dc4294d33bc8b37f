"""The knowledge files load, validate and index as documented (no spaCy model needed)."""

from __future__ import annotations

import re

import pytest

from newsevents.knowledge import country_code, knowledge_version, load_knowledge
from newsevents.knowledge._data import norm


def test_version_is_a_stable_content_hash() -> None:
    v = knowledge_version()
    assert re.fullmatch(r"[0-9a-f]{16}", v)
    assert knowledge_version() == v


def test_every_country_has_iso3_and_cameo() -> None:
    kb = load_knowledge()
    assert len(kb.countries) > 200
    for iso, c in kb.countries.items():
        assert re.fullmatch(r"[A-Z]{3}", iso)
        assert re.fullmatch(r"[A-Z]{3,6}", c.cameo)


@pytest.mark.parametrize(
    ("iso", "cameo"),
    [("IRN", "IRN"), ("PSE", "PSE"), ("XKX", "KSV"), ("PRI", "USAPRI"), ("USA", "USA")],
)
def test_cameo_differences(iso: str, cameo: str) -> None:
    assert country_code(iso) == cameo


@pytest.mark.parametrize(
    ("phrase", "kind", "iso"),
    [
        ("US", "country", "USA"),
        ("U.S.", "country", "USA"),
        ("United States of America", "country", "USA"),
        ("America", "country", "USA"),
        ("Britain", "country", "GBR"),
        ("UK", "country", "GBR"),
        ("Syria", "country", "SYR"),
        ("Russia", "country", "RUS"),
        ("Iranian", "demonym", "IRN"),
        ("Iranians", "plural", "IRN"),
        ("Emirati", "demonym", "ARE"),
        ("Omani", "demonym", "OMN"),
        ("Qatari", "demonym", "QAT"),
        ("Saudi", "demonym", "SAU"),
        ("Israeli", "demonym", "ISR"),
        ("Palestinian", "demonym", "PSE"),
        ("Tehran", "seat", "IRN"),
        ("Doha", "seat", "QAT"),
        ("Washington", "seat", "USA"),
        ("White House", "seat", "USA"),
        ("Kremlin", "seat", "RUS"),
        ("Downing Street", "seat", "GBR"),
        ("Tel Aviv", "seat", "ISR"),
        ("Ankara", "seat", "TUR"),
        ("Beijing", "seat", "CHN"),
    ],
)
def test_country_index(phrase: str, kind: str, iso: str) -> None:
    from newsevents.knowledge._data import _key

    entries = load_knowledge().index[_key(phrase)]
    assert any(e.kind == kind and e.country is not None and e.country.iso3 == iso for e in entries)


@pytest.mark.parametrize(
    ("alias", "org_id", "code"),
    [
        ("UN", "un", "IGOUNO"),
        ("UNRWA", "unrwa", "IGOUNOREF"),
        ("IAEA", "iaea", "IGOUNOIAE"),
        ("NATO", "nato", "IGOWSTNAT"),
        ("Arab League", "arableague", "IGOMEAARL"),
        ("Red Crescent", "redcrescent", "NGOHLHIRC"),
        ("Doctors Without Borders", "msf", "NGOHLHMSF"),
        ("Hamas", "hamas", "PSEREB"),
        ("Islamic Jihad", "pij", "PSEREB"),
        ("Hezbollah", "hezbollah", "LBNREB"),
        ("ISIL", "islamicstate", "IMGMUSISI"),
        ("al-Qaeda", "alqaeda", "IMGMUSALQ"),
        ("Ansar Allah", "houthis", "YEMREB"),
        ("Boko Haram", "bokoharam", "NGAREB"),
        ("HTS", "hts", "SYRREB"),
        ("Wagner", "wagner", "RUSMIL"),
    ],
)
def test_organisation_index(alias: str, org_id: str, code: str) -> None:
    from newsevents.knowledge._data import _key

    entries = load_knowledge().index[_key(alias)]
    orgs = [e.org for e in entries if e.org is not None]
    assert orgs and orgs[0].id == org_id and orgs[0].code == code


def test_short_acronyms_are_case_sensitive() -> None:
    from newsevents.knowledge._data import _key

    kb = load_knowledge()
    for alias in ("US", "IS", "WHO", "AU"):
        assert all(e.case_sensitive for e in kb.index[_key(alias)] if e.kind in ("country", "org"))


def test_norm_strips_accents_and_quotes() -> None:
    assert norm("Élysée") == "elysee"
    assert norm("Da\u2019esh") == "da'esh"
