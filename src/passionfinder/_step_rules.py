"""Rules for the person-sized starter steps: which tasks a beginner can try safely this week,
how a task becomes a mini-project with a time box and something to show, where watching the
work is restricted and what to offer instead, which job titles and channels to name, and which
know-how is specific to an occupation. Everything is decided from catalog fields, per
occupation; the step facts compile the rules of every occupation once per catalog and cache
them (see docs/steps.md for the rules in words).
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._patterns import LazyPattern

if TYPE_CHECKING:
    from ._catalog import Catalog

__all__ = [
    "MAX_QUOTED_WORDS",
    "MAX_STEP_CHARS",
    "OccupationRules",
    "StepRules",
    "askable",
    "distinct_titles",
    "has_topic",
    "names_action_and_result",
    "quoted_passages",
    "short_task",
    "topic_share",
    "triable",
]

#: No step is longer than this (characters): a step is something to read in a breath.
MAX_STEP_CHARS = 800
#: No quoted catalog text (a task, a title) is longer than this many words.
MAX_QUOTED_WORDS = 20

_WORD = LazyPattern(r"[a-z][a-z'-]*")


@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


# -- which tasks a beginner can try ---------------------------------------------------------

# Verbs that, among a task's first words, make it no task to try alone: directing or deciding
# about others, their money or custom, licensed acts, running machines, meetings.
_NOT_ALONE = frozenset((
    "supervise", "direct", "oversee", "manage", "negotiate", "counsel", "administer",
    "diagnose", "prescribe", "treat", "recruit", "hire", "fire", "evaluate", "euthanize",
    "authorize", "approve", "coordinate", "assign", "discipline", "enforce", "arrest",
    "patrol", "advise", "consult", "confer", "discuss", "talk", "meet", "interview", "sell",
    "bill", "pay", "collect", "accept", "resolve", "refer", "inform", "recommend",
    "represent", "testify", "certify", "sign", "inject", "restrain", "operate", "tend",
    "drive", "pilot", "fly", "participate", "attend", "collaborate", "serve", "purchase",
    "order", "requisition", "hear", "rule", "investigate", "inspect", "monitor", "audit",
    "obtain", "receive", "respond", "report", "notify", "observe", "ensure", "verify",
    "provide", "implement", "establish", "formulate"))
# Chores and upkeep: doable, but nothing a person learns the work from.
_CHORES = frozenset(("clean", "sanitize", "sterilize", "wash", "sweep", "mop", "dust",
                     "keep", "maintain", "stay", "complete", "file", "log", "answer", "greet",
                     "schedule", "stock", "restock", "load", "unload", "store", "lubricate",
                     "oil", "dispose", "remove", "refill", "replenish", "count", "weigh",
                     "label", "transport", "move", "carry", "lift", "copy", "type", "enter",
                     "read", "review", "study", "follow", "comply", "confirm", "check", "use",
                     "attend", "travel", "wear", "work"))
# People a beginner cannot have in their care or custody, and the employer's own systems.
_NOT_YOURS = LazyPattern(
    r"\b(patients?|clients?|students?|pupils?|customers?|inmates?|offenders?|defendants?|"
    r"victims?|suspects?|residents?|passengers?|patrons?|employees?|workers?|staff|"
    r"personnel|subordinates?|crews?|trainees?|members?|donors?|sponsors?|citizens?|"
    r"company|company's|organization|organizational|organization's|establishment|firm|"
    r"agency|agencies|department|facility|facilities|institution|policies|policy|"
    r"procedures|regulations?|regulatory|compliance|contracts?|licen[cs]\w*|permits?|"
    r"warrants?|court|legal|law|laws|statutes?|government|federal|insurance|claims?|"
    r"invoices?|payroll|purchase orders?|work orders?|manufacturing|assembly line|"
    r"operators?)\b")
# Hazards and places a beginner must not go (word starts).
_HAZARDS = LazyPattern(
    r"\b(saws?|sawing|chain ?saws?|weapons?|explosives?|firearms?|guns?|ammunition|"
    r"chemicals?|pesticides?|herbicides?|electric\w*|voltage|generators?|gas|gases|crane|"
    r"hoist\w*|forklifts?|aircraft|vehicles?|trucks?|drive|driving|fell|felling|blast\w*|"
    r"toxic|weld\w*|torch\w*|fire|fires|flames?|ladders?|scaffold\w*|roofs?|asbestos|"
    r"radiation|radioactive|refrigerants?|combat|demolition|medications?|drugs?|blood|"
    r"wiring|wires?|power tools?|knives|machinery|industrial|turbines?|substations?|"
    r"hydraulic|boilers?|pressur\w*|illness|injur\w*|symptoms?|diseases?|outlets?|"
    r"circuit\w*|breakers?|solvents?|acids?|bleach|disinfectants?|(?<!sewing )machines?|"
    r"drills?|bullets?|rigging|climb\w*|diving|divers?|underwater|power lines?|"
    r"reproduction|breeding|insemination|mining|mines?|unsafe|sewers?|manholes?|"
    r"septic|confined|trench\w*|excavat\w*|highways?|traffic|rail\w*|ships?|vessels?|"
    r"offshore|wells|wellheads?|pipelines?|tanks?|furnaces?|kilns?|ovens?|molten|hazard\w*|"
    r"carcass\w*|slaughter\w*|surgery|surgical|anesthe\w*|x-rays?|lasers?|embalm\w*|"
    r"corpses?|cadavers?|remains|"
    r"(project|work|construction|job|crime|accident) (sites?|scenes?))\b")
# Wording that makes a task vague however it is framed ("keep abreast of", "as needed").
_VAGUE = LazyPattern(r"\b(abreast|informed|up to date|up-to-date|current with|as needed|"
                    r"as required|as directed|other parts|related duties|various)\b")


@functools.lru_cache(maxsize=1 << 16)
def triable(task: str) -> bool:
    """Whether a beginner could try a small version of ``task`` safely at home, at school or
    as a volunteer: it directs or decides about no one, needs nobody in their care (patients,
    clients, students), no licence, no employer's systems, no hazard, is no chore and is not
    vague."""
    words = _words(task)
    if not words or words[0] in _CHORES:
        return False
    lower = task.lower()
    return not (_NOT_ALONE.intersection(words[:3]) or _NOT_YOURS.search(lower)
                or _HAZARDS.search(lower) or _VAGUE.search(lower))


def hazardous(text: str) -> bool:
    return bool(_HAZARDS.search(text.lower()))


# Where a task's plain core ends: examples, means, purposes and conditions come after.
_CUT = LazyPattern(r"(,? such as\b|,? related to\b|,? relating to\b|,? related\b|"
                  r",? associated with\b|,? including\b|,? using\b|,? by\b|,? to (?!scale)\w|"
                  r",? in order\b|,? so that\b|,? according\b|,? based on\b|,? in accordance\b|"
                  r",? for use\b|,? following\b|,? with\b|,? from\b|,? that\b|,? which\b|"
                  r",? when\b|,? where\b|,? while\b|,? as\b|;|:|\()")


# Words a cut may not follow: "talk to customers or refer to work orders" is no core.
_BEFORE_TO = frozenset(("or", "and", "contribute", "respond", "refer", "talk", "listen",
                        "adhere", "report", "conform", "relate", "speak", "travel", "go",
                        "attend", "return", "react", "cater", "assist", "prior", "due"))


@functools.lru_cache(maxsize=1 << 16)
def short_task(task: str, max_words: int = 12) -> str:
    """The plain core of a task statement in lower case: its verb and what it works on,
    without examples, means or purposes ("Design clothing and accessories, using ..." ->
    "design clothing and accessories"), at most ``max_words`` words."""
    text = task.strip().rstrip(".")
    core = text
    for m in _CUT.finditer(text, 8):
        head = text[:m.start()].split()
        # "write or contribute to ..." is cut too early: a core has a verb and an object
        if len(head) >= 3 and head[-1].lower() not in _BEFORE_TO:
            core = text[:m.start()]
            break
    words = core.split()
    if len(words) > max_words:
        words = words[:max_words]
        # a long list ends at its last comma
        commas = [i for i, w in enumerate(words) if w.endswith(",")]
        if commas and commas[-1] >= 3:
            words = words[:commas[-1] + 1]
        # end on a noun-like word, not "and" / "of"
        while words and words[-1].lower().strip(",") in ("and", "or", "of", "the", "a", "an",
                                                         "for", "in", "on", "to", "with"):
            words.pop()
    core = " ".join(words).rstrip(",")
    return core[:1].lower() + core[1:] if core[1:2].islower() or len(core) < 2 else core


# -- mini-projects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MiniProject:
    """A person-sized version of a kind of work: what to do, how long, what to show."""

    kind: str
    action: str
    time_box: str
    to_show: str


# Topic projects, first match wins: a keyword start in the task (or, for the last ones, its
# verb) picks a project a beginner can do with what is at hand. Each says what to do, for how
# long and what there is to show for it.
_TOPIC_PROJECTS: tuple[tuple[tuple[str, ...], MiniProject], ...] = (
    (("hair", "braid", "wig", "scalp"), MiniProject(
        "practise", "follow one styling tutorial three times on a willing friend or a practice "
        "head, changing one thing each time", "about two hours",
        "before-and-after photos of your best try and a note of what you changed")),
    (("makeup", "cosmetic", "manicur", "pedicur", "fingernail", "skin care"), MiniProject(
        "practise", "recreate one look from a tutorial on yourself or a willing friend, then "
        "adapt it for a different occasion", "about two hours",
        "photos of both looks and the three products or steps that mattered most")),
    (("garment", "clothing", "costume", "fashion", "apparel", "textile", "fabric"),
     MiniProject("design", "sketch three outfit ideas for one real occasion, pick one and "
                 "make a mood board or a simple version of it", "two or three evenings",
                 "the three sketches, and which one a friend picks and why")),
    (("website", "web site", "web page", "web"), MiniProject(
        "code", "build a one-page website about something you care about with free tools "
        "(HTML and CSS in a free editor, published free on GitHub Pages)", "a weekend",
        "a live link you can send")),
    (("game",), MiniProject(
        "code", "design one level of a simple game on paper, then build it in a free "
        "beginner engine such as Scratch or Godot", "a weekend",
        "a playable level and what two testers found hard")),
    (("computer program", "programming", "software", "code", "coding", "applications",
      "app", "algorithm"),
     MiniProject("code", "write a small program that solves one everyday problem (a "
                 "budget tracker, a quiz, a unit converter), following a free beginner "
                 "tutorial", "three evenings",
                 "the working program and a short list of what you would add next")),
    (("database", "data", "statistic", "spreadsheet", "dataset", "metric", "trend"),
     MiniProject("analyse", "pick a free public data set on a topic you care about (a "
                 "city or national open-data portal has hundreds) and answer one question "
                 "with it in a spreadsheet", "two evenings",
                 "one chart and a half-page note on what it shows")),
    (("map", "geographic", "gis", "spatial"), MiniProject(
        "map", "map something in your neighbourhood (trees, benches, bus stops) with a free "
        "map tool such as uMap or QGIS", "an afternoon",
        "the finished map and one pattern you noticed")),
    (("food", "dish", "meal", "menu", "recipe", "pastr", "bread", "cake", "dough", "sauce",
      "dessert", "beverage", "coffee", "cocktail", "cook", "bake"), MiniProject(
        "cook", "cook one dish three times for family or friends, changing one thing each time "
        "and noting the result", "three evenings",
        "photos and notes of each version, and which one your tasters preferred")),
    (("plant", "garden", "landscap", "lawn", "flower", "seed", "shrub", "crop", "soil",
      "tree"), MiniProject(
        "grow", "plan and plant one pot, window box or small bed, choosing plants for its "
        "light and soil", "an afternoon, then ten minutes a day",
        "a labelled sketch of the plan and photos as it grows")),
    (("animal", "dog", "cat", "horse", "pet", "livestock", "wildlife", "bird", "fish"),
     MiniProject("care", "volunteer for an afternoon at an animal shelter or a farm that "
                 "takes volunteers and keep a short log of each animal you help with",
                 "an afternoon", "your care log and one question to ask the staff")),
    (("wood", "wooden", "lumber", "furniture", "cabinet", "carpent", "frame", "shelf",
      "shelves"), MiniProject(
        "build", "build one small item (a box, a shelf or a birdhouse) from a free beginner "
        "plan with hand tools, in a school or community workshop if you have no space",
        "a weekend", "the finished item and photos of each stage")),
    (("model", "prototype", "mock-up", "mockup", "miniature"), MiniProject(
        "build", "build a small scale model of something you can see (your room, a bridge, "
        "a product) from card and glue, measuring it first", "two evenings",
        "the model and the measured sketch it came from")),
    (("engine", "motor", "bicycle", "bike", "appliance", "mechanism", "gear", "parts",
      "component", "device", "equipment", "instrument"), MiniProject(
        "repair", "take apart and reassemble one old, unplugged device or a bicycle part (a "
        "brake, a derailleur) with hand tools, photographing each step",
        "an afternoon", "the photo sequence and a list of the parts and what each one does")),
    (("photograph", "photo", "image", "picture"), MiniProject(
        "photograph", "take thirty photos of one subject in different light and from different "
        "angles, then choose the best five", "a weekend",
        "the five photos with a line on why each works")),
    (("film", "video", "footage", "broadcast", "animation", "animate"), MiniProject(
        "film", "film and edit a 60-second video on one topic with free editing software",
        "a weekend", "the finished video and one viewer's comments")),
    (("music", "song", "compos", "melod", "instrument"), MiniProject(
        "compose", "write or arrange a 30-second piece and record it on your phone",
        "three evenings", "the recording and a note on what you would change")),
    (("lesson", "curricul", "course", "syllab", "lecture", "teach", "instruct", "tutor",
      "class"), MiniProject(
        "teach", "prepare a 15-minute lesson on something you know well and teach it to a "
        "friend or relative, ending with one quick question to check they got it",
        "two evenings", "your lesson plan and what the check showed")),
    (("event", "tour", "trip", "itinerar", "travel", "conference", "festival", "party",
      "wedding", "meeting"), MiniProject(
        "plan", "plan a one-day outing or small event for friends or a club: a timetable, a "
        "budget and a list of what could go wrong", "two evenings",
        "the one-page plan, and how it went if you run it")),
    (("budget", "financ", "account", "tax", "cost", "price", "investment", "expense",
      "fund"),
     MiniProject("analyse", "make a one-month budget for your household or a club from real "
                 "figures in a free spreadsheet and find the largest cost you could cut",
                 "an evening", "the spreadsheet and a one-paragraph conclusion")),
    (("floor plan", "interior", "room", "space", "architect", "site plan", "blueprint",
      "scale drawing", "construction plan", "furnishing"), MiniProject(
        "design", "draw one room at home to scale, then a second version that rearranges it "
        "to work better", "an evening", "the two plans and a note on what changed")),
    (("logo", "graphic", "layout", "poster", "illustrat", "drawing", "sketch", "artwork",
      "visual", "display"), MiniProject(
        "design", "design a poster or logo for a real club, event or friend's project: three "
        "rough sketches, then finish the best one on paper or in free software",
        "two evenings", "the three sketches and the finished piece with the feedback you got")),
    (("art", "painting", "paintings", "sculpt", "ceramic", "pottery", "craft",
      "portrait"), MiniProject(
        "create", "make one small piece from life (a drawing, a painting, or a clay or craft "
        "piece) three times, changing the medium or style each time", "three evenings",
        "the three pieces side by side and a friend's view of which works and why")),
    (("article", "story", "stories", "news", "script", "commentar", "column", "copy", "essay",
      "blog", "speech", "poem", "book", "manuscript", "write", "writing", "edit"), MiniProject(
        "write", "write a 400-word piece on one local event or issue, with a quote from "
        "someone you ask, then cut it to 300 words", "two evenings",
        "the finished piece and one reader's comments")),
    (("advertis", "promot", "campaign", "brand", "marketing", "social media", "publicity",
      "sales", "product"), MiniProject(
        "promote", "plan a one-week poster or social-media campaign for a club, a charity or "
        "a friend's small business: three posts and how you will tell whether they worked",
        "two evenings", "the three posts and what the numbers said after a week")),
    (("star", "astronom", "planet", "galax", "telescope", "celestial"), MiniProject(
        "observe", "observe one part of the night sky on three evenings (a free app such as "
        "Stellarium helps you find your way) and keep an observing log", "three evenings",
        "your log and one sketch of what you observed")),
    (("weather", "climate", "atmospher", "meteorolog"), MiniProject(
        "observe", "keep a weather log for a week (temperature, cloud, wind) and compare it "
        "each day with the official forecast", "ten minutes a day",
        "your log and how often the forecast was right")),
    (("rock", "geolog", "fossil", "sediment", "water quality", "stream"),
     MiniProject("observe", "collect and identify five rocks, soils or water samples near "
                 "you with a free field guide, noting where each came from", "an afternoon",
                 "your labelled samples and notes")),
    (("fitness", "exercise", "workout", "athlet", "sport", "training program", "coach"),
     MiniProject("plan", "plan a four-week beginner training programme for yourself or a "
                 "team you help with and run the first week, noting how each session went",
                 "a week",
                 "the written plan and your notes on week one")),
    (("archiv", "catalog", "collection", "librar", "records", "inventor"),
     MiniProject("organise", "catalogue one collection you have (books, photos, music) in "
                 "a free spreadsheet with a system anyone could use to find an item",
                 "an evening", "the catalogue and your system written as three rules")),
    (("translat",), MiniProject(
        "translate", "translate one short text (a recipe, a news paragraph) and ask a fluent "
        "speaker to check it", "an evening",
        "your translation with the corrections and what they taught you")),
    (("experiment", "sample", "specimen", "laborator", "hypothes", "species", "organism"),
     MiniProject(
        "experiment", "design and run one small kitchen-table experiment (how light changes "
        "how fast seeds sprout, or how temperature changes dissolving time), recording "
        "results in a table", "a week of short checks",
        "your results table, one chart and what you would change next time")),
    (("plan", "schedul", "organiz", "logistic", "route"), MiniProject(
        "plan", "plan one small real thing for your household or a club (a move, a sale, a "
        "trip) with a timetable and a checklist, and see it through", "two evenings",
        "the plan and a note on what went differently from it")),
)
_MAKE = frozenset(("build", "construct", "make", "assemble", "fabricate", "carve", "cut", "shape",
                   "sand", "finish", "refinish", "repair", "restore", "design", "create",
                   "develop", "produce", "sew", "fit", "mold", "sculpt"))
# The verbs a topic's project needs among a task's first words: a "power plant" is no
# garden, "statistical models" no card model, "dress children" no fashion design.
_TOPIC_VERBS: dict[str, frozenset[str]] = {
    "garment": _MAKE | {"sketch", "draw", "alter", "style", "select", "research", "examine",
                        "adapt", "modify"},
    "website": _MAKE | {"write", "code", "program", "maintain", "update", "test", "edit"},
    "game": _MAKE | {"write", "code", "program", "test", "plan"},
    "computer program": _MAKE | {"write", "code", "program", "test", "debug", "modify",
                                 "update", "correct"},
    "plant": frozenset(("plant", "grow", "cultivate", "prune", "water", "harvest",
                        "design", "landscape", "mow", "trim", "transplant", "propagate",
                        "seed", "fertilize", "care", "select", "tend", "pot")),
    "wood": _MAKE | {"measure", "mark", "install", "glue", "join", "trim", "select"},
    "logo": _MAKE | {"draw", "sketch", "illustrate", "paint", "print", "lay", "arrange",
                     "render"},
    "model": frozenset(("build", "construct", "make", "assemble", "fabricate", "carve",
                        "mold", "sculpt")),
    "engine": frozenset(("repair", "fix", "assemble", "disassemble", "reassemble", "rebuild",
                         "dismantle", "install", "replace", "adjust", "overhaul", "service",
                         "troubleshoot", "restore", "build", "construct", "fabricate")),
    "database": frozenset(("analyze", "analyse", "compile", "collect", "track", "gather",
                           "prepare", "review", "interpret", "compute", "calculate", "develop",
                           "create", "design", "build", "model", "study", "examine",
                           "summarize", "visualize", "evaluate", "assess", "organize",
                           "process", "query", "compare", "identify", "use")),
    "advertis": frozenset(("advertise", "promote", "market", "plan", "design", "create",
                           "develop", "write", "prepare", "publicize", "launch", "produce",
                           "research", "conduct", "coordinate")),
    "weather": frozenset(("observe", "analyze", "study", "measure", "collect", "record",
                          "predict", "interpret", "prepare", "research", "monitor", "develop",
                          "conduct", "forecast", "gather")),
    "fitness": frozenset(("plan", "design", "develop", "lead", "teach", "coach", "train",
                          "demonstrate", "exercise", "conduct", "prepare", "create")),
    # not the workshop verbs of _MAKE: "cut and tape plastic separating film" is no video
    "film": frozenset(("film", "edit", "shoot", "record", "animate", "direct", "organize",
                       "string", "make", "create", "design", "develop", "produce")),
    "music": _MAKE | {"compose", "write", "arrange", "play", "perform", "record", "sing",
                      "practice", "rehearse", "select", "study", "transcribe"},
    "lesson": _MAKE | {"teach", "instruct", "tutor", "prepare", "plan", "deliver", "give",
                       "present", "conduct", "lead", "demonstrate", "write", "compile",
                       "select", "adapt", "evaluate"},
    "floor plan": _MAKE | {"draw", "sketch", "plan", "lay", "arrange", "decorate", "prepare",
                           "measure", "select"},
    "hair": frozenset(("cut", "trim", "style", "shape", "comb", "brush", "braid", "curl",
                       "color", "colour", "dye", "shampoo", "wash", "dry", "set", "apply",
                       "design", "create", "shave", "lather", "bleach", "straighten", "wave",
                       "arrange", "attach", "weave", "recommend", "analyze", "select")),
    "makeup": frozenset(("apply", "design", "create", "shape", "polish", "paint", "style",
                         "select", "study", "examine", "analyze", "clean", "file", "remove",
                         "massage", "treat", "demonstrate", "advise")),
    "food": frozenset(("cook", "bake", "prepare", "make", "mix", "season", "cut", "plan",
                       "develop", "create", "design", "test", "taste", "decorate", "arrange",
                       "grill", "fry", "roast", "brew", "garnish", "portion", "combine",
                       "weigh", "measure", "select", "plate")),
}


# Kinds of work by verb, for a task no topic matches: a general project that still has a
# time box and something to show, built around the task's plain core.
_VERB_PROJECTS: dict[str, MiniProject] = {
    "make": MiniProject("make", "make one small, real example at home or in a school or "
                        "community workshop, following a free beginner guide", "a weekend",
                        "the result and photos of each stage"),
    "analyse": MiniProject("analyse", "answer one small question of your own with free "
                           "public information, keeping notes of your sources",
                           "two evenings", "a one-page summary with one table or chart"),
    "create": MiniProject("create", "make three quick drafts for one real purpose, then "
                          "finish the best one", "two evenings",
                          "the drafts, the finished piece and one person's feedback"),
    "design": MiniProject("design", "sketch three different solutions for one real case you "
                          "know (your room, a club's problem, a product you use), pick the "
                          "best and draw it out with notes", "two evenings",
                          "the three sketches, the chosen one and why you chose it"),
    "teach": MiniProject("teach", "prepare a 15-minute explanation of it and give it to a "
                         "friend or relative, ending with one question to check they got it",
                         "two evenings", "your notes and what the check showed"),
    "plan": MiniProject("plan", "plan one small real version of it for your household or a "
                        "club, with a timetable and a checklist", "two evenings",
                        "the one-page plan and how it went"),
}
_VERB_KIND = {
    **dict.fromkeys(("build", "construct", "assemble", "fabricate", "repair", "fix",
                     "rebuild", "restore", "refinish", "sew", "stitch", "knit", "carve",
                     "sand", "cook", "bake", "plant", "prune", "grow", "cultivate",
                     "disassemble", "paint", "sculpt", "make"), "make"),
    **dict.fromkeys(("analyze", "analyse", "research", "calculate", "compute", "estimate",
                     "compare", "survey", "forecast", "interpret", "model", "simulate"),
                    "analyse"),
    **dict.fromkeys(("design", "engineer", "redesign"), "design"),
    **dict.fromkeys(("write", "draft", "edit", "draw", "sketch", "compose", "photograph",
                     "film", "illustrate", "create", "translate"), "create"),
    **dict.fromkeys(("teach", "explain", "demonstrate", "instruct", "coach", "present"),
                    "teach"),
    **dict.fromkeys(("plan", "organize", "organise", "promote", "market", "advertise",
                     "publicize", "host", "fundraise"), "plan"),
}


# A keyword of five letters or fewer is a word (with a plural or a common ending); a longer
# one is a word start ("landscap" in "landscaping").
_WHOLE_WORDS = frozenset(("fabric", "weather", "garden", "travel", "record", "records",
                          "engine", "device", "product", "sample", "stream", "display"))
_KEYWORD = {
    keyword: rf"\b{re.escape(keyword)}" + (r"(s|es|ed|ing|al|ic|ics|er|ers)?\b"
                                           if len(keyword) <= 5 or keyword in _WHOLE_WORDS
                                           else "")
    for starts, _ in _TOPIC_PROJECTS for keyword in starts}
# One pattern per topic (any of its keywords), for speed, with the keywords themselves: a
# pattern can match only a text that holds one of them, so the others are never searched (or
# compiled, see _patterns).
_TOPIC_PATTERNS = tuple(
    (LazyPattern("|".join(_KEYWORD[k] for k in starts), re.I), project,
     _TOPIC_VERBS.get(starts[0]), tuple(starts))
    for starts, project in _TOPIC_PROJECTS)
# lower() leaves two letters that IGNORECASE matches to ASCII ones: dotless i and long s
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s"})


def project_for(task: str) -> MiniProject | None:
    """The mini-project for a task: a topic project when the task names a topic one fits,
    else the general project of its verb's kind of work; None when neither says how."""
    topic = _topic(task)
    if topic is not None:
        return topic
    words = _words(short_task(task))
    kind = _VERB_KIND.get(words[0]) if words else None
    return _VERB_PROJECTS.get(kind) if kind else None


