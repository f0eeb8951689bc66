"""Write data/sample_survey.csv: a synthetic survey of 360 people, messy the way real answers are.

Every answer is composed from the phrases below by a seeded random generator, so the file is
the same byte for byte on every run (tests/test_sample_survey.py checks this). The texts are
written for this project; none is taken from O*NET. docs/data.md ("The sample survey") says
what is deliberately messy.

    python scripts/make_sample_survey.py                 # rewrite data/sample_survey.csv
    python scripts/make_sample_survey.py --out other.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

SEED = 20_260_301
N_RESPONSES = 360
COLUMNS = ("respondent_id", "age", "background", "interests", "strengths", "values")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "sample_survey.csv"

#: Rows built to be unusable as a profile: no interests, strengths or values at all (blank or
#: white space only), and value lists that only misspell vocabulary names, which
#: passionfinder.Profile rejects with UnknownValueError.
EMPTY_ANSWERS = (
    ("", "", ""),
    ("   ", "", " "),
    ("", "\t", ""),
    (" ", "  ", "   "),
)
MISSPELLED_VALUES = ("creativty", "indepedence, good pay", "job securty; helping others",
                     "helping otters", "finacial security")

#: Value answers made only of names the value vocabulary does not know (they are kept as free
#: text and mapped by similarity).
UNKNOWN_VALUE_NAMES = ("spirituality; travel", "faith, family, fun", "sustainability",
                       "loyalty and honesty", "travel", "purpose, adventure, faith",
                       "fame", "health insurance, pension")


@dataclass(frozen=True)
class Archetype:
    """A kind of respondent: where they come from and how they tend to answer."""

    backgrounds: tuple[str, ...]
    ages: tuple[int, int]
    interests: tuple[str, ...]      # read after "I love" / "I'm into"
    terse: tuple[str, ...]          # one- or two-word answers
    traits: tuple[str, ...]         # read after "I'm"
    skills: tuple[str, ...]         # read after "I'm" too ("good with my hands")
    values: tuple[str, ...]         # vocabulary names and aliases this kind of person picks
    value_texts: tuple[str, ...]    # free-text values
    stories: tuple[str, ...]        # whole sentences for longer answers
    emoji: tuple[str, ...]


A = Archetype
ARCHETYPES: dict[str, Archetype] = {
    "auto": A(
        ("auto mechanic", "apprentice mechanic at a dealership", "quick lube tech",
         "diesel mechanic", "car detailer", "tire shop", "body shop painter"),
        (17, 58),
        ("fixing cars", "rebuilding old engines", "working on my truck", "motorcycles",
         "figuring out why an engine makes a weird noise", "restoring old pickups",
         "car restoration videos", "go-karts", "drag racing on weekends",
         "taking things apart to see how they work", "custom paint jobs"),
        ("cars", "engines", "motorcycles", "trucks", "anything with a motor"),
        ("patient", "stubborn in a good way", "reliable", "calm", "a hard worker"),
        ("good with my hands", "good at troubleshooting", "handy with tools",
         "good at diagnosing problems by ear", "strong"),
        ("good pay", "independence", "job security", "being my own boss", "money", "variety"),
        ("I want to own my own shop someday", "steady paycheck and not sitting at a desk all day",
         "I want to be good at something people actually need"),
        ("I've been turning wrenches since I was fourteen.",
         "My uncle had a garage and I basically grew up in it.",
         "I rebuilt the carburetor on my first car with a library book and a lot of swearing.",
         "The flat rate pay at the dealership is killing me, some weeks are great and some are awful.",
         "I like the moment when you finally find the problem and it all makes sense.",
         "Electric cars scare me a little because I don't know them yet."),
        ("🚗", "🔧", "🏍️", "🛻")),
    "trades": A(
        ("electrician's helper", "construction laborer", "carpenter", "plumbing apprentice",
         "HVAC installer", "roofer", "drywall and painting, self employed", "welder",
         "union ironworker"),
        (18, 62),
        ("building things", "woodworking", "wiring my garage", "framing houses",
         "welding art out of scrap metal", "seeing a project go from nothing to finished",
         "home renovation shows", "tiny houses", "working outside", "reading blueprints",
         "solar panels"),
        ("building stuff", "welding", "construction", "woodworking", "electrical"),
        ("hardworking", "careful", "safety-minded", "reliable", "physically fit", "a quick learner"),
        ("good with my hands", "good at math in my head", "good at reading plans",
         "handy with power tools", "good at figuring out the order to do things"),
        ("good pay", "job security", "independence", "teamwork", "stability", "financial security"),
        ("I want a trade nobody can outsource", "benefits and a pension, my back won't last forever",
         "I'd like to run my own crew one day", "being able to point at a building and say I did that"),
        ("I started as a laborer carrying drywall and worked my way up.",
         "My knees are not what they used to be so I'm thinking about what comes next.",
         "I like that at the end of the day you can see what you did.",
         "Winter is slow and the money gets tight every January.",
         "I did two years of community college before I figured out school wasn't for me.",
         "My foreman says I should go for my journeyman card."),
        ("🔨", "⚡", "🏗️", "🪚")),
    "health": A(
        ("nursing student", "CNA at a nursing home", "EMT", "pharmacy tech", "dental assistant",
         "medical receptionist", "home health aide", "LPN", "phlebotomist", "ER nurse, 12 years"),
        (19, 60),
        ("taking care of people", "anatomy", "helping patients feel less scared",
         "emergency medicine", "working with the elderly", "first aid", "fitness and nutrition",
         "medical dramas", "volunteering at the hospital", "how the body works", "mental health"),
        ("helping people", "medicine", "nursing", "health", "biology"),
        ("compassionate", "calm under pressure", "detail-oriented", "patient", "empathetic",
         "organized", "good in a crisis"),
        ("good at listening", "good with difficult patients", "good at staying on my feet for 12 hours",
         "fast at charting", "not squeamish"),
        ("helping others", "making a difference", "job security", "work-life balance",
         "relationships", "financial security", "caring for others"),
        ("I want to help people and still be able to pay off my loans",
         "a job that matters, and fewer night shifts", "making a difference without burning out",
         "respect, decent money, and a manager who has my back"),
        ("I worked through covid on a med-surg floor and I'm still recovering from it honestly.",
         "My grandmother was sick for a long time and I was the one taking care of her.",
         "I love my patients but the short staffing is brutal.",
         "I'm thinking about going back to school for my RN, or maybe something less physical.",
         "The best part of my day is when someone who was scared leaves feeling okay.",
         "Blood doesn't bother me at all, paperwork does."),
        ("❤️", "🩺", "💉", "🏥")),
    "tech": A(
        ("software developer", "IT help desk", "data analyst", "computer science student",
         "QA tester", "network admin", "self-taught web developer", "bootcamp grad, unemployed"),
        (18, 55),
        ("coding", "building websites", "video games", "machine learning",
         "automating boring stuff with scripts", "cybersecurity", "building my own PC",
         "open source projects", "puzzles and logic games", "data visualization",
         "home networking", "making small games in my spare time"),
        ("computers", "coding", "gaming", "tech", "python"),
        ("logical", "curious", "a fast learner", "detail-oriented", "persistent", "introverted"),
        ("good at math", "good at debugging", "good at explaining tech to non-tech people",
         "good at googling things", "quick with numbers"),
        ("good pay", "innovation", "work-life balance", "independence", "learning",
         "flexibility", "high salary", "new challenges"),
        ("remote work and not having to commute", "I want to build stuff that people actually use",
         "high salary but also not 60 hour weeks", "keep learning, hate being bored"),
        ("I taught myself Python during the pandemic and now I can't stop.",
         "Honestly the job market has been rough, I've sent out like two hundred applications.",
         "I like the feeling of a hard bug finally giving up.",
         "I don't love meetings, I'd rather just be left alone to build things.",
         "I fix everyone's wifi at family gatherings.",
         "I'm not sure I want to stare at a screen for forty more years though."),
        ("💻", "🎮", "🤖", "🖥️")),
    "arts": A(
        ("freelance illustrator", "art student", "wedding photographer", "musician, plays in bars",
         "graphic designer at a print shop", "tattoo apprentice", "theater tech",
         "writer / barista"),
        (17, 66),
        ("drawing", "painting", "photography", "writing songs", "making comics", "pottery",
         "graphic design", "film", "theater", "sewing my own clothes", "poetry",
         "making short videos for social media", "interior design"),
        ("art", "drawing", "music", "photography", "design"),
        ("creative", "imaginative", "sensitive", "self-motivated", "observant", "expressive"),
        ("good at drawing", "good with color", "good at telling stories",
         "good at noticing details other people miss", "musical"),
        ("creativity", "independence", "self-expression", "variety", "recognition",
         "work-life balance", "creative expression"),
        ("I want to make things that mean something to people",
         "freedom to create without someone breathing down my neck",
         "I'd like to make a living from my art without selling my soul",
         "enough money to not starve, honestly"),
        ("I've been drawing since before I could write.",
         "Everyone says art doesn't pay and they might be right, but I can't imagine stopping.",
         "I sell prints online and at fairs, it's something but it's not rent.",
         "I get bored fast in jobs that are the same every day.",
         "I did a semester of graphic design and loved the software side too.",
         "My parents want me to get a real job."),
        ("🎨", "🎸", "📷", "✏️", "🎭")),
    "education": A(
        ("middle school teacher", "teaching assistant", "preschool teacher", "substitute teacher",
         "tutor", "school librarian", "daycare worker", "high school coach"),
        (21, 64),
        ("teaching", "working with kids", "reading", "history", "coaching soccer",
         "explaining things", "planning lessons", "science experiments with my students",
         "children's books", "languages", "board games"),
        ("kids", "teaching", "books", "history", "coaching"),
        ("patient", "organized", "encouraging", "creative", "a good communicator", "energetic"),
        ("good at explaining things", "good at public speaking", "good with kids",
         "good at keeping a room under control", "good at planning"),
        ("helping others", "work-life balance", "relationships", "making a difference",
         "job security", "achievement"),
        ("I want to make a difference but I also need to pay rent",
         "summers off are nice but I need more money",
         "a job where I'm not exhausted every single night"),
        ("I've been teaching seventh grade for nine years.",
         "The kids are the best part and the paperwork is the worst part.",
         "I love the moment a kid finally gets it.",
         "I'm burned out and thinking about leaving education, but I don't know what else I'd do.",
         "I run the chess club after school for free.",
         "A lot of my friends left teaching for corporate training jobs."),
        ("📚", "🍎", "✏️")),
    "farm": A(
        ("dairy farmer", "ranch hand", "greenhouse worker", "landscaper", "orchard picker",
         "grew up on a farm", "groundskeeper at a golf course", "forestry student"),
        (16, 74),
        ("gardening", "raising animals", "being outdoors", "hunting and fishing", "tractors",
         "growing vegetables", "horses", "beekeeping", "hiking", "plants", "soil and composting",
         "birdwatching"),
        ("outdoors", "animals", "farming", "plants", "horses"),
        ("hardworking", "an early riser", "tough", "independent", "patient", "dependable"),
        ("good with animals", "good with machinery", "good at fixing fences and anything else",
         "strong", "good at reading the weather"),
        ("independence", "job security", "work-life balance", "being outdoors", "family time",
         "stability"),
        ("I want to work outside, not under fluorescent lights",
         "being able to provide for my family", "I want to keep the family farm going"),
        ("Milk prices have been terrible and we sold half the herd last year.",
         "I've been up at 4am every day of my life.",
         "I can fix almost anything with baling wire and patience.",
         "My kids don't want to farm and I don't blame them.",
         "I'd love a job that still lets me be outside most of the day.",
         "I took a soil science class at the extension office and loved it."),
        ("🌱", "🐄", "🚜", "🌻")),
    "office": A(
        ("administrative assistant", "bookkeeper", "receptionist", "HR coordinator",
         "insurance claims processor", "bank teller", "office manager", "data entry clerk",
         "paralegal"),
        (20, 63),
        ("organizing things", "spreadsheets", "planning events", "true crime podcasts",
         "keeping track of numbers", "reading mystery novels", "making systems work better",
         "scrapbooking", "budgeting", "helping coworkers figure out software"),
        ("organizing", "excel", "numbers", "planning"),
        ("organized", "detail-oriented", "reliable", "discreet", "punctual", "efficient"),
        ("good with numbers", "good at multitasking", "fast at typing",
         "good at Excel", "good on the phone"),
        ("job security", "work-life balance", "good pay", "supportive management", "stability",
         "recognition", "working conditions"),
        ("stable hours, good benefits, and a boss who says thank you",
         "I want to finally be paid what I'm worth",
         "a calm office and a short commute"),
        ("I've done basically every office job there is.",
         "I'm the person everyone asks when the printer breaks.",
         "I got passed over for a promotion twice and it still stings.",
         "I like when everything is in order and filed where it should be.",
         "I started taking an accounting class online at night.",
         "My job might get automated away soon, at least that's what everyone says."),
        ("📎", "📊", "☕")),
    "retail": A(
        ("cashier", "barista", "retail store manager", "line cook", "server at a diner",
         "shift lead at a fast food place", "grocery stocker", "hotel front desk", "bartender"),
        (16, 60),
        ("cooking", "baking", "talking to people", "fashion", "coffee", "helping customers find stuff",
         "planning parties", "makeup", "sneakers", "trying new restaurants", "decorating"),
        ("cooking", "people", "fashion", "food", "coffee"),
        ("friendly", "fast", "outgoing", "good under pressure", "dependable", "funny"),
        ("good with customers", "good at handling rushes", "good at cash handling",
         "good at calming down angry people", "good at training new people"),
        ("good pay", "work-life balance", "relationships", "variety", "job security",
         "recognition", "friendly coworkers"),
        ("I want a schedule I know more than a week ahead",
         "just want to pay my bills and have weekends off for once",
         "a place where I'm not yelled at by customers all day",
         "moving up instead of being stuck at the register forever"),
        ("I've worked retail since I was sixteen and I'm good at it but it's going nowhere.",
         "Holiday season is chaos but I kind of love the rush.",
         "My manager says I'm the best trainer in the store.",
         "I cook for my whole family on Sundays.",
         "I'd love to run my own little bakery some day.",
         "I can't afford to go back to school full time."),
        ("☕", "🍳", "🛒", "😅")),
    "military": A(
        ("army veteran", "navy veteran, 8 years", "marine corps infantry, got out last year",
         "air force avionics tech", "national guard", "military spouse", "coast guard, retired"),
        (20, 62),
        ("leading a team", "logistics", "working on aircraft", "shooting sports",
         "physical training", "radios and communications", "helping other veterans",
         "security", "mission planning", "the outdoors"),
        ("leadership", "security", "logistics", "aviation", "fitness"),
        ("disciplined", "calm under pressure", "a natural leader", "adaptable", "loyal",
         "mission-focused"),
        ("good at leading people", "good at following procedures", "good at planning logistics",
         "good in stressful situations", "trained in first aid"),
        ("leadership", "job security", "helping others", "financial security", "teamwork",
         "recognition", "achievement"),
        ("a mission I believe in and a team I trust",
         "I want to use my GI Bill on something that leads to a real career",
         "stability for my family after all the moves"),
        ("I did two deployments and ran a motor pool for three years.",
         "Translating my military experience into civilian words is the hardest part.",
         "I miss the structure honestly.",
         "I was an avionics tech, so I know electronics but not the civilian certifications.",
         "I want to keep serving people somehow.",
         "Sitting in a cubicle all day sounds like a nightmare."),
        ("🇺🇸", "💪", "🎖️")),
    "student": A(
        ("high school senior", "college sophomore, biology", "community college student",
         "undeclared freshman", "grad student, chemistry", "GED student", "gap year",
         "psychology major"),
        (15, 29),
        ("science", "video games", "anime", "biology", "psychology", "music", "sports",
         "social media", "chemistry", "space and astronomy", "marine life", "debate",
         "making tiktoks", "volunteering at the animal shelter"),
        ("idk", "games", "science", "sports", "music", "animals"),
        ("curious", "creative", "a fast learner", "social", "shy but determined", "motivated"),
        ("good at school", "good at math", "good at writing essays", "good at sports",
         "good with little kids", "good at making friends"),
        ("good pay", "helping others", "creativity", "variety", "work-life balance",
         "making a difference", "learning", "achievement"),
        ("I want to actually like my job, unlike my parents",
         "money but also something meaningful?",
         "not being bored and not being broke",
         "I want to make my family proud"),
        ("My parents want me to be a doctor but I don't know if that's me.",
         "I took a forensics class and it was the only class I never skipped.",
         "I have no idea what I want to do and everyone else seems to know.",
         "I like science but I hate the idea of being stuck in a lab.",
         "I'm the first one in my family to go to college.",
         "I work part time at a grocery store to pay for school."),
        ("😅", "🤷", "✨", "🎮", "🧬")),
    "retired": A(
        ("retired machinist", "retired teacher", "retired postal worker", "retired accountant",
         "retired nurse", "retired police officer", "semi-retired engineer"),
        (60, 81),
        ("woodworking", "volunteering at the library", "gardening", "teaching my grandkids chess",
         "local history", "fishing", "model trains", "church committees", "tutoring kids in math",
         "fixing things for the neighbors", "genealogy"),
        ("gardening", "fishing", "woodworking", "volunteering"),
        ("patient", "experienced", "dependable", "good-humored", "methodical"),
        ("good with tools", "good at teaching", "good with numbers", "good at explaining",
         "good at fixing anything mechanical"),
        ("work-life balance", "helping others", "relationships", "variety", "giving back",
         "independence"),
        ("something to get me out of the house a few days a week",
         "I don't need much money, I need a reason to get up",
         "giving back to my community"),
        ("I ran a lathe for 31 years and I miss making parts to a thousandth.",
         "Retirement is boring, my wife wants me out of the house.",
         "I'm healthy and I want to be useful.",
         "I don't want to be anyone's boss anymore.",
         "Part time would be perfect, maybe twenty hours.",
         "I'm not great with computers but I can learn."),
        ("🎣", "🌻", "👴")),
    "changer": A(
        ("former accountant, looking for a change", "ex-banker", "laid off from the plant last year",
         "stay-at-home mom going back to work", "former lawyer", "ex-sales rep",
         "career changer (insurance -> ?)", "former social worker", "ex-call center supervisor"),
        (27, 58),
        ("working with my hands", "cooking", "counseling people", "nature", "building furniture",
         "fitness", "teaching adults", "real estate", "photography", "helping small businesses",
         "mental health", "animals"),
        ("something new", "people", "cooking", "fitness"),
        ("organized", "resilient", "persuasive", "analytical", "empathetic", "adaptable"),
        ("good with numbers", "good at negotiating", "good at managing people",
         "good at writing", "good at solving problems"),
        ("work-life balance", "helping others", "creativity", "independence", "variety",
         "financial security", "making a difference"),
        ("I want stability and to never worry about rent",
         "I want to be proud of what I do, not just paid for it",
         "I made good money and hated every day, so meaning matters more now",
         "time with my kids, and a paycheck that covers daycare"),
        ("I spent fifteen years in a job that looked great on paper and made me miserable.",
         "When the plant closed, a lot of us had to figure out what's next.",
         "I took a year off to raise my kids and now my resume has a hole in it.",
         "I'm willing to go back to school if it's short and I can do it at night.",
         "I've always wanted to try something more hands-on.",
         "I'm scared of starting over at my age but I'm more scared of staying."),
        ("🤔", "🙏", "💼")),
    "logistics": A(
        ("truck driver", "warehouse associate", "delivery driver", "forklift operator",
         "bus driver", "dispatcher", "amazon picker"),
        (20, 64),
        ("driving", "road trips", "maps", "keeping things moving", "heavy equipment",
         "audiobooks on long hauls", "organizing the warehouse", "trucks", "routing"),
        ("driving", "trucks", "forklifts", "road trips"),
        ("reliable", "independent", "patient", "safety-minded", "steady"),
        ("good at driving", "good at staying focused for hours", "good at planning routes",
         "good at loading a truck so nothing shifts", "licensed for a forklift"),
        ("independence", "good pay", "job security", "family time", "work-life balance",
         "financial security"),
        ("home every night instead of weeks on the road",
         "good money without a boss watching over my shoulder",
         "steady work and my knees intact"),
        ("I drove over the road for six years and I'm done with being away from home.",
         "The warehouse pays okay but the quotas are insane.",
         "I like being alone in the cab, nobody bothering me.",
         "My back is shot from lifting boxes.",
         "I'm thinking about dispatching or something where I still deal with the trucks.",
         "I've got my CDL class A."),
        ("🚚", "🛣️", "📦")),
    "science": A(
        ("lab technician", "biology grad", "environmental science student", "research assistant",
         "water treatment operator", "chemistry teacher"),
        (19, 60),
        ("biology", "chemistry", "ecology", "microscopes", "doing experiments", "climate change",
         "wildlife", "genetics", "astronomy", "collecting data in the field", "rocks and minerals"),
        ("science", "biology", "chemistry", "nature"),
        ("curious", "careful", "analytical", "patient", "methodical", "skeptical"),
        ("good at math", "good at statistics", "good in a lab", "good at writing reports",
         "good at noticing patterns"),
        ("innovation", "research", "helping others", "discovery", "achievement", "independence",
         "job security"),
        ("I want to work on something that helps the planet",
         "discovering things nobody knew before",
         "a job that uses my brain, with a decent salary"),
        ("I spent two summers doing fieldwork counting salamanders and loved every minute.",
         "Pipetting all day in a lab gets old fast.",
         "I'm not sure I want a PhD, it feels like a lot of years.",
         "I like being outside and I like data, and I want both.",
         "I worked at a water plant and found the chemistry fascinating.",
         "Grant funding makes research jobs feel really unstable."),
        ("🔬", "🧪", "🌍", "🦎")),
    "care": A(
        ("social worker", "youth counselor", "case manager", "peer support specialist",
         "church volunteer coordinator", "caregiver for my mother", "group home staff"),
        (22, 66),
        ("helping people", "listening to people", "mental health", "community organizing",
         "working with teenagers", "addiction recovery", "psychology", "advocacy",
         "running support groups", "volunteering at the food bank"),
        ("helping people", "counseling", "community", "kids"),
        ("empathetic", "patient", "a good listener", "non-judgmental", "resilient", "warm"),
        ("good at de-escalating", "good at listening", "good at finding resources",
         "good with teenagers", "good with paperwork even though I hate it"),
        ("helping others", "making a difference", "work-life balance", "relationships",
         "social impact", "financial security"),
        ("I want to help people without burning out again",
         "making a difference, and making enough to not need help myself",
         "a supervisor who gets it"),
        ("I've been a case manager for six years and my caseload is way too big.",
         "I got into this because someone helped me when I was a teenager.",
         "The pay in social services is honestly insulting.",
         "I'm good in a crisis but I carry it home with me.",
         "I think I'd like counseling, but more school is expensive.",
         "My mom had dementia and I took care of her for three years."),
        ("💛", "🤝", "🙏")),
    "animals": A(
        ("vet tech", "dog groomer", "kennel worker", "zoo volunteer", "animal shelter staff",
         "dog walker"),
        (16, 55),
        ("animals", "dogs", "horses", "wildlife rehab", "training my dog", "marine biology",
         "reptiles", "cats", "birds", "animal behavior"),
        ("animals", "dogs", "cats", "horses"),
        ("gentle", "patient", "calm", "compassionate", "hardworking"),
        ("good with animals", "good at calming scared dogs", "not afraid of getting dirty",
         "good at grooming", "good with anxious pet owners"),
        ("helping others", "work-life balance", "job security", "variety", "independence"),
        ("I want to work with animals and still afford my own place",
         "doing something kind every day",
         "I don't care about being rich, I care about animals"),
        ("I've had dogs my whole life and I foster for a rescue.",
         "Vet school is way too expensive for me.",
         "I can get any dog to trust me, my friends call me the dog whisperer.",
         "Watching animals suffer is the hard part, but helping them is worth it.",
         "I've thought about dog training as a business."),
        ("🐶", "🐱", "🐴", "🐾")),
    "business": A(
        ("sales associate", "real estate agent", "small business owner", "marketing intern",
         "financial advisor trainee", "insurance agent", "restaurant owner", "MBA student"),
        (19, 64),
        ("sales", "investing", "marketing", "starting businesses", "negotiating",
         "reading about entrepreneurs", "stock market", "networking events", "social media marketing",
         "real estate"),
        ("money", "business", "sales", "investing", "crypto"),
        ("persuasive", "ambitious", "competitive", "outgoing", "confident", "driven"),
        ("good at talking to strangers", "good at closing deals", "good with numbers",
         "good at managing people", "good at presentations"),
        ("good pay", "leadership", "recognition", "independence", "high salary", "achievement",
         "prestige", "being in charge"),
        ("I want to be rich, honestly", "building something of my own",
         "uncapped commission and nobody telling me how to spend my day"),
        ("I had a lemonade stand and then a sneaker reselling thing and now I run a small shop.",
         "Commission only is stressful but I like that the effort pays off directly.",
         "I read a business book every week.",
         "My first business failed and I learned more from that than from school.",
         "I like being in charge but I'm still learning how to be a good boss.",
         "I'm good at sales but I'm tired of selling things I don't believe in."),
        ("💰", "📈", "🤑", "💼")),
}

GENERIC_TRAITS = ("hardworking", "reliable", "honest", "a fast learner", "friendly", "organized",
                  "curious", "patient", "creative", "punctual", "easy to get along with")
GENERIC_VALUES = ("good pay", "job security", "work-life balance", "helping others",
                  "financial security", "independence", "variety", "stability", "money",
                  "flexibility", "teamwork", "balance")
GENERIC_VALUE_TEXTS = (
    "I want stability and to never worry about rent",
    "honestly just want to pay my bills and have weekends off",
    "being able to go to my kids' games",
    "a job that matters",
    "respect, decent money, and a boss who isn't a jerk",
    "I'd like to keep learning new things",
    "freedom to set my own hours",
    "making a difference in my community",
    "not doing the same thing every single day",
    "good benefits, health insurance mostly",
    "I want to be proud of what I do",
    "enough money to help my parents",
    "not too much stress, I had enough of that",
    "somewhere I'm treated like a person and not a number",
)
RAMBLE_OPENERS = (
    "Honestly I'm not sure what I'm supposed to write here, so I'll just say everything.",
    "My counselor said to be as specific as possible, so here goes.",
    "Okay, this is going to be long, sorry in advance.",
    "I've changed my mind about this a lot over the years.",
    "Where do I even start.",
    "I'll try to explain where I'm at right now.",
)
RAMBLE_FILLERS = (
    "When I was a kid I wanted to be an astronaut, which is funny now.",
    "Money has been tight for a while, so that's on my mind too.",
    "I don't mind hard work, I just want it to lead somewhere.",
    "People always tell me I should do something with my talents, whatever that means.",
    "I've taken a couple of those online career quizzes and they all said different things.",
    "My friends seem to have it figured out and I'm still guessing.",
    "I'm not against going back to school, but I can't stop working to do it.",
    "I get energy from doing things, not from sitting in meetings talking about doing things.",
    "At the end of the day I want to come home tired in a good way.",
    "My family depends on me, so whatever I pick has to be realistic.",
    "I know I'm rambling, but I think all of this matters.",
    "I've had jobs I liked and jobs I hated and the difference was mostly the people.",
    "I'd rather earn a bit less and actually enjoy my days.",
    "Sometimes I think I'm too old to change and sometimes I think it's now or never.",
    "Anyway, that's me in a nutshell, more or less.",
    "I also volunteer a few hours a month when I can.",
    "I'm a morning person, which helps with some jobs and not others.",
    "I've never been great at tests but I learn fast when I'm actually doing the thing.",
    "The commute at my last job was over an hour each way and I never want that again.",
    "I'm pretty good at reading people, which surprised me.",
    "My best friend says I light up when I talk about this stuff.",
    "I don't need to be famous or anything, I just want to be good at something.",
    "I tried an online course once and finished it, which for me is a big deal.",
    "I have a lot of energy but not a lot of direction, if that makes sense.",
    "I'm okay with some routine as long as it's not the exact same thing all day.",
    "My dad worked the same job for thirty years and I respect that, but I don't think it's me.",
)
INTEREST_SHAPES = (
    "I love {a}.", "I really enjoy {a} and {b}.", "{A}, {b}, {c}.", "Lately I've been getting into {a}.",
    "{A} mostly. Also {b} when I have time.", "I'm into {a}, {b} and sometimes {c}.",
    "Anything to do with {a}.", "Big fan of {a}!", "In my free time: {a}, {b}.",
    "I've always liked {a}. I also enjoy {b}.", "{A} and {b}", "{a}",
    "I could spend all day on {a}.", "Not sure... {a}? and {b} I guess",
)
STRENGTH_SHAPES = (
    "{t1}, {t2}, {s1}", "I'm {t1} and {s1}.", "People say I'm {t1}. I'm also {s1}.",
    "{t1}; {s1}; {t2}", "- {t1}\n- {s1}\n- {t2}", "{t1}", "my boss would say {t1} and {t2}",
    "{s1}, {s2}", "I'm {s1}, {t1}, and {t2}.", "{T1}. {S1}.", "{t1}, {s1}, {s2}, {t2}",
)
VALUE_SEPARATORS = (", ", "; ", " and ", ", and ", "\n", " & ")
SLANG_OPENERS = ("ngl ", "tbh ", "lowkey ", "honestly ", "idk ", "bro ", "")
SLANG_CLOSERS = (" lol", " fr", " i guess", " tho", " haha", " 😂", " lmao", "")
SLANG_SWAPS = (("because", "cuz"), ("going to", "gonna"), ("want to", "wanna"), ("really", "rly"),
               ("you", "u"), ("and", "n"), ("kind of", "kinda"), ("something", "smth"))
#: misspellings people really make; applied in the "typo" style
MISSPELLINGS = (("a lot", "alot"), ("definitely", "definately"), ("because", "becuase"),
                ("really", "realy"), ("weird", "wierd"), ("until", "untill"),
                ("organized", "orginized"), ("environment", "enviroment"),
                ("mechanic", "mechanick"), ("patient", "pateint"), ("enjoy", "enjoi"),
                ("anything", "anythin"), ("something", "somthing"), ("building", "bulding"),
                ("people", "poeple"), ("responsible", "responsable"), ("cooking", "cookin"))

#: Answers in other languages, written whole: (background, age range, interests, strengths, values)
FOREIGN = (
    ("estudiante de enfermería", (19, 25),
     "Me encanta ayudar a las personas y aprender sobre el cuerpo humano. Trabajo los fines de "
     "semana en una farmacia.", "paciente, trabajadora, buena con la gente",
     "estabilidad económica y ayudar a los demás"),
    ("albañil", (30, 52), "la construcción, trabajar al aire libre, arreglar cosas en casa",
     "fuerte, responsable, aprendo rápido", "un buen sueldo y pasar tiempo con mi familia"),
    ("cocinera en un restaurante", (24, 45),
     "cocinar para mi familia y probar recetas nuevas, también el jardín",
     "soy muy organizada y rápida en la cocina", "quiero tener mi propio negocio algún día"),
    ("étudiant en informatique", (18, 24),
     "J'adore la programmation et les jeux vidéo, je passe mes soirées à coder des petits projets.",
     "rigoureux, curieux, autonome", "la sécurité de l'emploi et un bon salaire"),
    ("ancienne secrétaire", (45, 60), "la pâtisserie, la lecture, recevoir des amis",
     "organisée, discrète, à l'écoute", "avoir du temps libre et aider les autres"),
    ("boulanger", (28, 50), "Le pain, évidemment. Et le vélo le dimanche.",
     "matinal, précis, endurant", "être mon propre patron"),
    ("Elektriker", (22, 50), "Ich schraube gern an Motorrädern und bin viel in der Natur unterwegs.",
     "zuverlässig, geduldig, handwerklich begabt", "Sicherheit, gutes Gehalt, nette Kollegen"),
    ("Pflegekraft im Altenheim", (25, 58), "Menschen helfen, Gesundheit, Sport",
     "ich kann gut zuhören und bleibe ruhig", "Abwechslung und mehr Freizeit"),
    ("大学生（会计专业）", (19, 23), "我喜欢画画和摄影，周末经常去公园拍照。", "细心，有耐心，数学好",
     "稳定的工作，收入高"),
    ("餐馆服务员", (20, 40), "做饭，照顾家人，看电影", "沟通能力强，做事快", "帮助别人，有意义的工作"),
    ("طالب هندسة", (19, 26), "أحب إصلاح السيارات والعمل بيدي", "صبور، منظم، أعمل بجد",
     "الاستقرار المادي ومساعدة الآخرين"),
    ("ممرضة سابقة", (35, 55), "مساعدة المرضى والعناية بالناس، والقراءة", "أجيد التواصل مع الناس",
     "وقت مع عائلتي"),
    ("cashier, bilingual", (18, 30), "me gusta cooking and baking, also soccer",
     "hablo inglés y español, friendly", "good pay y tiempo con mi familia"),
)

#: kinds of people whose background may carry "N years" or "(part time)"
WORKING = tuple(ARCHETYPES[k] for k in ARCHETYPES if k not in ("student", "retired", "changer"))
PART_TIME = tuple(ARCHETYPES[k] for k in ("retail", "office", "logistics", "animals", "care",
                                         "health"))

NOT_A_JOB = re.compile(r",|\d|student|intern|retired|former|ex-|unemployed|grad|gap|grew up|"
                       r"caregiver|spouse|volunteer")

STYLES = ("plain", "plain", "plain", "terse", "chatty", "lowercase", "lowercase", "slang",
          "typo", "typo", "formal", "emoji")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _picks(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


def _fill(shape: str, **slots: str) -> str:
    for key, value in list(slots.items()):
        slots[key.upper()] = _cap(value)
    return shape.format(**slots)


def _lowercase(text: str) -> str:
    return re.sub(r"[.!?;:]+", "", text.lower()).strip()


def _slang(rng: random.Random, text: str) -> str:
    text = text.lower()
    for old, new in SLANG_SWAPS:
        if rng.random() < 0.6:
            text = re.sub(rf"\b{old}\b", new, text)
    return (rng.choice(SLANG_OPENERS) + text.rstrip(".") + rng.choice(SLANG_CLOSERS)).strip()


def _typos(rng: random.Random, text: str) -> str:
    for right, wrong in MISSPELLINGS:
        if re.search(rf"\b{right}\b", text) and rng.random() < 0.8:
            text = re.sub(rf"\b{right}\b", wrong, text, count=1)

    def slip(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 5 or rng.random() > 0.12:
            return word
        i = rng.randrange(1, len(word) - 2)
        kind = rng.randrange(3)
        if kind == 0:  # swapped letters
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if kind == 1:  # dropped letter
            return word[:i] + word[i + 1:]
        return word[:i] + word[i] + word[i:]  # doubled letter

    return re.sub(r"[A-Za-z]+", slip, text)


def _styled(rng: random.Random, text: str, style: str, emoji: tuple[str, ...]) -> str:
    if style == "lowercase":
        return _lowercase(text)
    if style == "slang":
        return _slang(rng, text)
    if style == "typo":
        return _typos(rng, text)
    if style == "emoji":
        return f"{text} {''.join(_picks(rng, emoji, rng.randint(1, 2)))}"
    return text


def _interests(rng: random.Random, kind: Archetype, style: str) -> str:
    if style == "terse":
        return rng.choice(kind.terse)
    a, b, c = _picks(rng, kind.interests, 3)
    if style == "formal":
        return f"My main interests are {a} and {b}. {rng.choice(kind.stories)}"
    text = _fill(rng.choice(INTEREST_SHAPES), a=a, b=b, c=c)
    if style == "chatty":
        story = rng.choice(kind.stories)
        text = text if text.endswith((".", "!", "?")) else text + "."
        text = f"{text} {story}" if rng.random() < 0.5 else f"{story} {text}"
    return _styled(rng, text, style, kind.emoji)


def _rambling(rng: random.Random, kind: Archetype, background: str, before: str,
              target: int) -> str:
    """A long, multi-sentence answer of at least ``target`` characters: the person's story,
    their interests and asides, in a shuffled order (people do not write in outline form)."""
    shapes = rng.sample(INTEREST_SHAPES[:11], 4)
    interest_lines = [_fill(shape, a=a, b=b, c=c)
                      for shape in shapes for a, b, c in [_picks(rng, kind.interests, 3)]]
    history = [f"For context: {background}.", f"Before that, {before}, for a few years."]
    pool = [*kind.stories, *interest_lines, *history[:rng.randint(1, 2)]]
    rng.shuffle(pool)
    fillers = rng.sample(RAMBLE_FILLERS, len(RAMBLE_FILLERS))
    sentences = [rng.choice(RAMBLE_OPENERS)]
    while sum(len(s) + 1 for s in sentences) <= target and (pool or fillers):
        source = pool if pool and (not fillers or rng.random() < 0.55) else fillers
        sentence = source.pop()
        sentences.append(sentence if sentence.endswith((".", "!", "?")) else sentence + ".")
    text = " ".join(sentences)
    if rng.random() < 0.6:  # some people write in paragraphs
        cut = text.find(". ", len(text) // 2)
        text = text[:cut + 1] + "\n\n" + text[cut + 2:] if cut > 0 else text
    return text


def _strengths(rng: random.Random, kind: Archetype, style: str) -> str:
    t1, t2 = _picks(rng, kind.traits + GENERIC_TRAITS[:3], 2)
    s1, s2 = _picks(rng, kind.skills, 2)
    if style == "terse":
        return rng.choice((t1, s1))
    text = _fill(rng.choice(STRENGTH_SHAPES), t1=t1, t2=t2, s1=s1, s2=s2)
    if style == "emoji":
        style = "plain"  # emoji go in the interests
    return _styled(rng, text, style, kind.emoji)


def _values(rng: random.Random, kind: Archetype, style: str) -> str:
    shape = rng.random()
    if shape < 0.55:  # names from the vocabulary (and its aliases), as people type them
        names = _picks(rng, kind.values + GENERIC_VALUES[:4], rng.choice((1, 2, 2, 3)))
        names = list(dict.fromkeys(names))
        case = rng.random()
        if case < 0.2:
            names = [n.title() for n in names]
        elif case < 0.3:
            names = [n.upper() for n in names]
        text = rng.choice(VALUE_SEPARATORS).join(names)
    elif shape < 0.85:
        text = rng.choice(kind.value_texts + GENERIC_VALUE_TEXTS[:6])
    else:  # names and a reason, which makes it free text
        text = f"{rng.choice(kind.values)}, {rng.choice(GENERIC_VALUE_TEXTS).lower()}"
    if style in ("lowercase", "slang"):
        text = text.lower()
    return text


def _background(rng: random.Random, kind: Archetype, age: int, style: str) -> str:
    text = rng.choice(kind.backgrounds)
    extra = rng.random()
    if extra < 0.15 and age >= 24 and kind in WORKING and not NOT_A_JOB.search(text):
        text = f"{text}, {rng.randint(2, min(30, age - 20))} years"
    elif extra < 0.22 and kind in PART_TIME:
        text = f"{text} (part time)"
    return text.lower() if style in ("lowercase", "slang") else text


def _plan(rng: random.Random) -> list[tuple[str, object]]:
    """What each row is built to show, before the rows are shuffled into a random order."""
    plan: list[tuple[str, object]] = [("empty", answer) for answer in EMPTY_ANSWERS]
    plan += [("misspelled values", text) for text in MISSPELLED_VALUES]
    plan += [("unknown values", text) for text in UNKNOWN_VALUE_NAMES]
    plan += [("foreign", answer) for answer in FOREIGN]
    plan += [("rambling", 1_520 + 70 * i) for i in range(9)]
    plan += [("only values", None), ("only strengths", None), ("only interests", None)]
    plan += [("blank interests", " "), ("blank strengths", "  "), ("blank values", "\u3000")]
    plan += [("ordinary", None)] * (N_RESPONSES - len(plan))
    rng.shuffle(plan)
    return plan


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    """All rows of the survey, as strings ('' is a blank cell)."""
    rng = random.Random(seed)
    names = sorted(ARCHETYPES)
    rows = []
    for number, (design, detail) in enumerate(_plan(rng), start=1):
        kind = ARCHETYPES[rng.choice(names)]
        style = rng.choice(STYLES)
        age = rng.randint(*kind.ages)
        row = {"respondent_id": f"R{number:04d}", "age": str(age),
               "background": _background(rng, kind, age, style),
               "interests": _interests(rng, kind, style),
               "strengths": _strengths(rng, kind, style),
               "values": _values(rng, kind, style)}
        if design == "ordinary":
            # the usual gaps: skipped questions, here and there
            for column, rate in (("age", 0.05), ("background", 0.05), ("interests", 0.03),
                                 ("strengths", 0.07), ("values", 0.06)):
                if rng.random() < rate:
                    row[column] = ""
            if not (row["interests"] or row["strengths"] or row["values"]):
                row["interests"] = rng.choice(kind.terse)
        elif design == "empty":
            row["interests"], row["strengths"], row["values"] = detail  # type: ignore[misc]
        elif design in ("misspelled values", "unknown values"):
            row["values"] = str(detail)
        elif design == "foreign":
            background, ages, interests, strengths, values = detail  # type: ignore[misc]
            row.update(age=str(rng.randint(*ages)), background=background, interests=interests,
                       strengths=strengths, values=values)
        elif design == "rambling":
            before = rng.choice(ARCHETYPES[rng.choice(names)].backgrounds)
            row["interests"] = _rambling(rng, kind, row["background"] or "bit of everything",
                                         before, int(detail))  # type: ignore[arg-type]
        elif design.startswith("only "):
            keep = design.removeprefix("only ")
            for column in ("interests", "strengths", "values"):
                if column != keep:
                    row[column] = ""
        elif design.startswith("blank "):
            row[design.removeprefix("blank ")] = str(detail)
        rows.append(row)
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """The CSV text: a header, one record per row, "\\n" line ends, quoted only where needed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSV")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    args = parser.parse_args(argv)
    rows = build_rows(args.seed)
    text = render(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"wrote {args.out} ({len(rows)} responses, {len(text.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    main()
