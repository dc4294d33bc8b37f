"""Actor knowledge: countries, organisations, armed groups, role nouns and loaded names.

The data are reviewed YAML files in ``newsevents/knowledge/data``; :func:`knowledge_version`
is a content hash of them, recorded with coded output. :func:`code_phrase` codes one noun
phrase (a spaCy ``Span``) as an :class:`~newsevents.annotations.ActorCode`.
"""

from __future__ import annotations

from newsevents.knowledge._data import knowledge_version, load_knowledge
from newsevents.knowledge.coder import (
    PhraseAnalysis,
    actor_code,
    analyse_phrase,
    code_phrase,
    country_code,
)

__all__ = [
    "PhraseAnalysis",
    "actor_code",
    "analyse_phrase",
    "code_phrase",
    "country_code",
    "knowledge_version",
    "load_knowledge",
]
