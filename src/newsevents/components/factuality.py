"""Factuality stage: is the event stated as fact, reported by someone, negated, hypothetical or
planned? And if it is reported, by whom?

Rules, in order of precedence (the first that applies wins):

1. ``negated``: a negation on the trigger or on a verb that governs it ("did not attack",
   "no strikes", "denied attacking", "refused to meet", "failed to reach").
2. ``hypothetical``: a conditional clause ("if", "unless", "whether") or a modal of possibility
   ("could", "might", "may", "would" outside reported speech) on the trigger's clause.
3. ``intended``: the trigger is the complement of another event trigger ("threatened to
   attack", "agreed to meet", "urged Iran to withdraw", "accused Israel of killing"): the
   governing event codes it, so it is not emitted on its own.
4. ``future``: "will", "shall", "going to", "is due to", "plans to", "is expected to", or
   "would" inside reported speech ("announced it would free").
5. ``reported``: the clause is the complement of a speech verb ("X said (that) ...", "X told AFP
   ...", "with media outlets saying ..."), the content of a claim noun ("allegations by X that
   ...", "X's claim that ..."), or the sentence says "according to X"; ``reported_by`` is the
   speaker.
6. ``asserted``: the article's own voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsevents.annotations import FactualityAnn, Trigger, register_extensions
from newsevents.components.syntax import clause_subject, is_infinitival

__all__ = ["REFUSAL", "SPEECH_VERBS", "assess", "find_factuality"]

SPEECH_VERBS = frozenset(
    {
        "say", "tell", "add", "state", "claim", "report", "announce", "allege", "insist", "note",
        "confirm", "quote", "write", "explain", "stress", "affirm", "declare", "assert", "argue",
        "maintain", "suggest", "indicate", "reveal", "acknowledge", "admit", "mention", "comment",
        "tweet", "post", "underline", "emphasise", "emphasize", "recount", "recall", "believe",
        "think", "estimate", "conclude", "testify", "disclose", "publish", "broadcast", "reply",
        "respond", "observe", "remark", "repeat", "reiterate", "show", "find", "learn", "hear",
        "understand", "know", "feel", "fear", "worry", "predict", "speculate",
    }
)  # fmt: skip
"""Verbs that introduce what someone said, reported or believes."""

CONTENT_TYPES = frozenset({"ACCUSE", "REJECT", "THREATEN", "REQUEST"})
"""Event types whose reported clause is their content: a speech verb that is such a trigger
("alleged that ...", "claimed that ...") codes the clause, which is not emitted again."""
_NEGATING_GOVERNORS = frozenset({"deny", "refuse", "fail", "avoid", "decline", "reject", "stop", "cease", "halt", "abandon", "cancel", "postpone", "prevent", "forbid", "ban", "rule", "refrain", "abstain", "desist"})
_WISH_GOVERNORS = frozenset({"hope", "hop", "wish", "want", "pray", "prefer", "dream"})  # the model lemmatizes "hoped" to "hop"
"""Over a clause with its own subject ("hoped officials would be indicted", "wants Putin to
attack"), these state a wish, not an event."""
_NEGATION_PREPS = frozenset({"from"})
"""The only prepositions through which a governor's negation reaches a trigger ("refrained
from attacking"); "did not comment on the attacks" does not negate the attacks."""
REFUSAL = "refusal"
"""Rule prefix: a negated future cooperative act ("will not accept refugees", "would not meet
their demands") is a refusal, coded by the events stage as REJECT (``compose.yaml`` key 120)."""
_COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
_REFUSAL_MODALS = frozenset({"will", "would", "wo", "'ll", "shall"})
_FUTURE_GOVERNORS = frozenset({"plan", "intend", "expect", "schedule", "set", "due", "prepare", "seek", "aim", "want", "hope", "wish", "decide", "going", "go", "propose", "consider", "mull", "need", "willing", "ready", "prepared", "poised", "determined", "eager", "keen", "likely", "able", "commit", "promise", "pledge", "vow", "agree", "offer"})
_HYPO_MODALS = frozenset({"could", "might", "may", "would", "should", "must", "ought", "can"})
_MOTIVES = frozenset({"seek", "hope", "aim", "try", "look", "want", "attempt", "strive", "wish"})
"""Participles that give a motive (", seeking to mend ties"): what follows is not coded."""

_FUTURE_MODALS = frozenset({"will", "shall", "'ll", "wo"})
_COND_MARKS = frozenset({"if", "unless", "whether", "lest"})
_NEG_WORDS = frozenset({"not", "n't", "never", "no", "nor", "neither", "without"})


CLAIM_NOUNS = frozenset(
    {"allegation", "claim", "accusation", "report", "rumour", "rumor", "assertion", "charge",
     "suggestion", "speculation", "statement", "announcement", "belief", "suspicion", "testimony",
     "contention", "insistence", "theory"}
)  # fmt: skip
"""Nouns whose "that" clause is someone's claim, not the article's ("allegations that ...")."""


def _that_clause(verb: Token) -> bool:
    """A content clause ("that French troops killed"), not a relative clause on the noun
    ("the report that the ministry published")."""
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children):
        return True
    subj = clause_subject(verb)
    return subj is not None and subj.lower_ not in ("that", "which", "who")


