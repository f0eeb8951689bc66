"""Gender-neutral text for matching: gendered words, pronouns and given names are rewritten or
dropped before a person's words are embedded, so that "As a mother of two..." and "As a father
of two..." are matched as the same text (measured in benchmarks/bench_fairness.py).

Only what is sent to the model and to the word-overlap score is rewritten; the profile, the
evidence and every result keep the person's own words. The occupation side is never rewritten.
"""

from __future__ import annotations

import re
import unicodedata

from ._patterns import LazyPattern

__all__ = ["GENDERED_WORDS", "GIVEN_NAMES", "neutral_text"]

#: gendered word (lower case) -> the neutral word used for matching ("" drops it)
GENDERED_WORDS: dict[str, str] = {}


def _pairs(neutral: str, *words: str) -> None:
    for word in words:
        GENDERED_WORDS[word] = neutral


_pairs("they", "she", "he")
_pairs("they're", "she's", "he's")
_pairs("they'd", "she'd", "he'd")
_pairs("they'll", "she'll", "he'll")
_pairs("them", "him")
_pairs("themselves", "herself", "himself")
_pairs("theirs", "hers")
_pairs("person", "woman", "man", "lady", "gentleman", "gal", "guy")
_pairs("people", "women", "men", "ladies", "gentlemen", "gals", "guys", "females", "males")
_pairs("", "female", "male")
_pairs("kid", "girl", "boy")
_pairs("kids", "girls", "boys")
_pairs("parent", "mother", "father", "mom", "mum", "mommy", "mummy", "mama", "mamma", "dad",
       "daddy", "papa")
_pairs("parents", "mothers", "fathers", "moms", "mums", "dads")
_pairs("parenthood", "motherhood", "fatherhood")
_pairs("parental", "maternal", "paternal", "maternity", "paternity")
_pairs("grandparent", "grandmother", "grandfather", "grandma", "grandpa", "granny", "grandad",
       "granddad")
_pairs("grandparents", "grandmothers", "grandfathers")
_pairs("grandchild", "granddaughter", "grandson")
_pairs("grandchildren", "granddaughters", "grandsons")
_pairs("stepparent", "stepmother", "stepfather")
_pairs("child", "daughter", "son")
_pairs("children", "daughters", "sons")
_pairs("spouse", "wife", "husband")
_pairs("spouses", "wives", "husbands")
_pairs("sibling", "sister", "brother")
_pairs("siblings", "sisters", "brothers")
_pairs("relative", "aunt", "uncle", "niece", "nephew")
_pairs("relatives", "aunts", "uncles", "nieces", "nephews")
_pairs("partner", "girlfriend", "boyfriend")
_pairs("partners", "girlfriends", "boyfriends")
_pairs("widowed person", "widow", "widower")
_pairs("homemaker", "housewife", "househusband")
_pairs("homemakers", "housewives", "househusbands")
# Job words with a gendered form: both forms become the neutral title.
_pairs("server", "waitress", "waiter")
_pairs("servers", "waitresses", "waiters")
_pairs("actor", "actress")
_pairs("actors", "actresses")
_pairs("host", "hostess")
_pairs("hosts", "hostesses")
_pairs("flight attendant", "stewardess", "steward")
_pairs("flight attendants", "stewardesses", "stewards")
_pairs("salesperson", "salesman", "saleswoman")
_pairs("salespeople", "salesmen", "saleswomen")
_pairs("businessperson", "businessman", "businesswoman")
_pairs("businesspeople", "businessmen", "businesswomen")
_pairs("chair", "chairman", "chairwoman")
_pairs("firefighter", "fireman", "firewoman")
_pairs("firefighters", "firemen", "firewomen")
_pairs("police officer", "policeman", "policewoman")
_pairs("police officers", "policemen", "policewomen")
_pairs("supervisor", "foreman", "forewoman")
_pairs("craftsperson", "craftsman", "craftswoman")
_pairs("craftspeople", "craftsmen", "craftswomen")
_pairs("tradesperson", "tradesman", "tradeswoman")
_pairs("tradespeople", "tradesmen", "tradeswomen")
_pairs("fisher", "fisherman", "fisherwoman")
_pairs("fishers", "fishermen", "fisherwomen")
_pairs("camera operator", "cameraman", "camerawoman")
_pairs("spokesperson", "spokesman", "spokeswoman")
_pairs("member of congress", "congressman", "congresswoman")
_pairs("head teacher", "headmaster", "headmistress")
_pairs("tailor", "seamstress")
_pairs("athlete", "sportsman", "sportswoman")
_pairs("mail carrier", "mailman", "mailwoman")
_pairs("repairer", "repairman", "repairwoman")