def _leading_verbs(core: str) -> set[str]:
    """The verbs a task starts with: "design, build, or maintain Web sites" -> design,
    build, maintain."""
    tokens = core.lower().split()
    verbs: set[str] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("and", "or"):
            i += 1
            continue
        verbs.add(token.strip(","))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not token.endswith(",") and nxt not in ("and", "or"):
            break
        i += 1
    return verbs


@functools.lru_cache(maxsize=1 << 16)
def _topic(task: str) -> MiniProject | None:
    core = short_task(task)
    lead = _leading_verbs(core)
    folded = core.lower().translate(_FOLD)
    for pattern, project, verbs, keywords in _TOPIC_PATTERNS:
        if verbs is not None and not lead & verbs:
            continue
        if any(k in folded for k in keywords) and pattern.search(core):
            return project
    return None


# The kinds of mini-project each Holland type of work is made of.
_HOLLAND_KINDS = {
    "R": frozenset(("build", "repair", "cook", "grow", "care", "practise", "make", "map")),
    "I": frozenset(("analyse", "experiment", "observe", "map", "code")),
    "A": frozenset(("design", "create", "write", "compose", "film", "photograph", "practise",
                    "cook")),
    "S": frozenset(("teach", "care", "practise", "plan")),
    "E": frozenset(("promote", "plan", "organise")),
    "C": frozenset(("organise", "analyse", "code")),
}