def _claimant(noun: Token) -> Token | None:
    """Who makes the claim: "allegations by Rwanda", "Rwanda's claim", "Rwanda made allegations"."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            author = next((g for g in c.children if g.dep_ == "pobj"), None)
            if author is not None:
                return author
        if c.dep_ == "poss":
            return c
    if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        return clause_subject(noun.head)
    return None


def _governors(token: Token) -> Iterator[tuple[Token, str]]:
    """Walk up clause links from a trigger: (governing token, dependency that links it).

    An infinitival adverbial clause ("called on Tehran to release") links like a complement.
    """
    current = token
    for _ in range(12):
        if current.head.i == current.i:
            return
        dep = current.dep_
        if dep == "advcl" and is_infinitival(current):
            dep = "xcomp"
        head = current.head
        yield head, dep
        current = head


def _has_neg(token: Token) -> Token | None:
    for c in token.children:
        if c.dep_ == "neg" or (c.dep_ in ("det", "advmod", "preconj") and c.lower_ in _NEG_WORDS and c.lower_ != "without"):
            return c
        if c.dep_ == "advmod" and c.lower_ == "longer":  # "will no longer allow"
            no = next((g for g in c.children if g.lower_ == "no"), None)
            if no is not None:
                return no
    return None


def _modal(token: Token) -> Token | None:
    for c in token.children:
        if c.dep_ == "aux" and c.tag_ == "MD":
            return c
    return None


_EMBEDDED = frozenset({"relcl", "acl"})
"""Clauses that describe a noun: an "according to" inside one vouches for that clause only."""


def _vouched_clauses(according: Token) -> list[Token]:
    """Noun-describing clauses an "according to" vouches for instead of its whole sentence.

    The one it is attached inside, or the one that ends right before it (", which killed 14
    people, according to the agency": the parser attaches "according" to the main verb, but the
    figure is the agency's, the main clause is not).
    """
    found = []
    node = according
    while node.head.i != node.i:
        if node.dep_ in _EMBEDDED:
            found.append(node)
            break
        node = node.head
    before = according.i - 1
    while before >= according.sent.start and according.doc[before].is_punct:
        before -= 1
    for tok in according.sent:
        if tok.dep_ in _EMBEDDED and tok.right_edge.i == before and tok.i < according.i:
            found.append(tok)
    return found


def _according_to(head: Token) -> Token | None:
    """The source of an "according to X" that covers ``head``'s clause, if the sentence has one.

    "according to" inside a relative clause ("floods, which killed 14 people, according to the
    agency") covers that clause only, not the sentence's other events ("Japan pledged aid").
    """
    for tok in head.sent:
        if tok.lower_ != "according":
            continue
        obj = next(
            (g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None
        )
        if obj is None:
            continue
        if any(not (c.left_edge.i <= head.i <= c.right_edge.i) for c in _vouched_clauses(tok)):
            continue  # it vouches for a clause that does not hold this event
        return obj
    return None


def _speaker_above(head: Token) -> tuple[Token | None, Token | None]:
    """The speech verb whose complement holds ``head`` (and its subject), if any."""
    for gov, dep in _governors(head):
        if dep in ("ccomp", "xcomp", "pcomp") and gov.pos_ in ("VERB", "AUX") and gov.lemma_.lower() in SPEECH_VERBS:
            speaker = clause_subject(gov)
            if speaker is None and gov.dep_ == "acl":
                speaker = gov.head
            return gov, speaker
        if dep not in ("ccomp", "xcomp", "conj", "advcl"):
            break
    return None, None


def _refusal(doc: Doc, trigger: Trigger, neg: Token) -> FactualityAnn | None:
    """ "will not accept", "would not meet their demands", "no longer allow": a refusal."""
    if trigger.event_type not in _COOPERATIVE:
        return None
    head = doc[trigger.token]
    modal = _modal(head)
    no_longer = neg.lower_ == "no" and neg.i + 1 < len(doc) and doc[neg.i + 1].lower_ == "longer"
    if not no_longer and (modal is None or modal.lower_ not in _REFUSAL_MODALS):
        return None
    verb, speaker = _speaker_above(head)
    rule = f"{REFUSAL}: '{neg.text}'" + (f" with '{modal.text}'" if modal is not None else "")
    if verb is not None:
        return FactualityAnn("reported", cue=neg.i, reported_by=speaker.i if speaker is not None else None, rule=rule)
    return FactualityAnn("asserted", cue=neg.i, rule=rule)


def _conditional_consequence(head: Token) -> Token | None:
    """ "may halt mediation if ...", "will withdraw unless ...": a modal main clause with a
    condition is a conditional commitment (a threat or a promise), not a mere possibility."""
    modal = _modal(head)
    if modal is None or modal.lower_ not in ("will", "would", "may", "might", "could", "'ll", "wo", "shall"):
        return None
    for c in head.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            return modal
    return None


def assess(
    doc: Doc,
    trigger: Trigger,
    trigger_heads: frozenset[int],
    trigger_tokens: Mapping[int, int] | None = None,
    content_heads: frozenset[int] = frozenset(),
) -> FactualityAnn:
    """The factuality of one trigger. ``trigger_heads``: head tokens of every trigger of the doc;
    ``trigger_tokens``: every token of every trigger → that trigger's head (lets an event noun
    inside a light-verb trigger govern a complement: "reiterated its demand that Israel ease");
    ``content_heads``: speech-verb triggers whose clause is the content of the event they state
    ("alleged that France helped ...": the allegation is the event, not the killings)."""
    head = doc[trigger.token]
    tokens = [doc[i] for i in trigger.tokens]
    # 1. negation on the trigger itself (verb, light verb or noun)
    for tok in tokens:
        neg = _has_neg(tok)
        if neg is not None:
            refusal = _refusal(doc, trigger, neg)
            if refusal is not None:
                return refusal
            return FactualityAnn("negated", cue=neg.i, rule="negation on the trigger")
    modal = _modal(head)
    in_report: Token | None = None
    speaker: Token | None = None
    future_cue: Token | None = None
    if modal is not None and modal.lower_ in _FUTURE_MODALS:
        future_cue = modal
    chain = list(_governors(head))
    via = head
    # 2..5 walk the clause chain upward
    for gov, dep in chain:
        if dep in ("advcl",) and any(c.dep_ == "mark" and c.lower_ in _COND_MARKS for c in head.children):
            return FactualityAnn("hypothetical", cue=next(c.i for c in head.children if c.dep_ == "mark"), rule="conditional clause")
        lemma = gov.lemma_.lower()
        clause_link = dep in ("xcomp", "ccomp", "pcomp", "advcl", "conj", "parataxis", "pobj", "prep", "acl", "relcl", "dobj", "nsubj", "nsubjpass", "appos", "compound", "amod", "attr", "npadvmod", "aux")
        if not clause_link:
            break
        if (
            trigger_tokens is not None
            and dep in ("ccomp", "xcomp", "acl")
            and gov.pos_ in ("NOUN", "PROPN")
            and gov.i in trigger_tokens
            and trigger_tokens[gov.i] != trigger.token
        ):
            return FactualityAnn("intended", cue=trigger_tokens[gov.i], rule=f"complement of event noun '{gov.text}'")
        if dep in ("acl", "ccomp", "relcl") and gov.pos_ == "NOUN" and lemma in CLAIM_NOUNS and _that_clause(via):
            # "allegations by Rwanda that French troops killed civilians": Rwanda's claim
            in_report, speaker = gov, _claimant(gov)
            break
        if dep in ("xcomp", "ccomp", "pcomp", "pobj", "prep") and gov.pos_ in ("VERB", "AUX", "ADJ"):
            through_prep = dep in ("pobj", "prep")
            negating = not through_prep or via.lower_ in _NEGATION_PREPS
            if gov.i in trigger_heads and (lemma not in SPEECH_VERBS or gov.i in content_heads):
                return FactualityAnn("intended", cue=gov.i, rule=f"complement of event trigger '{gov.text}'")
            neg = _has_neg(gov)
            if lemma in _NEGATING_GOVERNORS and negating:
                return FactualityAnn("negated", cue=gov.i, rule=f"complement of '{gov.text}'")
            if neg is not None and in_report is None and negating:
                return FactualityAnn("negated", cue=neg.i, rule=f"negated governor '{gov.text}'")
            if lemma in _WISH_GOVERNORS and dep in ("ccomp", "xcomp") and any(c.dep_ in ("nsubj", "nsubjpass") for c in via.children):
                return FactualityAnn("hypothetical", cue=gov.i, rule=f"wish: '{gov.text}'")
            if lemma in SPEECH_VERBS and dep in ("ccomp", "xcomp", "pcomp") and in_report is None:
                in_report = gov
                speaker = clause_subject(gov)
                if speaker is None and gov.dep_ == "acl":
                    speaker = gov.head
                break
            if lemma in _MOTIVES and dep == "xcomp" and gov.tag_ == "VBG" and gov.dep_ in ("advcl", "acl"):
                # "Sarkozy heads to Beijing, seeking to mend ties": the reporter's account of a
                # motive, not an intent anyone stated
                return FactualityAnn("intended", cue=gov.i, rule=f"motive: '{gov.text}'")
            if lemma in _FUTURE_GOVERNORS and dep == "xcomp" and future_cue is None:
                future_cue = gov
        if dep in ("advcl", "relcl", "acl") and gov.pos_ in ("VERB", "AUX"):
            break  # the trigger's clause ends here; only ccomp links reach a speech verb
        via = gov
    if modal is not None and modal.lower_ in _HYPO_MODALS:
        conditional = _conditional_consequence(head) if in_report is not None else None
        if conditional is not None:
            future_cue = future_cue or conditional
        elif modal.lower_ == "would" and in_report is not None:
            future_cue = future_cue or modal
        elif modal.lower_ not in ("can",):
            return FactualityAnn("hypothetical", cue=modal.i, rule=f"modal '{modal.text}'")
    if any(c.dep_ == "mark" and c.lower_ in _COND_MARKS for c in head.children):
        return FactualityAnn("hypothetical", cue=head.i, rule="conditional clause")
    reported_by = speaker.i if speaker is not None else None
    if future_cue is not None:
        return FactualityAnn("future", cue=future_cue.i, reported_by=reported_by, rule=f"future: '{future_cue.text}'")
    if in_report is not None:
        return FactualityAnn("reported", cue=in_report.i, reported_by=reported_by, rule=f"complement of '{in_report.text}'")
    according = _according_to(head)
    if according is not None:
        return FactualityAnn("reported", cue=according.i, reported_by=according.i, rule="according to")
    for c in head.children:
        if c.lower_ in ("reportedly", "allegedly", "purportedly"):
            return FactualityAnn("reported", cue=c.i, rule=f"'{c.text}'")
    return FactualityAnn("asserted", rule="own voice")


def find_factuality(doc: Doc) -> dict[str, FactualityAnn]:
    triggers = doc._.ne_triggers or []
    heads = frozenset(t.token for t in triggers)
    tokens = {i: t.token for t in triggers for i in t.tokens}
    content = frozenset(t.token for t in triggers if t.event_type in CONTENT_TYPES)
    return {t.id: assess(doc, t, heads, tokens, content) for t in triggers}


@Language.factory(
    "newsevents_factuality",
    requires=["doc._.ne_triggers", "token.dep", "token.tag"],
    assigns=["doc._.ne_factuality"],
)
def make_factuality(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    register_extensions()

    def factuality(doc: Doc) -> Doc:
        doc._.ne_factuality = find_factuality(doc)
        return doc

    return factuality
