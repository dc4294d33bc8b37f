"""Near-duplicate groups: MinHash LSH bands in the store, exact Jaccard verification."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dedup_support import MiniWriter

from newsevents.dedup import assign_dup_group, jaccard, shingles
from newsevents.dedup.near_duplicates import (
    BANDS,
    JACCARD_THRESHOLD,
    band_buckets,
    candidate_probability,
    words,
)
from newsevents.store import schema

# Invented stories, written for these tests.
HARBOUR = (
    "Dock workers in the port city of Valmora walked off the job on Tuesday after talks over "
    "pay and night shifts collapsed, leaving dozens of container ships waiting at anchor outside "
    "the harbour. The union said its members had not received a raise in four years while "
    "the cost of food and rent had climbed sharply, and that the port authority had refused to "
    "discuss a new shift schedule that would limit overnight work. A spokesman for the port "
    "authority said the strike was illegal because the union had not given the notice required "
    "by law, and warned that workers who stayed away for more than three days could be "
    "dismissed. Shipping companies began diverting vessels to smaller terminals along the coast, "
    "and exporters of fruit and coffee said their cargo could spoil within a week if it was not "
    "loaded. The transport minister called both sides to a meeting on Thursday and said the "
    "government was ready to mediate, but union leaders said they would not return to work until "
    "the authority withdrew its threat of dismissals. Police were deployed at the main gate, "
    "where several hundred strikers gathered with banners and drums, but officers said the "
    "protest had been peaceful and no arrests had been made."
)

FLOODS = (
    "Heavy rain over the weekend swelled rivers across the northern province of Estrel, forcing "
    "thousands of families to leave their homes as water rose into villages and farmland. The "
    "provincial disaster office said at least six people had drowned and that rescue teams were "
    "still searching for residents reported missing near the town of Korra, where a bridge was "
    "washed away on Sunday night. Army helicopters dropped food and drinking water to "
    "communities cut off by landslides, and the health ministry warned of a risk of cholera in "
    "crowded shelters. Farmers said the floods had destroyed much of the rice harvest weeks "
    "before it was due to be brought in, and the agriculture minister promised compensation "
    "for lost crops. Forecasters expect more rain later in the week."
)

# Same topic as FLOODS, different story and wording.
FLOODS_OTHER = (
    "Flood waters began to recede on Wednesday in parts of Estrel province, but officials warned "
    "that the danger was not over as fresh storms were forecast for the coming days. In the "
    "town of Korra, volunteers cleared mud from the market square and the district hospital "
    "reopened its ground floor, which had been under water since the weekend. The provincial "
    "governor visited shelters housing displaced families and said the government would "
    "rebuild the destroyed bridge within three months. Aid groups appealed for tents, "
    "blankets and water purification tablets, saying supplies in the camps were running low. "
    "The death toll from the floods rose to nine after two bodies were found downstream."
)


def wire_copy(body: str, headline: str, dateline: str, footer: str) -> str:
    return f"{headline}\n\n{dateline} - {body}\n\n{footer}"


def test_shingles_lowercase_strip_punctuation() -> None:
    assert words("The U.N.'s envoy, Ms. Kaur, said: \"No!\"") == [
        "the", "u", "n", "s", "envoy", "ms", "kaur", "said", "no",
    ]
    assert shingles("A b c d e f") == {"a b c d e", "b c d e f"}
    assert shingles("Short text.") == {"short text"}
    assert shingles(" ... ") == set()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [({"x"}, {"x"}, 1.0), ({"x", "y"}, {"y", "z"}, 1 / 3), (set(), set(), 0.0), ({"x"}, set(), 0.0)],
)
def test_jaccard(a: set[str], b: set[str], expected: float) -> None:
    assert jaccard(a, b) == pytest.approx(expected)


def test_s_curve_favours_recall_at_threshold() -> None:
    assert candidate_probability(JACCARD_THRESHOLD) > 0.9
    assert candidate_probability(0.8) > 0.99
    assert candidate_probability(0.3) < 0.02


def test_buckets_are_deterministic_and_similarity_preserving() -> None:
    a = band_buckets(shingles(HARBOUR))
    assert a == band_buckets(shingles(HARBOUR))
    assert len(a) == BANDS and all(len(b) == 16 for b in a)
    copy = band_buckets(shingles(wire_copy(HARBOUR, "Port strike strands ships", "VALMORA", "(c) Wire")))
    assert sum(x == y for x, y in zip(a, copy, strict=True)) >= 5
    assert not set(a) & set(band_buckets(shingles(FLOODS)))


def test_wire_copy_with_other_headline_and_boilerplate_joins_group(writer: MiniWriter) -> None:
    first = writer.write("a" * 40, HARBOUR, source="Valmora Daily")
    copy = wire_copy(
        HARBOUR,
        "Port of Valmora paralysed as dockers strike over pay",
        "VALMORA, March 5 (Example Wire)",
        "Reporting by A. Writer; editing by B. Editor. Our standards: the Example Wire trust "
        "principles. Copyright 2024 Example Wire. All rights reserved.",
    )
    assert jaccard(shingles(HARBOUR), shingles(copy)) >= JACCARD_THRESHOLD
    second = writer.write("b" * 40, copy, source="Example Wire")
    assert first.dup_group == "a" * 40
    assert second.dup_group == "a" * 40


def test_different_stories_on_same_topic_stay_apart(writer: MiniWriter) -> None:
    assert jaccard(shingles(FLOODS), shingles(FLOODS_OTHER)) < 0.1
    one = writer.write("c" * 40, FLOODS)
    two = writer.write("d" * 40, FLOODS_OTHER)
    three = writer.write("e" * 40, HARBOUR)
    assert (one.dup_group, two.dup_group, three.dup_group) == ("c" * 40, "d" * 40, "e" * 40)


def test_groups_are_transitive_and_named_by_first_article(writer: MiniWriter) -> None:
    s = HARBOUR.split(". ")
    edited = ". ".join([*s[:-1], "Talks are expected to resume next week"])
    re_edited = ". ".join(
        [*s[:3], "Exporters said the strike was costing them millions every day", *s[4:-1],
         "Talks are expected to resume next week"]
    )
    # b is close to a, c is close to b but not to a: c still joins a's group through b
    assert jaccard(shingles(HARBOUR), shingles(edited)) >= JACCARD_THRESHOLD
    assert jaccard(shingles(edited), shingles(re_edited)) >= JACCARD_THRESHOLD
    assert jaccard(shingles(HARBOUR), shingles(re_edited)) < JACCARD_THRESHOLD
    a = writer.write("1" * 40, HARBOUR)
    b = writer.write("2" * 40, edited)
    c = writer.write("3" * 40, re_edited)
    assert a.dup_group == b.dup_group == c.dup_group == "1" * 40


def test_earliest_match_wins_when_groups_meet(writer: MiniWriter) -> None:
    # Two unrelated groups exist; an article similar to the later one's member joins that group.
    writer.write("f" * 40, FLOODS)
    writer.write("9" * 40, HARBOUR)
    late = writer.write("8" * 40, HARBOUR + " Updated.")
    assert late.dup_group == "9" * 40


def test_bands_stored_once_and_recall_idempotent(conn: sa.Connection, writer: MiniWriter) -> None:
    writer.write("a" * 40, HARBOUR)
    n = conn.execute(sa.select(sa.func.count()).select_from(schema.minhash_bands)).scalar_one()
    assert n == BANDS
    assert assign_dup_group(conn, "a" * 40, HARBOUR) == "a" * 40
    n2 = conn.execute(sa.select(sa.func.count()).select_from(schema.minhash_bands)).scalar_one()
    assert n2 == BANDS


def test_empty_text_is_its_own_group(conn: sa.Connection) -> None:
    assert assign_dup_group(conn, "x" * 40, "  ...  ") == "x" * 40
    n = conn.execute(sa.select(sa.func.count()).select_from(schema.minhash_bands)).scalar_one()
    assert n == 0


def test_determinism_same_order_same_groups(conn: sa.Connection) -> None:
    texts = [HARBOUR, FLOODS, HARBOUR + " More.", FLOODS_OTHER, "Extra line. " + FLOODS]
    w = MiniWriter(conn)
    first = [w.write(f"{i:040d}", t).dup_group for i, t in enumerate(texts)]
    assert first == [f"{i:040d}" for i in (0, 1, 0, 3, 1)]
    # a second store fed the same way gives the same answer
    engine = sa.create_engine("sqlite://")
    with engine.connect() as other:
        schema.metadata.create_all(other)
        w2 = MiniWriter(other)
        assert [w2.write(f"{i:040d}", t).dup_group for i, t in enumerate(texts)] == first
    engine.dispose()


def test_public_names_are_exported() -> None:
    import newsevents.dedup as dedup

    assert {"assign_dup_group", "assign_cluster"} <= set(dedup.__all__)
    for name in dedup.__all__:
        assert getattr(dedup, name) is not None