def topic_share(task: str, core_tasks: Sequence[str], holland: str | None = None) -> int:
    """How well ``task``'s topic project stands for the work: how many of the occupation's
    core tasks share it, plus three when its kind suits the first Holland letter of the work
    and two for the second (a chef's try is cooking before costing)."""
    topic = _topic(task)
    if topic is None:
        return 0
    share = sum(_topic(t) is topic for t in core_tasks)
    letters = (holland or "")[:2]
    for bonus, letter in zip((3, 2), letters, strict=False):
        if topic.kind in _HOLLAND_KINDS.get(letter, ()):
            share += bonus
            break
    return share


def has_topic(task: str) -> bool:
    """Whether a task's plain core names a topic a specific mini-project fits."""
    return _topic(task) is not None


# -- where watching the work is restricted ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A way to see restricted work that exists for anyone: what to do and what to keep."""

    name: str
    action: str
    to_show: str


# What to do instead of shadowing, by why watching is restricted. ``{title}`` is the
# occupation in the singular (``{a_title}`` with its article), ``{know}`` its most
# distinctive knowledge area.
ROUTES: dict[str, Route] = {
    "legal": Route("public court sessions",
                   "sit in the public gallery of a local court for a morning (most hearings "
                   "are open to anyone; the court's website lists the day's sessions) and "
                   "follow one case from start to finish",
                   "a half-page note on the question the court had to decide, each side's "
                   "main argument and what {a_title} did in the room"),
    "confidential": Route("recorded case studies",
                          "watch two recorded demonstration sessions or case studies that a "
                          "university or professional body publishes for the public, and "
                          "read one plain-language guide to {know}",
                          "three things the practitioner did and why, in your own words, "
                          "to ask {a_title} about in an informational interview"),
    "school": Route("public meetings and lectures",
                    "attend a school board's public meeting or a university's public lecture "
                    "on {know}, or watch a recorded one",
                    "a one-page note of the problems raised and which of them {a_title} "
                    "would work on"),
    "clinical": Route("public lectures and recorded case studies",
                      "watch two recorded case presentations or public lectures on {know} "
                      "from a university or teaching hospital (many are free online), and "
                      "book a beginner first-aid course",
                      "one page of notes on what the {title} decided in each case and why, "
                      "plus the course booking"),
    "care": Route("first-aid course and volunteering",
                  "book a beginner first-aid course and ask a care home or community centre "
                  "about volunteering in activities such as reading or games (not personal "
                  "care)", "the course booking and a note of what volunteers there may and "
                  "may not do"),
    "emergency": Route("open days and first aid",
                       "book a beginner first-aid course and find the next open day or "
                       "community academy of your local station or department",
                       "the course booking, the open-day date and three questions to ask "
                       "{a_title} there"),
    "animal": Route("volunteering with animals",
                    "volunteer for an afternoon at an animal shelter and watch a recorded "
                    "lecture on {know} from a university's public channel",
                    "a short log of the animals you helped with and one question for "
                    "{a_title}"),
    "hazardous": Route("open days and recorded walk-throughs",
                       "go to an open day of a training programme or apprenticeship in this "
                       "trade, or watch a recorded job walk-through from a trade association "
                       "or training college",
                       "a list of the tools, safety steps and skills you noticed, with the one "
                       "you would learn first"),
    "road": Route("the licence handbook",
                  "read the vehicle-inspection chapter of your state's commercial or ordinary "
                  "driver's handbook (free online) and take its practice quiz, then plan one "
                  "real five-stop delivery route on a free map",
                  "your quiz score and the route with its stops, distances and times"),
    "water": Route("a boating safety course",
                   "take a free online boating safety course (many boating authorities offer "
                   "one) and plan a short trip on a free nautical chart or map",
                   "your course notes or certificate and the trip plan with its hazards "
                   "marked"),
    "air": Route("ground school and open days",
                 "work through a free online ground-school lesson on reading aviation weather "
                 "reports and find a flight school's or airfield's next open day",
                 "one weather report decoded line by line, and the open-day date"),
    "rail": Route("railway museums and rulebooks",
                  "visit a heritage railway or a railway museum (many let visitors see the "
                  "cab) and read the public summary of your national rail signalling rules",
                  "a sketch of three signals and what each tells the train crew"),
    "welding": Route("a supervised taster class",
                     "book a supervised beginner session at a makerspace or a community "
                     "college that runs taster classes in this trade",
                     "the booking and a list of the safety gear the class requires"),
    "outdoors": Route("safety courses and rules",
                      "take your state's hunter, boating or forestry safety course online "
                      "(most are free or cheap) and read the season and licence rules for "
                      "one species or area",
                      "your course notes and a one-page summary of those rules"),
    "wildlife": Route("conservation volunteering",
                      "join a conservation group's volunteer day or a wildlife agency's public "
                      "event, and read the hunting and fishing rules for your area",
                      "a one-page summary of three rules and the questions you would ask "
                      "{a_title}"),
    "lead": Route("leading a small project",
                  "offer to organise one small piece of work for a club, team or charity you "
                  "belong to (a clean-up, a sale, a match day): set the goal, split the jobs "
                  "among two or three people and check in on each of them: the work of "
                  "{titles} at a small scale",
                  "your one-page plan, who did what, and three things you would run "
                  "differently"),
    "interview": Route("informational interviews",
                       "watch two recorded 'day in the life' videos or talks by people in this "
                       "work, then ask one of them (through a professional association or a "
                       "contact) for a twenty-minute informational interview",
                       "a list of the three tasks that fill their week and the one you would "
                       "most like to try"),
    "military": Route("recruiting offices",
                      "ask a recruiting office whether you can visit a training unit or an "
                      "open day, and read the service's own description of the {title} job",
                      "a note of the entry requirements and what you are committing to "
                      "before you sign anything"),
}
_RESTRICTED_WORDS = {
    "legal": LazyPattern(r"\b(court|judicial|hearings?|litigation|lawsuits?|trials?|legal)\b"),
    "confidential": LazyPattern(r"\b(clients?|counsel\w*|therap\w*|psycholog\w*|"
                               r"case ?loads?|families)\b"),
    "clinical": LazyPattern(r"\b(patients?|clinical|diagnos\w*)\b"),
    "emergency": LazyPattern(r"\b(emergency|emergencies|rescue)\b"),
}
# The SOC codes with their own rule: military (55), protective service (33), psychologists
# (19-303x; school psychologists 19-3034), counsellors and social workers (21-1), school and
# career counsellors (21-1012), lawyers and judges (23-1), EMTs and paramedics (29-2042/3),
# veterinary work (29-1131, 29-2056, 31-9096), and work with heavy machines, at height, under
# water, on the road or with live power lines (the trades the step never asks to try).
_HAZARDOUS_CODES = ("47-2073", "47-4021", "47-5", "45-4", "49-3011", "49-905", "49-9092",
                    "49-9096", "53-3", "53-4", "53-5", "53-2", "53-701", "53-702", "53-703",
                    "53-704", "53-705", "53-707", "53-708", "47-4071", "47-4061",
                    "47-2111", "47-2152", "47-2221",
                    "47-2181", "51-4121", "49-9051", "49-9052", "47-2211", "47-4011",
                    "47-4041", "47-4051", "47-2061", "47-2151", "49-9043", "51-8",
                    "45-1", "45-3", "39-40", "47-2081", "47-2121", "47-2131")


