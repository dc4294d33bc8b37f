"""The English check that runs before parsing (error E009 for other languages)."""

from __future__ import annotations

import pytest

from newsevents.errors import NewsEventsError
from newsevents.language import not_english
from newsevents.model import Article

ENGLISH = [
    "The foreign minister met his Omani counterpart in Muscat on Monday and called for a ceasefire.",
    # terse wire tables have few function words of any language: still English
    "CHICAGO, March 3 - Shr 31 cts vs 41 cts\n\nNet 436,981 vs 583,715\n\nSales 11.7 mln vs 9.8 mln",
    "Iran condemns strike",  # headline: judged by script only
    "12345 67890",
    "",
]

OTHER = [
    ("Le ministre des Affaires étrangères a annoncé lundi qu'il se rendrait à Alger pour "
     "rencontrer son homologue afin de discuter de la coopération entre les deux pays.", "'fr'"),
    ("El ministro de Asuntos Exteriores se reunió el lunes con su homólogo marroquí para "
     "hablar de la cooperación en materia de migración y de las fronteras.", "'es'"),
    ("Der Außenminister traf sich am Montag mit seinem Amtskollegen, um über die "
     "Zusammenarbeit bei der Migration zu sprechen, sagte ein Sprecher des Ministeriums.", "'de'"),
    ("Menteri Luar Negeri bertemu dengan mitranya pada hari Senin untuk membahas kerja "
     "sama di bidang perbatasan dan perdagangan antara kedua negara.", "'id'"),
    ("قال وزير الخارجية إن بلاده ستواصل دعم الجهود الدبلوماسية", "Arabic"),
    ("外交部发言人周一表示，中方坚决反对任何形式的单边制裁。", "Cjk"),
    ("Министр иностранных дел встретился в понедельник со своим коллегой.", "Cyrillic"),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_passes(text: str) -> None:
    assert not_english(text) is None


@pytest.mark.parametrize(("text", "expected"), OTHER)
def test_other_languages_are_named(text: str, expected: str) -> None:
    detail = not_english(text)
    assert detail is not None and expected in detail


def test_english_quoting_a_foreign_phrase_stays_english() -> None:
    text = ('Protesters chanted "liberté, égalité, fraternité" outside the embassy in Paris on '
            "Saturday, police said, and several hundred people marched to the parliament.")
    assert not_english(text) is None


@pytest.mark.model
def test_pipeline_reports_e009(ne_nlp: object) -> None:
    from newsevents.pipeline import make_doc

    article = Article(id="ru1", text=OTHER[-1][0])
    with pytest.raises(NewsEventsError) as info:
        make_doc(ne_nlp, article)  # type: ignore[arg-type]
    assert info.value.code == "E009"


def test_function_word_lists_hold_only_non_english_strings() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    from newsevents.language import LANGUAGES, _stop_words

    lists = _stop_words()
    assert set(lists) == {"en", *LANGUAGES}
    for code in LANGUAGES:
        assert lists[code], code
        assert all(isinstance(w, str) and w == w.lower() for w in lists[code])
        assert not lists[code] & STOP_WORDS
