"""Negation: what a person says they would rather avoid ("I don't like math", "never want to
sit at a desk", "eight years sober") is read out of their interests and strengths, so that it
is not matched as something they want, and counts against the occupations close to it.

Sentence embeddings barely see negation ("I hate working with people" lies next to "working
with people"), so this is done with rules before anything is embedded: the text is split into
clauses; a clause with a negation or avoidance cue is taken out of the positive text, and the
words in the cue's scope (without the cue) become an *avoided topic*. Phrases that look
negative but are not ("never get tired of", "can't wait to", "not only", "not afraid of",
"nothing beats") are recognised first and left alone. The matching layer scores each avoided
topic like an interest and subtracts it (:func:`apply_avoidance`); see docs/matching.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._matching import standardize, text_scores
from ._patterns import LazyPattern

if TYPE_CHECKING:
    from ._index import OccupationIndex
    from ._matching import MatchWeights

__all__ = ["ProfileReading", "apply_avoidance", "avoided_scores", "read_profile", "read_text"]

#: the topic read from statements of sobriety ("eight years sober"): the person avoids work
#: around drink, not recovery, so the statement itself stays in the positive text
SOBRIETY_TOPIC = "working in a bar and serving alcohol"

_NOT = (r"(?:do\s+not|does\s+not|did\s+not|don'?t|doesn'?t|didn'?t|won'?t|wouldn'?t|will\s+not"
        r"|would\s+not|can\s?not|can'?t|couldn'?t|could\s+not|shouldn'?t|isn'?t|aren'?t"
        r"|wasn'?t|weren'?t|not|never|no\s+longer)")
_SUBJECT = (r"(?:i|i'm|im|i've|ive|i'd|i'll|we|we're|my|it|it's|that's|this|they|there's"
            r"|you|people)")
# what may start a new clause after a comma or 'and' / 'or' / 'so'
_STARTER = (rf"(?:{_SUBJECT}|(?:just\s+|especially\s+|definitely\s+|certainly\s+|absolutely\s+"
            rf"|but\s+)?(?:{_NOT}|no|nothing|hate|avoid|without|except|anything\s+but|rather"
            r"|instead))")

_BOUNDARY = LazyPattern(
    r"[.!?;:\n()]+"
    r"|\s[-\u2013\u2014]+\s"
    rf"|,(?=\s*{_STARTER}\b)"
    r"|(?<!anything )(?<!everything )(?<!all )\b(?:but|though|although|however|whereas|while"
    r"|because|since)\b"
    rf"|\b(?:and|or|so|plus)\b(?=\s+{_STARTER}\b)",
    re.IGNORECASE)

# Phrases that contain a cue word but say something the person wants, or is merely unsure of.
# They are masked before cues are searched, so their words never count as a cue.
_NOT_NEGATION = LazyPattern(
    r"\bnever\s+(?:ever\s+)?(?:get|gets|got|getting|grow|grows|grew)\s+(?:tired|bored|sick|old)"
    r"(?:\s+(?:of|with))?"
    r"|\bnever\s+(?:tire|tired|bored|boring|a\s+dull|miss|missed|misses|late|give\s+up|gave\s+up"
    r"|quit|stop|stopped|stops|complain|complained|hesitate|say\s+no|said\s+no|back\s+down"
    r"|panic|lose|lost|forget|shy\s+away|been\s+afraid|been\s+scared)"
    r"|\bnever\s+(?:tried|had|been|done|worked|studied|learned|learnt|thought|knew|considered)"
    r"|\b(?:can'?t|cannot|can\s+not|couldn'?t)\s+(?:wait|get\s+enough|stop|help|imagine|resist"
    r"|be\s+happier|think\s+of\s+anything\s+better)"
    r"|\bnot\s+(?:only|just|afraid|scared|shy|squeamish|bothered|fazed|phased|intimidated"
    r"|worried|put\s+off|deterred|easily|bad|a\s+problem|an\s+issue|sure|certain|yet|about"
    r"|that\s+i|to\s+mention)(?:\s+(?:of|about|by|with|at|to|in))?"
    r"|\b(?:or|if|whether)\s+not\b"
    r"|\bno\s+(?:fear|problem|problems|stranger|matter|doubt|trouble|issue|issues|worries"
    r"|shortage|end)(?:\s+(?:of|with|to|in|about))?"
    r"|\b(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|never)\s+(?:bother|scare|faze|phase"
    r"|frighten|intimidate)s?\s+me"
    r"|\b(?:don'?t|do\s+not|doesn'?t|wouldn'?t|would\s+not|never)\s+(?:mind|panic|shy\s+away"
    r"|give\s+up|back\s+down|get\s+(?:tired|bored|sick)|get\s+squeamish|know|have\s+to"
    r"|hesitate|quit|stop)"
    r"|\bnever\s+mind"
    r"|\b(?:haven'?t|have\s+not|hasn'?t|didn'?t\s+get\s+to)\s+(?:yet\s+)?(?:tried|had|been|done"
    r"|got|gotten|decided|figured|worked|studied|learned)"
    r"|\b(?:wouldn'?t|won'?t|would\s+not)\s+trade"
    r"|\b(?:there'?s\s+)?nothing\s+(?:makes?|made|beats|beat|compares|else|better|i\s+(?:love"
    r"|like|enjoy)|is\s+more|feels|gives?|like|quite|excites|satisfies)"
    r"|\b(?:hate|hated|hates|can'?t\s+stand|cannot\s+stand)\s+(?:to\s+see|seeing|watching"
    r"|(?:it\s+)?when|that|how)",
    re.IGNORECASE)

# Cues whose topic follows them: "<cue> math".
_PREFIX_CUES = LazyPattern(
    rf"\b{_NOT}\b"
    r"|\b(?:hate|hated|hates|hating|detest|detests|dislike|dislikes|disliked|loathe|loathes"
    r"|despise|despises|avoid|avoids|avoiding|dread|dreads)\b"
    r"|\b(?:stay|staying|steer|keep)\s+(?:well\s+)?(?:away|clear)\s+(?:from|of)\b"
    r"|\b(?:rather|prefer)\s+not(?:\s+to)?\b"
    r"|\b(?:anything|everything)\s+but\b"
    r"|\bnothing\s+to\s+do\s+with\b"
    r"|\b(?:no|zero|little)\s+(?:real\s+|great\s+|big\s+)?(?:interest|patience|desire|wish"
    r"|intention|love|tolerance|stomach|head|taste|talent|aptitude|knack)(?:\s+(?:in|for|to"
    r"|of|with))?\b"
    r"|\b(?:sick|tired|fed\s+up|done|bored)\s+(?:of|with|by)\b"
    r"|\b(?:afraid|scared|terrified|frightened|fearful)\s+of\b"
    r"|\b(?:fear|phobia)\s+of\b"
    r"|\ballergic\s+to\b"
    r"|\bsqueamish\s+(?:about|around|with|at)\b"
    r"|\b(?:faint|queasy|sick)\s+at\s+the\s+(?:sight|thought)\s+of\b"
    r"|\b(?:bad|terrible|awful|hopeless|useless|weak|poor|rubbish|lousy)\s+(?:at|with)\b"
    r"|\bstruggle\s+with\b"
    r"|\bwith\s+no\b"
    r"|\bwithout\b"
    r"|\bexcept(?:\s+for)?\b"
    r"|\binstead\s+of\b"
    r"|\brather\s+than\b"
    r"|^\s*(?:just\s+|but\s+|especially\s+|definitely\s+|certainly\s+|absolutely\s+|and\s+"
    r"|so\s+|or\s+|though\s+)?"
    r"(?:no|nothing)\b",
    re.IGNORECASE)

# "I'd rather be outside than in an office": the topic follows 'than'.
_RATHER_THAN = LazyPattern(r"\brather\b(?:(?!\bthan\b).)*?\b(?P<cue>than)\b", re.IGNORECASE)

# Cues whose topic comes before them: "math is not for me", "paperwork bores me".
_POSTFIX_CUES = LazyPattern(
    r"\b(?:is|are|was|'s|'re)\s+(?:not|n't|never)\s+(?:really\s+)?(?:for\s+me|my\s+(?:thing"
    r"|cup\s+of\s+tea|strong\s+(?:suit|point)|forte|scene|jam|strength|idea\s+of\s+fun))\b"
    r"|\b(?:isn'?t|aren'?t|wasn'?t)\s+(?:really\s+)?(?:for\s+me|my\s+(?:thing|cup\s+of\s+tea"
    r"|strong\s+(?:suit|point)|forte|scene|jam|strength|idea\s+of\s+fun))\b"
    r"|\b(?:bores|bore|bored|drains|drain|exhausts|exhaust|stresses|stress|terrifies|terrify"
    r"|scares|scare|disgusts|disgust|grosses|gross)\s+me(?:\s+out)?\b"
    r"|\b(?:makes?|made)\s+me\s+(?:anxious|nervous|sick|queasy|uncomfortable|miserable"
    r"|faint)\b"
    r"|\bgives?\s+me\s+(?:anxiety|the\s+creeps)\b",
    re.IGNORECASE)

# Sobriety: what is avoided is alcohol, though no negation word is there.
_SOBRIETY = LazyPattern(
    r"\b(?:sober|sobriety|recovering\s+(?:alcoholic|addict)|teetotal(?:l?er)?"
    r"|(?:quit|stopped|gave\s+up|give\s+up)\s+(?:drinking|alcohol|booze)"
    r"|(?:don'?t|do\s+not|never|no\s+longer)\s+drink(?:\s+alcohol)?)\b",
    re.IGNORECASE)

# A hated wrong is a cause, not an avoided field: "I can't stand poachers" points to wardens.
_WRONGDOING = LazyPattern(
    r"\b(?:poach\w*|litter\w*|trash(?:es|ing)?\s+the|pollut\w*|injustice|unfair\w*|bull(?:y|ies"
    r"|ying)|cruel\w*|abus\w*|corrupt\w*|wast(?:e|ed|ing)|crime|criminals?|suffer\w*|neglect\w*"
    r"|lies|liars?|cheat\w*|fraud\w*|racis\w*|discriminat\w*|inequalit\w*|violence|exploit\w*"
    r"|greed\w*|harm(?:ed|ing)?)\b",
    re.IGNORECASE)

# Words in a cue's scope that belong to the cue, not to the topic: "don't [really like to] X".
_TOPIC_LEAD = LazyPattern(
    r"^(?:(?:really|particularly|very|much|ever|even|exactly|too|so|at\s+all|actually|honestly"
    r"|necessarily|always|again|anymore|want(?:s|ed)?|wanna|wish|like[sd]?|love[sd]?|enjoy(?:s|ed)?"
    r"|care(?:s|d)?\s+(?:about|much\s+about)|fancy|see\s+myself|picture\s+myself"
    r"|imagine\s+myself|get\s+along\s+with|feel\s+comfortable|comfortable|do\s+well|handle|stand"
    r"|bear|(?:any\s+)?good|great|into|interested|keen|big|huge|(?:a|an|the)\b|fan|cut\s+out"
    r"|looking|going|gonna|have|need|be|being|to|for|with|at|in|on|of|about|around"
    r"|anything\s+to\s+do\s+with|to\s+do\s+with|anything\s+(?:involving|with)|any|more|spend"
    r"|spending|having|my\s+life|working\s+in\s+(?=an?\b)|someone\s+who)\b\s*)+",
    re.IGNORECASE)
_TOPIC_TAIL = LazyPattern(
    r"(?:\s+(?:at\s+all|anymore|any\s+more|ever\s+again|again|either|too\s+much|so\s+much"
    r"|very\s+much|whatsoever|one\s+bit|much|please|really|though|honestly|for\s+me|thanks))+$"
    r"|[\s,.;:!?'\"-]+$",
    re.IGNORECASE)
_FILLER = frozenset(
    "i i'm im me my mine myself we you it it's its this that that's these those them they "
    "there here one ones thing things stuff something anything everything nothing lot lots "
    "way much really just a an the and or of to in on at for with be is are was do doing "
    "get got kind sort type all some any very so too well also yes no ever but though although "
    "however whereas while because since plus especially definitely certainly absolutely "
    "honestly actually i'd i've ive i'll id would could will can should might must am have has "
    "had did does if".split())


@dataclass(frozen=True)
class ProfileReading:
    """A profile as matching reads it: what the person wants and what they would avoid.

    ``interests`` and ``strengths`` are the profile's, without the clauses read as avoided
    (``interests`` is None when nothing is left); ``values`` is passed through; ``avoided``
    lists the topics read out of those clauses, in order, each once.
    """

    interests: str | None
    strengths: tuple[str, ...]
    values: Mapping[str, float] | str | None
    avoided: tuple[str, ...]


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text``: pieces between sentence ends, 'but'-like words,
    and commas or 'and' before a new subject or cue. Each span includes its leading
    connector, so removing a span removes it too."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.start() if m.group(0)[:1].isalpha() else m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _mask(text: str) -> str:
    """``text`` with the not-negation phrases blanked out (same length)."""
    return _NOT_NEGATION.sub(lambda m: "_" * len(m.group(0)), text)


def _clean_topic(words: str) -> str | None:
    topic = words.strip(" ,.;:!?'\"-")
    topic = re.sub(r"^(?:but|and|or|so|though|although|however|whereas|while|because|since|also"
                   r"|just|especially|definitely|certainly|absolutely|especially)\b\s*", "",
                   topic, flags=re.IGNORECASE)
    previous = None
    while topic != previous:
        previous = topic
        topic = _TOPIC_LEAD.sub("", topic)
        topic = _TOPIC_TAIL.sub("", topic)
    topic = re.sub(r"\s+", " ", topic).strip()
    if not any(w.lower().strip("'\",.") not in _FILLER for w in topic.split()):
        return None
    return topic


def _has_content(words: str) -> bool:
    tokens = [w.strip(" ,.;:!?'\"-").lower() for w in words.split()]
    tokens = [w for w in tokens if w and not re.fullmatch(r"[_\W]*", w)]
    return any(w not in _FILLER for w in tokens)


def _read_clause(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[str]]:
    """(spans of the clause to drop from the positive text, avoided topics) of one clause."""
    clause = text[start:end]
    masked = _mask(clause)
    if _SOBRIETY.search(masked):
        # kept as written: it tells of recovery, which is what a counsellor's work is about
        return [], [SOBRIETY_TOPIC]
    cues = [(m.start(), m.end()) for m in (_PREFIX_CUES.search(masked),) if m]
    cues += [m.span("cue") for m in (_RATHER_THAN.search(masked),) if m]
    prefix = min(cues) if cues else None
    postfix = _POSTFIX_CUES.search(masked)
    if postfix is not None and (prefix is None or postfix.start() <= prefix[0]):
        topic = _clean_topic(clause[:postfix.start()])
        if topic is None or _WRONGDOING.search(topic):
            return ([], []) if topic else ([(start, end)], [])
        return [(start, end)], [topic]
    if prefix is None:
        return [], []
    cue_start, cue_end = prefix
    topic = _clean_topic(clause[cue_end:])
    if topic is not None and _WRONGDOING.search(topic):
        return [], []  # a cause they care about, kept as written
    before = clause[:cue_start]
    if _has_content(_mask(before).replace("_", " ")):
        # "I love animals, just not blood": the words before the cue stay
        cut = start + cue_start
        kept = re.search(r"(?:\s|\b(?:just|but|especially|and|though|definitely))*$",
                         text[start:cut], flags=re.IGNORECASE)
        cut = start + (kept.start() if kept else cut - start)
        return [(cut, end)], [topic] if topic else []
    return [(start, end)], [topic] if topic else []


def _tidy(text: str) -> str:
    """Mend the punctuation and connectors left behind where clauses were removed."""
    previous = None
    while text != previous:
        previous = text
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        text = re.sub(r"([,;:])\s*(?=[.;:!?]|$)", "", text)
        text = re.sub(r"([.!?])(?:\s*[.,;:!?])+", r"\1", text)
        text = re.sub(r"\b(?:but|and|or|so|though|although|however|whereas|while|because|since"
                      r"|just|plus)\s*(?=[.;:!?]|$)", "", text, flags=re.IGNORECASE)
        text = re.sub(r"\b(?:where|when|that|which|who)?\s*(?:i'm|i\s+am|i|it's|it|they)?\s*"
                      r"\b(?:is|are|was|were|am|'m)\s*(?=[.;:!?]|$)", "", text,
                      flags=re.IGNORECASE)
        text = re.sub(r"^[\s.,;:!?]+", "", text)
        text = re.sub(r"^(?:but|and|or|so|though|although|however|plus)\b[\s,]*", "", text,
                      flags=re.IGNORECASE)
        text = text.strip()
    return text


def read_text(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Split ``text`` into what is wanted and what is avoided.

    Returns the text without the avoided clauses (exactly ``text`` when nothing is avoided;
    None when nothing is left) and the avoided topics, each once, in order.

    Examples
    --------
    >>> read_text("I like building things outdoors. I don't like math.")
    ('I like building things outdoors.', ('math',))
    >>> read_text("I never get tired of fixing engines")
    ('I never get tired of fixing engines', ())
    """
    normal = text.translate(_APOSTROPHES)  # same length, so spans carry over
    drops: list[tuple[int, int]] = []
    topics: list[str] = []
    for start, end in _clauses(normal):
        dropped, found = _read_clause(normal, start, end)
        drops.extend(dropped)
        topics.extend(found)
    topics = list(dict.fromkeys(topics))
    if not drops:
        return text, tuple(topics)
    kept, position = [], 0
    for start, end in sorted(drops):
        kept.append(text[position:start])
        position = max(position, end)
    kept.append(text[position:])
    positive = _tidy(" ".join(kept))
    return (positive if _has_content(positive) else None), tuple(topics)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def read_profile(profile: object) -> ProfileReading:
    """The :class:`ProfileReading` of a profile (anything with ``interests``, ``strengths``
    and ``values``): negated clauses of the interests and negated strengths become avoided
    topics."""
    interests: str | None = getattr(profile, "interests", None)
    strengths: tuple[str, ...] = tuple(getattr(profile, "strengths", ()))
    avoided: list[str] = []
    if interests:
        interests, topics = read_text(interests)
        avoided.extend(topics)
    kept = []
    for strength in strengths:
        positive, topics = read_text(strength)
        avoided.extend(topics)
        if positive is not None:
            kept.append(positive)
    return ProfileReading(interests, tuple(dict.fromkeys(kept)), getattr(profile, "values", None),
                          tuple(dict.fromkeys(avoided)))