_CARING_FAMILIES = frozenset(("Community and Social Service", "Healthcare Practitioners and "
                              "Technical", "Healthcare Support", "Life, Physical, and Social "
                              "Science", "Educational Instruction and Library"))


# Hazardous work with a safe way in of its own: drivers, boats, flying, rail, welding,
# fishing, hunting and forestry.
_HAZARD_KINDS = (("53-3", "road"), ("53-5", "water"), ("53-2", "air"), ("53-4", "rail"),
                 ("51-4121", "welding"), ("45-", "outdoors"))


def restriction(code: str, family: str | None, job_zone: int | None,
                core_tasks: Sequence[str]) -> str | None:
    """Why watching or trying this work is restricted (a key of :data:`ROUTES`), or None.

    Decided from the catalog: the SOC code for military, protective, psychology, counselling,
    legal, emergency-medical, veterinary and hazardous-trade work; the job family for legal,
    health-care and community-service work (with the job zone telling skilled clinical work
    from care work); otherwise the tasks' own wording, when at least a third of the core
    tasks speak of courts, clients in therapy, patients or emergencies.
    """
    family = family or ""
    if code.startswith("55-"):
        return "military"
    if code.startswith(("19-3034", "21-1012")):
        return "school"
    if code.startswith("33-3031"):
        return "wildlife"  # fish and game wardens
    if code.startswith(("33-3021.06", "33-3041")):
        return "interview"  # intelligence analysts, parking enforcement
    if code.startswith(("29-2042", "29-2043", "33-1", "33-2", "33-3", "33-9092")):
        return "emergency"
    if code.startswith("33-"):
        return "interview"  # guards and other protective work: ask, do not patrol
    if code.startswith(("29-1131", "29-2056", "31-9096")):
        return "animal"
    if code.startswith(("19-303", "21-1")):
        return "confidential"
    if code.startswith("23-") or family == "Legal":
        return "legal"
    if family == "Healthcare Practitioners and Technical" or code.startswith("29-"):
        return "care" if job_zone is not None and job_zone <= 2 else "clinical"
    if family == "Healthcare Support" or code.startswith("31-"):
        return "clinical" if job_zone is not None and job_zone >= 3 else "care"
    if code.startswith(_HAZARDOUS_CODES):
        for prefix, kind in _HAZARD_KINDS:
            if code.startswith(prefix):
                return kind
        return "hazardous"
    if core_tasks:
        for kind, pattern in _RESTRICTED_WORDS.items():
            hits = sum(bool(pattern.search(t.lower())) for t in core_tasks)
            if hits * 3 >= len(core_tasks) and hits >= 2:
                # clients in business (advisers, agents) are no confidential session: their
                # tasks are filtered one by one instead
                if kind not in ("confidential", "clinical") or family in _CARING_FAMILIES:
                    return kind

    return None


