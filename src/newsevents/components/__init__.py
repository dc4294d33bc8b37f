"""newsevents' spaCy components, one stage per module, in pipeline order.

=========================  ============================  ====================================
factory                    module                        adds
=========================  ============================  ====================================
``newsevents_entities``    :mod:`.entities`              ``doc._.ne_mentions``, ``ne_entities``
``newsevents_places``      :mod:`.places`                ``doc._.ne_places``
``newsevents_triggers``    :mod:`.triggers`              ``doc._.ne_triggers``
``newsevents_arguments``   :mod:`.arguments`             ``doc._.ne_arguments``
``newsevents_factuality``  :mod:`.factuality`            ``doc._.ne_factuality``
``newsevents_events``      :mod:`.events`                ``doc._.events``
=========================  ============================  ====================================
"""

from __future__ import annotations

__all__ = ["PIPELINE", "register_factories"]

PIPELINE = (
    "newsevents_entities",
    "newsevents_places",
    "newsevents_triggers",
    "newsevents_arguments",
    "newsevents_factuality",
    "newsevents_events",
)


def register_factories() -> None:
    """Import the component modules so spaCy knows their factories. Idempotent."""
    from newsevents.components import (  # noqa: F401
        arguments,
        entities,
        events,
        factuality,
        places,
        triggers,
    )
