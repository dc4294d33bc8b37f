"""De-duplication: near-duplicate article groups and event clusters, both kept in the store.

:func:`assign_dup_group` groups wire copies and re-publications with MinHash LSH;
:func:`assign_cluster` merges the mentions of one real-world event reported by several
articles into one ``event_clusters`` row. The store's writer calls both inside its
per-article transaction.
"""

from __future__ import annotations

from newsevents.dedup.clusters import (
    CountReport,
    Mention,
    Side,
    assign_cluster,
    cluster_id_for,
    count_interval,
    counts_conflict,
    date_window,
    disagreements,
    haversine_km,
    names_match,
    pair_score,
    side_score,
)
from newsevents.dedup.near_duplicates import assign_dup_group, jaccard, shingles

__all__ = [
    "CountReport",
    "Mention",
    "Side",
    "assign_cluster",
    "assign_dup_group",
    "cluster_id_for",
    "count_interval",
    "counts_conflict",
    "date_window",
    "disagreements",
    "haversine_km",
    "jaccard",
    "names_match",
    "pair_score",
    "shingles",
    "side_score",
]