# -- connect: titles, channels, know-how ------------------------------------------------------

# Channels by job family: where people in this kind of work can be met.
CHANNELS: dict[str, str] = {
    "Management": "a professional association's local chapter, a chamber of commerce event "
                  "or a business you know",
    "Business and Financial Operations": "a professional association's local chapter, a "
                                         "chamber of commerce event or a university careers "
                                         "office",
    "Computer and Mathematical": "a local tech meetup, a hackathon or an open-source "
                                 "project's community",
    "Architecture and Engineering": "an engineering or architecture society's local or "
                                    "student chapter, or a university department",
    "Life, Physical, and Social Science": "a university department's public seminars, a "
                                          "learned society's local chapter or a museum",
    "Community and Social Service": "a community organisation, a charity you know or a "
                                    "university's social-work department",
    "Legal": "a bar association's public events, a law school's open lectures or a legal "
             "advice clinic",
    "Educational Instruction and Library": "a school, a library, a teacher-training programme "
                                           "or a tutoring charity",
    "Arts, Design, Entertainment, Sports, and Media": "a local studio, gallery, theatre, club "
                                                      "or maker group, or an online portfolio "
                                                      "community",
    "Healthcare Practitioners and Technical": "a hospital's or clinic's careers events, a "
                                              "professional association or a health-care "
                                              "college programme",
    "Healthcare Support": "a care home, a clinic or a health-care college programme",
    "Protective Service": "a fire or police department's open day or community academy",
    "Food Preparation and Serving Related": "a local restaurant, bakery or café, or a "
                                            "culinary school",
    "Building and Grounds Cleaning and Maintenance": "a local landscaping or cleaning "
                                                     "business, or a parks volunteer day",
    "Personal Care and Service": "a local business in this line of work or a vocational "
                                 "school that trains for it",
    "Sales and Related": "a local shop or sales team, a sales association or a chamber of "
                         "commerce event",
    "Office and Administrative Support": "a local office, a staffing agency or a "
                                         "professional association",
    "Farming, Fishing, and Forestry": "a farm, an agricultural extension office or a young "
                                      "farmers' club",
    "Construction and Extraction": "a trade union or trade association, an apprenticeship "
                                   "programme or a local contractor",
    "Installation, Maintenance, and Repair": "a repair shop, a trade association or a "
                                             "technical college's apprenticeship programme",
    "Production": "a local manufacturer, a trade association or a technical college",
    "Transportation and Material Moving": "a local employer, a training school for this "
                                          "work or a trade association",
    "Military Specific": "a recruiting office or a veterans' association",
}

