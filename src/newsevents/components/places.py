"""Places stage: every place the document names, resolved once, for the events stage to pick from."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from newsevents.annotations import register_extensions
from newsevents.components.where import find_places

__all__ = ["make_places"]


@Language.factory(
    "newsevents_places",
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.ne_places"],
)
def make_places(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    register_extensions()

    def places(doc: Doc) -> Doc:
        doc._.ne_places = find_places(doc)
        return doc

    return places