def avoided_scores(vectors: np.ndarray, topic_ids: Sequence[Sequence[int]],
                   topics: Sequence[Sequence[str]], index: OccupationIndex,
                   weights: MatchWeights) -> np.ndarray | None:
    """How close each occupation is to what each person avoids: (n, N), NaN rows for people
    who avoid nothing; None when nobody does.

    ``topics[i]`` are person i's avoided topics and ``topic_ids[i]`` their rows in
    ``vectors``. Each distinct topic is scored once like an interest (pooled tasks,
    description, title centroid and word overlap, :func:`passionfinder._matching.text_scores`)
    and standardized over occupations; a person's row is the largest over their topics.
    """
    text_of = {t: text for ids, texts in zip(topic_ids, topics, strict=True)
               for t, text in zip(ids, texts, strict=True)}
    if not text_of:
        return None
    distinct = list(text_of)
    n_occupations = len(index.title_centroids)
    lexical = (index.lexical.similarity([text_of[t] for t in distinct]) if weights.lexical
               else None)
    raw, _ = text_scores(vectors[distinct], index, lexical, weights, n_occupations)
    z = standardize(raw)
    row = {t: r for r, t in enumerate(distinct)}
    out = np.full((len(topic_ids), n_occupations), np.nan, dtype=np.float32)
    for i, ids in enumerate(topic_ids):
        if ids:
            out[i] = z[[row[t] for t in ids]].max(axis=0)
    return out


def apply_avoidance(match: np.ndarray, avoided: np.ndarray, weight: float,
                    floor: float) -> np.ndarray:
    """Lower each occupation's match by its closeness to what the person avoids.

    ``match`` is the blended standardized match (n, N), NaN rows where the person gave
    nothing to match; ``avoided`` (n, N) is, per person, the largest standardized similarity
    of the occupation to any of their avoided topics (NaN rows: nothing avoided). Only
    closeness beyond ``floor`` standard deviations counts:
    ``match - weight * max(0, avoided - floor)``. A person who gave only things to avoid is
    ranked by ``-avoided``, farthest first.
    """
    if weight <= 0:
        return match
    has_avoid = ~np.isnan(avoided).all(axis=1)
    penalty = weight * np.clip(np.nan_to_num(avoided, nan=0.0) - floor, 0.0, None)
    nothing_else = np.isnan(match).all(axis=1) & has_avoid
    out = np.where(has_avoid[:, None], match - penalty, match)
    out[nothing_else] = -avoided[nothing_else]
    return out.astype(np.float32)