# Occupations whose job family's channel does not fit them, with one that does.
CHANNEL_BY_CODE: dict[str, str] = {
    "33-9092": "a pool, beach or ski area that trains lifeguards, or a lifesaving club",
    "33-3031": "a wildlife agency's public events or a conservation group",
    "33-9011": "an animal shelter or a local animal services department",
    "41-9012": "a modelling agency's open call or a local photography club",
    "51-3011": "a local bakery or a culinary school",
    "35-": "a local restaurant, bakery or café, or a culinary school",
    "27-4021": "a local photography club or an online portfolio community",
    "45-2092": "a farm or nursery that takes volunteers, or an agricultural extension office",
    "37-3011": "a local landscaping business or a parks volunteer day",
    "31-9096": "an animal shelter or a veterinary clinic",
    "29-1131": "a veterinary clinic, an animal shelter or a veterinary school's open day",
    "29-2056": "a veterinary clinic or an animal shelter",
    "27-1023": "a local florist or a garden centre",
    "27-3091": "a translators' and interpreters' association or a language school",
    "45-4": "a forestry company, a forestry office or a woodland volunteer day",
}


def channel(code: str, family: str | None) -> str:
    """Where to meet people in this work: by the occupation's code when its family's channel
    does not fit it, else by its job family."""
    for prefix, where in CHANNEL_BY_CODE.items():
        if code.startswith(prefix):
            return where
    return CHANNELS.get(family or "", "a professional association, a local employer or a "
                                      "college programme")


# Knowledge and skills in plain words, for asking about them.
PLAIN_KNOW_HOW: dict[str, str] = {
    "Administration and Management": "planning and running an organisation",
    "Administrative": "office procedures and record systems",
    "Customer and Personal Service": "looking after customers",
    "Education and Training": "teaching and designing courses",
    "English Language": "clear writing and grammar",
    "Personnel and Human Resources": "hiring and managing people",
    "Production and Processing": "how raw materials become finished goods",
    "Public Safety and Security": "safety and security procedures",
    "Law and Government": "the laws and rules of this work",
    "Sales and Marketing": "selling and marketing",
    "Economics and Accounting": "accounting and the economics of the work",
    "Computers and Electronics": "the computers and software of the work",
    "Engineering and Technology": "the engineering behind the work",
    "Communications and Media": "media and communication",
    "Sociology and Anthropology": "how groups and cultures behave",
    "Philosophy and Theology": "philosophy and religion",
    "Medicine and Dentistry": "diagnosis and treatment",
    "Therapy and Counseling": "therapy and counselling methods",
    "Building and Construction": "building materials and methods",
    "Food Production": "growing and producing food",
    "Mechanical": "how machines work and are repaired",
    "History and Archeology": "history and archaeology",
    "Fine Arts": "the craft of art, music or performance",
    "Transportation": "moving people and goods",
    "Telecommunications": "telecommunication systems",
    "Foreign Language": "a second language",
    "Management of Financial Resources": "managing money for a team",
    "Management of Material Resources": "managing equipment and supplies",
    "Management of Personnel Resources": "managing people's work",
    "Operation and Control": "controlling equipment and systems",
    "Operations Monitoring": "watching gauges and systems",
    "Operations Analysis": "working out what a product or system must do",
    "Quality Control Analysis": "testing quality",
    "Technology Design": "designing tools and technology",
    "Equipment Selection": "choosing the right equipment",
    "Equipment Maintenance": "maintaining equipment",
    "Systems Analysis": "how a system should work",
    "Systems Evaluation": "measuring how well a system works",
    "Social Perceptiveness": "reading people's reactions",
    "Learning Strategies": "choosing how to learn or teach something",
    "Instructing": "teaching others how to do something",
    "Persuasion": "persuading people",
    "Negotiation": "negotiating",
    "Troubleshooting": "finding the cause of a fault",
    "Repairing": "repairing",
    "Installation": "installing equipment or software",
    "Programming": "programming",
    "Science": "scientific methods",
    "Mathematics": "mathematics",
}
# Skills about running machines, too vague to ask about ("watching gauges").
_MACHINE_SKILLS = frozenset(("Operations Monitoring", "Operation and Control"))
# Everyday skills and labels too general to ask about (see docs/steps.md).
GENERIC_KNOW_HOW = frozenset({
    "English Language", "Customer and Personal Service", "Active Listening", "Speaking",
    "Reading Comprehension", "Writing", "Critical Thinking", "Monitoring", "Active Learning",
    "Complex Problem Solving", "Judgment and Decision Making", "Time Management",
    "Coordination", "Service Orientation", "Administration and Management",
    "Administrative", "Education and Training", "Personnel and Human Resources"})

# Words that date a job title, and their present-day forms are in other titles.
_ARCHAIC = LazyPattern(r"(?i)(boatman|boatmen|stewardess|foreman|foremen|mailman|fireman|"
                      r"draftsman|salesman|saleslady|workman|cameraman|repairman|lineman|"
                      r"handyman|seaman|watchman|deliveryman|girl\b|boy\b|matron|"
                      r"\b\w*(?<!hu)(?<!ger)(?<!sha)ma[n]\b|\b\w*(?<!hu)(?<!ger)men\b|"
                      r"maid\b|waitress|hostess|actress|servant|"
                      r"\bsystems?$|\bequipment$)")  # equipment named like a job
_GENERIC_HEADS = frozenset(("operators", "tenders", "workers", "helpers", "laborers",
                            "clerks", "setters", "specialists", "technicians", "assistants",
                            "aides", "attendants", "hand"))
_QUALIFIER = LazyPattern(r"^(except|including|all other|and |or )", re.I)


def singular(title: str) -> str:
    """A plural occupation title as one person's title ("Hairstylists" -> "Hairstylist",
    "Pilots of Water Vessels" -> "Pilot of Water Vessels")."""
    if " of " in title:
        head, _, tail = title.partition(" of ")
        return f"{singular(head)} of {tail}"
    head, _, last = title.rpartition(" ")
    irregular = {"Men": "Man", "Women": "Woman", "Chiefs": "Chief", "Staff": "Staff"}
    if last in irregular:
        word = irregular[last]
    elif last.endswith("ies") and len(last) > 4:
        word = last[:-3] + "y"
    elif last.endswith(("sses", "ches", "shes", "xes")):
        word = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        word = last[:-1]
    else:
        word = last
    return f"{head} {word}".strip()


@functools.lru_cache(maxsize=65536)  # titles recur: every list of an occupation reads them
def _title_key(title: str) -> frozenset[str]:
    # six-letter stems: "Advertisement" and "Advertising" are one word here
    words = [(w[:-1] if w.endswith("s") and len(w) > 3 else w)[:6] for w in _words(title)]
    return frozenset(w for w in words if w not in ("and", "or", "of", "the", "a"))


@functools.lru_cache(maxsize=65536)
def _near_duplicate(a: str, b: str) -> bool:
    """Titles that say the same: the same words up to plurals and order, or one title's words
    all within the other's when the other adds one word at most."""
    ka, kb = _title_key(a), _title_key(b)
    if not ka or not kb:
        return False
    if re.sub(r"\W|s\b", "", a.lower()) == re.sub(r"\W|s\b", "", b.lower()):
        return True  # "Hair Dresser", "Hairdressers"
    if ka == kb:
        return True
    small, big = sorted((ka, kb), key=len)
    return small <= big and len(big) - len(small) <= 1


def own_title_names(title: str) -> list[str]:
    """The job names inside an occupation's own title, in the singular: "Hairdressers,
    Hairstylists, and Cosmetologists" -> Hairdresser, Hairstylist, Cosmetologist; qualifiers
    ("Except Engines", "Wood") and bare generic heads ("Operators") are not names."""
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+|or\s+)?", title) if p.strip()]
    names: list[str] = []
    if title.endswith("All Other"):
        return names  # a catch-all group names no job
    for i, part in enumerate(parts):
        if _QUALIFIER.match(part) or (not part.endswith("s") and not part.endswith("men")):
            continue
        if " and " in part:  # "Athletes and Sports Competitors": not one name
            continue
        if i and " " not in part and part.lower() in _GENERIC_HEADS:
            continue
        names.append(singular(part))
    return names