#: Common given names across many languages, dropped wherever they appear capitalised. Names
#: that are also common words, places or technologies ("Will", "Grace", "Ruby", "Julia",
#: "Jordan", "Mason") are left out; they are dropped only after "my name is", "call me" and
#: the like (see ``_INTRODUCED``).
GIVEN_NAMES: frozenset[str] = frozenset("""
aaliyah aaron abdul abdullah abena abigail adam adaeze adebayo adriana adrian ahmed aiden
aisha akira akosua alan alejandra alejandro alexander alexandra alexis ali alice alicia alina
alisha alison amanda amara amelia amina amir amit amy ana anastasia andrea andrew andrés
angela angelica anita ann anna anne annie anthony antonio anya arjun arnav ashley aylin
ayumi ayesha barbara beatriz benjamin bernard beth bethany betty bianca brandon brenda brian
brittany bruno caleb camila carla carlos carmen carol caroline catherine cecilia charles
chen chiamaka chidi chinedu chloe chloé christina christine christopher cindy
claire clara claudia connor cynthia daniel daniela darius david deborah deepa denise derek
diana diego dmitri dolores donna dorothy duc eduardo elena elias elijah elizabeth ella ellen
emeka emily emma emmanuel eric erica erin esther ethan eun eva evelyn fatima fatuma felipe
fernando fiona francesca francisco gabriel gabriela gary gloria gregory guadalupe hana
hannah haruto hassan heidi helen henry hiroshi hugo hyun ibrahim ifeoma imani ines ingrid
irene isaac isabel isabella ivan jacob jamal james jamie jane janet jasmine jason javier
jeffrey jennifer jeremy jerome jessica jiho jin joanna joaquín john jonathan jorge
josé joseph joshua juan juanita judith julian juliana justin kaito kamala karen karim
katherine kathleen kayla keisha kelly kenji kevin kimberly kofi kwame kyle laila lakshmi
latoya laura lauren layla leah leila leonardo liam linda lisa lucas lucía luis luka
lupe madeleine magdalena malik manuel maría maria mariam marie marisol marta martha martina
mary mateo matthew maya megan mei melissa mia michael michelle miguel
monica nadia nancy naomi natalia natasha nathan neha nicholas nicole nikolai noah
noor nora nour olga oliver olivia omar pablo pamela patricia patrick paul paula pedro
peter pooja priya rachel rafael rahul rajesh ramón raquel rashid ravi rebecca renee ricardo
richard roberto robert rosa rosalind ryan sakura samantha samuel sandra sara sarah scott
sean sergei shanice shreya simone sofia sofía sophia sophie stephanie steven susan takeshi
tamika tanya teresa thomas timothy tomás tyler valentina vanessa vera veronica vikram
vivian wei william xavier ximena yasmin yusuf yuki yvonne zainab zoe zoë
""".split())

_GENDERED = LazyPattern(
    r"\b(" + "|".join(sorted((re.escape(w).replace("'", "['’]") for w in GENDERED_WORDS),
                             key=len, reverse=True)) + r")\b", re.IGNORECASE)
# "her" is "their" before a noun ("her farm") and "them" elsewhere ("taught her to drive");
# "his" is "theirs" at the end of a clause ("the idea was his.")
_HER = LazyPattern(r"\bher\b(\s+(?!(?:and|or|to|for|with|about|at|in|on|from|that|the|a|an|"
                  r"because|when|if|so|but|as|how|what|why|up|out|off|back|too|again|"
                  r"every|each|one|some)\b)[^\W\d_])?", re.IGNORECASE)
_HIS = LazyPattern(r"\bhis\b", re.IGNORECASE)
_TITLE = LazyPattern(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+(?=[A-Z])")
# A capitalised word after a phrase that introduces a name is a name, listed or not.
_INTRODUCED = LazyPattern(
    r"\b((?:my\s+name\s+is|my\s+name['’]s|name:|call\s+me|i\s+am\s+called|i['’]m\s+called|"
    r"they\s+call\s+me)\s+)([A-Z][^\W\d_]*(?:[-'’][A-Z][^\W\d_]*)?)", re.IGNORECASE)
_IAM_NAME = LazyPattern(r"\b(I['’]m|I\s+am)\s+([A-Z][^\W\d_]+)(?=\s*(?:[,.;:!]|$|\s+and\b))")
_NAME_HERE = LazyPattern(r"^([A-Z][^\W\d_]+)(?=\s+(?:here\b|is\s+my\s+name\b))")
_CAPITALISED = LazyPattern(r"\b[A-Z][^\W\d_]*(?:-[A-Z][^\W\d_]*)?\b")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold())
                   if not unicodedata.combining(c))


_FOLDED_NAMES = frozenset(_fold(n) for n in GIVEN_NAMES)


def _same_case(found: str, word: str) -> str:
    if not word:
        return ""
    return word[:1].upper() + word[1:] if found[:1].isupper() else word


def _gendered(match: re.Match[str]) -> str:
    found = match.group(0)
    if len(found) > 1 and found.isupper():  # an acronym ("HE" for higher education)
        return found
    return _same_case(found, GENDERED_WORDS[found.casefold().replace("’", "'")])


def _her(match: re.Match[str]) -> str:
    found = match.group(0)
    if found[:3] == "HER":  # an acronym
        return found
    word = "their" if match.group(1) else "them"
    return _same_case(found, word) + (match.group(1) or "")


def _his(match: re.Match[str]) -> str:
    found = match.group(0)
    if found == "HIS":
        return found
    rest = match.string[match.end():match.end() + 3].lstrip()
    return _same_case(found, "theirs" if not rest or rest[0] in ".,;:!?)" else "their")


def _listed_name(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isupper() and len(word) > 1:
        return word
    return "" if all(_fold(part) in _FOLDED_NAMES for part in word.split("-")) else word


def neutral_text(text: str) -> str:
    """``text`` with gendered words, pronouns and given names made neutral, for matching.

    Examples
    --------
    >>> neutral_text("As a mother of two, she wants to work with numbers.")
    'As a parent of two, they wants to work with numbers.'
    >>> neutral_text("My name is Maria and I love code; he taught her to code in his garage.")
    'My name is and I love code; they taught them to code in their garage.'
    """
    text = _INTRODUCED.sub(lambda m: m.group(1), text)
    text = _IAM_NAME.sub(lambda m: m.group(1), text)
    text = _NAME_HERE.sub("", text)
    text = _TITLE.sub("", text)
    text = _CAPITALISED.sub(_listed_name, text)
    text = _HER.sub(_her, text)
    text = _HIS.sub(_his, text)
    text = _GENDERED.sub(_gendered, text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()