@functools.lru_cache(maxsize=65536)
def _usable_title(title: str) -> str | None:
    """The title as a person would look for it, or None when it is no title to look for."""
    # an acronym's expansion in brackets adds length, not meaning
    title = re.sub(r"\s*\([^)]*\)", "", title).strip() or title.strip()
    if (not title or "," in title or " or " in title
            or (title.isupper() and " " not in title)  # "MD", "LCAT": no title to look for
            or len(title.split()) > 5 or _ARCHAIC.search(title)):
        return None
    return title


def distinct_titles(own: str, closest: Sequence[str], reported_shown: Sequence[str],
                    reported: Sequence[str], alternate: Sequence[str], n: int = 3
                    ) -> list[str]:
    """Up to ``n`` job titles people really hold: the one closest to the person's words, the
    occupation's own title, then its reported titles (those O*NET shows in My Next Move first)
    and alternate titles; near-duplicates and dated titles left out."""
    chosen: list[str] = []
    names = own_title_names(own)
    order = [*closest[:1], *names[:1], *reported_shown, *names[1:], *closest[1:], *reported,
             *alternate]
    for raw in order:
        title = _usable_title(raw)
        if title is None or title.casefold() == own.casefold():
            continue
        if any(_near_duplicate(title, c) for c in chosen):
            continue
        chosen.append(title)
        if len(chosen) == n:
            break
    return chosen


# Free versions of technology that job postings ask for, to practise on. A short, curated
# list: each entry is free to use for learning (documented in docs/steps.md).
_SHEET = frozenset(("analyse", "plan", "organise"))
_IMAGE = frozenset(("design", "create", "photograph", "promote"))
_CODE = frozenset(("code", "analyse", "experiment"))
_MODEL = frozenset(("design", "build"))
FREE_TOOLS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Microsoft Excel", "a free spreadsheet such as LibreOffice Calc or Google Sheets", _SHEET),
    ("Adobe Photoshop", "GIMP or Photopea (free)", _IMAGE),
    ("Adobe Illustrator", "Inkscape (free)", _IMAGE),
    ("Adobe InDesign", "Scribus (free)", _IMAGE | {"write"}),
    ("Adobe Premiere", "DaVinci Resolve's free version", frozenset(("film",))),
    ("Apple Final Cut Pro", "DaVinci Resolve's free version", frozenset(("film",))),
    ("Autodesk AutoCAD", "FreeCAD or LibreCAD (free)", _MODEL),
    ("AutoCAD", "FreeCAD or LibreCAD (free)", _MODEL),
    ("SolidWorks", "FreeCAD (free)", _MODEL),
    ("Autodesk Maya", "Blender (free)", _MODEL | {"film", "create"}),
    ("Autodesk 3ds Max", "Blender (free)", _MODEL | {"film", "create"}),
    ("Blender", "Blender (free)", _MODEL | {"film", "create"}),
    ("Python", "Python (free)", _CODE),
    ("R", "R and RStudio (free)", _CODE),
    ("Structured query language SQL", "SQLite (free)", _CODE),
    ("SQL", "SQLite (free)", _CODE),
    ("JavaScript", "JavaScript in any web browser (free)", frozenset(("code",))),
    ("Git", "Git and a free GitHub account", frozenset(("code",))),
    ("The MathWorks MATLAB", "GNU Octave (free)", _CODE),
    ("MATLAB", "GNU Octave (free)", _CODE),
    ("IBM SPSS Statistics", "PSPP or jamovi (free)", frozenset(("analyse", "experiment"))),
    ("SAS", "SAS OnDemand for Academics (free)", frozenset(("analyse", "experiment"))),
    ("Esri ArcGIS", "QGIS (free)", frozenset(("map", "analyse"))),
    ("ArcGIS", "QGIS (free)", frozenset(("map", "analyse"))),
    ("Tableau", "Tableau Public (free)", frozenset(("analyse",))),
    ("Microsoft Power BI", "Power BI Desktop (free)", frozenset(("analyse",))),
    ("Unity Technologies Unity", "Unity Personal (free)", frozenset(("code",))),
    ("Unity", "Unity Personal (free)", frozenset(("code",))),
    ("Salesforce", "Salesforce's free Trailhead courses", frozenset(("promote",))),
    ("Intuit QuickBooks", "GnuCash (free)", frozenset(("analyse",))),
    ("Figma", "Figma's free plan", frozenset(("design", "code"))),
    ("WordPress", "a free WordPress.com site", frozenset(("code", "write", "promote"))),
    ("Avid Pro Tools", "Audacity (free)", frozenset(("compose",))),
)


def free_tools(hot: Sequence[str]) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """Those of an occupation's hot or in-demand technologies that have a free version:
    (its name, the free version, the kinds of mini-project it serves)."""
    found = []
    for name in hot:
        for known, free, kinds in FREE_TOOLS:
            if name == known or (len(known) > 3 and name.startswith(known)):
                found.append((name, free, kinds))
                break
    return tuple(found)


# -- checks the rubric uses -------------------------------------------------------------------

_QUOTED = LazyPattern(r"\"([^\"]+)\"")
# Imperative verbs a step's action can start with, and phrases that name its result.
_ACTIONS = ("try", "sketch", "build", "write", "pick", "plan", "make", "cook", "practise",
            "follow", "take", "watch", "sit", "attend", "book", "volunteer", "find", "ask",
            "read", "look", "compare", "note", "list", "keep", "observe", "collect", "map",
            "design", "draw", "film", "record", "translate", "catalogue", "prepare", "go",
            "spend", "choose", "check", "bring", "start", "recreate", "use", "open", "search")
_RESULTS = ("something to show", "note", "list", "write down", "you will have", "to keep",
            "keep a", "end with", "ending with", "so you know", "so that you", "to show")


def quoted_passages(text: str) -> list[str]:
    """The passages a step quotes (between double quotes)."""
    return _QUOTED.findall(text)


def names_action_and_result(text: str) -> bool:
    """Whether a step tells the person to do something (a sentence or clause that starts with
    an imperative verb) and says what they end up with (a note, a list, something to show)."""
    lower = text.lower()
    starts = re.findall(r"(?:^|[.:;?!]\s+|\bthen\s+|\band\s+)(?:this week,\s+)?([a-z]+)",
                        lower)
    return any(w in _ACTIONS for w in starts) and any(r in lower for r in _RESULTS)


# -- the rules of one occupation --------------------------------------------------------------


@dataclass(frozen=True)
class OccupationRules:
    """What the step rules decide about one occupation."""

    restriction: str | None  # key of ROUTES, or None when the work can be tried
    family: str | None  # O*NET job family
    tasks: tuple[str, ...]  # triable core tasks, the most typical project first
    shares: tuple[int, ...]  # for each, how many core tasks share its topic project
    channel: str
    know_how: str | None  # the most distinctive skill or knowledge area (its catalog name)
    know_how_plain: str | None  # the same in plain words
    free_tools: tuple[tuple[str, str, frozenset[str]], ...]  # hot technology with a free
    #                                                           version (see FREE_TOOLS)
    top_values: tuple[tuple[str, float], ...]  # its O*NET work values (1-7), highest first
    reported_shown: tuple[str, ...]  # reported titles O*NET shows in My Next Move
    reported_other: tuple[str, ...]  # the other reported titles
    alternate: tuple[str, ...]  # alternate titles (the first 30)

    def free_tool(self, kind: str | None = None) -> tuple[str, str] | None:
        """(hot technology, its free version) for a kind of mini-project (any when None)."""
        for name, free, kinds in self.free_tools:
            if kind is None or kind in kinds:
                return name, free
        return None

    def titles(self, own: str, closest: Sequence[str] = ()) -> list[str]:
        """Up to three job titles to look for (see :func:`distinct_titles`)."""
        return distinct_titles(own, closest, self.reported_shown, self.reported_other,
                               self.alternate)

    def to_json(self) -> dict[str, object]:
        """The rules as JSON values (kept with the cached step facts); :meth:`from_json` reads
        them back equal."""
        return {"restriction": self.restriction, "family": self.family,
                "tasks": list(self.tasks), "shares": list(self.shares),
                "channel": self.channel, "know_how": self.know_how,
                "know_how_plain": self.know_how_plain,
                "free_tools": [[name, free, sorted(kinds)]
                               for name, free, kinds in self.free_tools],
                "top_values": [[name, score] for name, score in self.top_values],
                "reported_shown": list(self.reported_shown),
                "reported_other": list(self.reported_other), "alternate": list(self.alternate)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OccupationRules:
        return cls(
            restriction=data["restriction"], family=data["family"], tasks=tuple(data["tasks"]),
            shares=tuple(data["shares"]), channel=data["channel"], know_how=data["know_how"],
            know_how_plain=data["know_how_plain"],
            free_tools=tuple((name, free, frozenset(kinds))
                             for name, free, kinds in data["free_tools"]),
            top_values=tuple((name, score) for name, score in data["top_values"]),
            reported_shown=tuple(data["reported_shown"]),
            reported_other=tuple(data["reported_other"]), alternate=tuple(data["alternate"]))


def _number(value: object) -> float | None:
    """A float, or None for missing values (None, NaN, pandas NA)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


_WORK_VALUES = ("achievement", "working_conditions", "recognition", "relationships",
                "support", "independence")


class StepRules:
    """The step rules of each occupation of one catalog, computed when first asked for and
    kept (a few hundred bytes each). The step facts compile them for every occupation once per
    catalog (passionfinder/_steps.py), so a recommendation reads them from the cache."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._kept: dict[str, OccupationRules] = {}
        self._lock = threading.Lock()
        self._spread: dict[str, tuple[float, float]] | None = None
        self._columns: dict[str, dict[str, object]] | None = None

    def _element_spread(self) -> dict[str, tuple[float, float]]:
        """Mean and standard deviation of each skill's and knowledge area's importance over
        all occupations, to find what sets one occupation apart."""
        if self._spread is None:
            spread: dict[str, tuple[float, float]] = {}
            for table in (self.catalog.skills, self.catalog.knowledge):
                if table is None:
                    continue
                stats = table.groupby("name")["importance"].agg(["mean", "std"])
                for name, row in stats.iterrows():
                    spread[str(name)] = (float(row["mean"]), float(row["std"]) or 1.0)
            self._spread = spread
        return self._spread

    def _row(self, code: str) -> dict[str, object]:
        """The occupation's fields the rules read (columns read once, not a row lookup each)."""
        if self._columns is None:
            occ = self.catalog.occupations
            names = [c for c in ("job_family", "job_zone", "holland_code", *_WORK_VALUES)
                     if c in occ.columns]
            self._columns = {c: dict(zip(occ.index, occ[c].tolist(), strict=True))
                             for c in names}
        return {c: values.get(code) for c, values in self._columns.items()}

    def of(self, code: str) -> OccupationRules:
        kept = self._kept.get(code)
        if kept is None:
            kept = self._compute(code)
            with self._lock:
                self._kept[code] = kept
        return kept

    def _compute(self, code: str) -> OccupationRules:
        catalog = self.catalog
        row = self._row(code)
        family = row.get("job_family")
        family = family if isinstance(family, str) else None
        zone = row.get("job_zone")
        zone_number = _number(zone)
        zone = None if zone_number is None else int(zone_number)
        tasks = catalog._rows("tasks", code)
        core = [] if tasks is None else [str(t) for t, core in zip(
            tasks["task"], tasks["is_core"], strict=True) if core]
        allowed = [t for t in core if triable(t) and project_for(t) is not None]
        # plain first: a topic project and a short task statement read best
        # the project most of the work's tasks share first, then short statements
        holland = row.get("holland_code")
        holland = holland if isinstance(holland, str) else None
        share = {t: topic_share(t, core, holland) for t in allowed}
        allowed.sort(key=lambda t: (-share[t], len(_words(t)) > 20))
        know, plain = self._distinctive(code)
        tech = catalog._rows("technology_skills", code)
        hot = [] if tech is None else [str(e) for e, h, d in zip(
            tech["example"], tech["hot"], tech["in_demand"], strict=True) if h or d]
        values = []
        for name in _WORK_VALUES:
            v = _number(row.get(name))
            if v is not None:
                values.append((name.replace("_", " "), v))
        values.sort(key=lambda x: -x[1])
        reported = catalog._rows("reported_titles", code)
        shown: list[str] = []
        other: list[str] = []
        if reported is not None:
            for title, flag in zip(reported["title"], reported["shown_in_my_next_move"],
                                   strict=True):
                (shown if flag is True or str(flag).upper() in ("Y", "TRUE") else other
                 ).append(str(title))
        alternate = catalog._rows("alternate_titles", code)
        return OccupationRules(
            restriction=restriction(code, family, zone, core),
            family=family,
            tasks=tuple(allowed),
            shares=tuple(share[t] for t in allowed),
            channel=channel(code, family),
            know_how=know, know_how_plain=plain,
            free_tools=free_tools(hot),
            top_values=tuple(values),
            reported_shown=tuple(shown), reported_other=tuple(other),
            alternate=() if alternate is None else tuple(str(t) for t in
                                                         alternate["title"].head(30)))

    def _distinctive(self, code: str) -> tuple[str | None, str | None]:
        """The skill or knowledge area (importance at least 3 of 5) that is most above its
        average over all occupations, leaving out everyday ones; with its plain name."""
        spread = self._element_spread()
        best, best_z = None, -1e9
        family = self._row(code).get("job_family")  # missing (NA) in a catalog without families
        selling = isinstance(family, str) and family in (
            "Sales and Related", "Management", "Business and Financial Operations")
        # a central knowledge area (3.5 of 5) first, then any rated 3 or more, then a skill:
        # a knowledge area says more than a skill
        for table_name, least in (("knowledge", 3.5), ("knowledge", 3.0), ("skills", 3.0)):
            if best is not None:
                break
            rows = self.catalog._rows(table_name, code)
            if rows is None:
                continue
            for name, imp in zip(rows["name"], rows["importance"], strict=True):
                imp = _number(imp)
                if imp is None or imp < least or name in GENERIC_KNOW_HOW or (
                        name == "Sales and Marketing" and not selling) or name in _MACHINE_SKILLS:
                    continue
                mean, std = spread.get(str(name), (0.0, 1.0))
                # how far above the average occupation, and how important here
                z = 0.25 * (imp - mean) / std + (imp - 3.0)
                if z > best_z:
                    best, best_z = str(name), z
        if best is None:
            return None, None
        return best, PLAIN_KNOW_HOW.get(best, best[:1].lower() + best[1:]
                                        if not best.isupper() else best)


_NOT_ASKED = frozenset(("obtain", "attend", "assign", "participate", "stay", "keep",
                        "maintain", "complete", "comply", "follow", "wear", "travel", "order",
                        "collaborate", "communicate", "engage", "clean", "confer", "meet",
                        "update", "use", "return", "recruit", "hire", "record", "advertise"))


def quoted_task(task: str) -> str:
    """How a step quotes a task: whole when it is short (at most 14 words), else its plain
    core (short_task), so a quote never ends mid-phrase in a short statement."""
    text = task.strip().rstrip(".")
    if len(text.split()) <= 14:
        return text[:1].lower() + text[1:] if text[1:2].islower() else text
    return short_task(task)


@functools.lru_cache(maxsize=1 << 16)
def askable(task: str) -> bool:
    """Whether a task makes a good question to a practitioner ("How much of your week goes
    to ...?"): it says what the work is, not upkeep or attendance, and its plain core has at
    least three words."""
    words = _words(task)
    core = short_task(task).split()
    if core and core[-1].lower() in _BEFORE_TO | {"prior", "on", "for", "of", "with"}:
        return False  # a dangling cut ("inspect trucks prior")
    # quoted whole, so at most 14 words: a cut long statement ends mid-phrase ("or confer")
    return bool(words) and words[0] not in _NOT_ASKED and not _VAGUE.search(task.lower()) \
        and 4 <= len(task.split()) <= 14
