"""A tiny synthetic O*NET-like release for fast tests, written by the tests themselves.

Every text here is invented for the tests (occupation descriptions, tasks, titles, activities,
element descriptions, labels): nothing is copied from the real O*NET or BLS files. Only the
*layout* follows the real release: the exact file names and header lines, tab separators,
CRLF line endings for the O*NET text files, LF for the BLS tables and the comma-separated job
family CSV (as in the real downloads), the ``n/a`` and ``-`` markers, and the folder layout
``<root>/onet/db_30_2_text/``, ``<root>/onet/All_Job_Families.csv``, ``<root>/bls/``.

Twelve semantically distinct occupations across eleven SOC major groups are defined, so the
module also serves fast unit tests of the matching engine. A few carry deliberate gaps, named by
the constants below, to exercise missing-data paths:

* :data:`NO_BLS_CODE` (Data Scientists) has no OEWS row and no projections row, no work
  values and no reported titles (like a newer O*NET occupation);
* :data:`DASH_WAGE_CODE` (Graphic Designers) has an OEWS row whose annual wages are ``-``
  (hourly only), and one task whose type is ``n/a``;
* every other occupation has every part of the record.

Use :func:`write_release` for the unpacked layout and :func:`write_release_zip` for the
official zip layout (``onet/db_30_2_text.zip`` with a top folder ``db_30_2_text/``).
"""

from __future__ import annotations

import random
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ALL_FILES",
    "BLS_FILES",
    "CODES",
    "DASH_WAGE_CODE",
    "EXTRA_FILES",
    "NO_BLS_CODE",
    "OCCUPATIONS",
    "ONET_DIRNAME",
    "ONET_FILES",
    "SynthOccupation",
    "write_release",
    "write_release_zip",
]

ONET_DIRNAME = "db_30_2_text"
CODE = "O*NET-SOC Code"

# -------------------------------------------------------------------------------------------
# File names and header lines (the real release's layout)
# -------------------------------------------------------------------------------------------

RATING_COLUMNS = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "N",
                  "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress",
                  "Not Relevant", "Date", "Domain Source"]

ONET_FILES: dict[str, list[str]] = {
    "Occupation Data.txt": [CODE, "Title", "Description"],
    "Task Statements.txt": [CODE, "Task ID", "Task", "Task Type", "Incumbents Responding", "Date",
                            "Domain Source"],
    "Task Ratings.txt": [CODE, "Task ID", "Scale ID", "Category", "Data Value", "N",
                         "Standard Error", "Lower CI Bound", "Upper CI Bound",
                         "Recommend Suppress", "Date", "Domain Source"],
    "Alternate Titles.txt": [CODE, "Alternate Title", "Short Title", "Source(s)"],
    "Sample of Reported Titles.txt": [CODE, "Reported Job Title", "Shown in My Next Move"],
    "Interests.txt": [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Date",
                      "Domain Source"],
    "Interests Illustrative Activities.txt": ["Element ID", "Element Name", "Interest Type",
                                              "Activity"],
    "RIASEC Keywords.txt": ["Element ID", "Element Name", "Keyword", "Keyword Type"],
    "Work Values.txt": [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Date",
                        "Domain Source"],
    "Work Styles.txt": [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Date",
                        "Domain Source"],
    "Skills.txt": RATING_COLUMNS,
    "Knowledge.txt": RATING_COLUMNS,
    "Abilities.txt": RATING_COLUMNS,
    "Work Activities.txt": RATING_COLUMNS,
    "Work Context.txt": [CODE, "Element ID", "Element Name", "Scale ID", "Category",
                         "Data Value", "N", "Standard Error", "Lower CI Bound", "Upper CI Bound",
                         "Recommend Suppress", "Not Relevant", "Date", "Domain Source"],
    "Content Model Reference.txt": ["Element ID", "Element Name", "Description"],
    "Job Zones.txt": [CODE, "Job Zone", "Date", "Domain Source"],
    "Job Zone Reference.txt": ["Job Zone", "Name", "Experience", "Education", "Job Training",
                               "Examples", "SVP Range"],
    "Education, Training, and Experience.txt": [
        CODE, "Element ID", "Element Name", "Scale ID", "Category", "Data Value", "N",
        "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date",
        "Domain Source"],
    "Education, Training, and Experience Categories.txt": [
        "Element ID", "Element Name", "Scale ID", "Category", "Category Description"],
    "Technology Skills.txt": [CODE, "Example", "Commodity Code", "Commodity Title",
                              "Hot Technology", "In Demand"],
    "Tools Used.txt": [CODE, "Example", "Commodity Code", "Commodity Title"],
    "Related Occupations.txt": [CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
}
EXTRA_FILES: dict[str, list[str]] = {
    "All_Job_Families.csv": ["Code", "Occupation", "Job Family"],
}
BLS_FILES: dict[str, list[str]] = {
    "oews_national_may2025.tsv": [
        "soc_code", "occupation_name", "display_level", "Employment",
        "Employment percent relative standard error", "Hourly mean wage", "Annual mean wage",
        "Wage percent relative standard error", "Hourly 10th percentile wage",
        "Hourly 25th percentile wage", "Hourly median wage", "Hourly 75th percentile wage",
        "Hourly 90th percentile wage", "Annual 10th percentile wage",
        "Annual 25th percentile wage", "Annual median wage", "Annual 75th percentile wage",
        "Annual 90th percentile wage", "Employment per 1,000 jobs", "Location Quotient",
        "footnote_annual_median", "footnote_hourly_median"],
    "employment_projections_2024_34.tsv": [
        "soc_code", "title", "employment_2024_thousands", "employment_2034_thousands",
        "change_percent_2024_34", "openings_annual_avg_thousands", "median_annual_wage_2024",
        "typical_education_for_entry", "work_experience_in_related_occupation",
        "typical_on_the_job_training"],
}
#: Every file the synthetic release writes.
ALL_FILES: tuple[str, ...] = (*ONET_FILES, *EXTRA_FILES, *BLS_FILES)

# -------------------------------------------------------------------------------------------
# Content Model elements used (IDs follow the O*NET outline; descriptions are our own)
# -------------------------------------------------------------------------------------------

RIASEC = [
    ("1.B.1.a", "Realistic", "Work with tools, machines, materials or animals; practical, "
     "hands-on problems, often outdoors."),
    ("1.B.1.b", "Investigative", "Work with ideas and facts; observing, researching and "
     "reasoning things out."),
    ("1.B.1.c", "Artistic", "Work with forms, designs and patterns; self-expression without a "
     "fixed set of rules."),
    ("1.B.1.d", "Social", "Work with people: helping, teaching, caring for or advising others."),
    ("1.B.1.e", "Enterprising", "Work that starts and carries out projects, leads people and "
     "makes business decisions."),
    ("1.B.1.f", "Conventional", "Work with data and details, following set procedures and "
     "routines."),
]
INTEREST_HIGH_POINTS = [("1.B.1.g", "First Interest High-Point"),
                        ("1.B.1.h", "Second Interest High-Point"),
                        ("1.B.1.i", "Third Interest High-Point")]
WORK_VALUES = [
    ("1.B.2.a", "Achievement", "Work that lets people use their strengths and see results."),
    ("1.B.2.b", "Working Conditions", "Work that offers security, good pay and pleasant "
     "conditions."),
    ("1.B.2.c", "Recognition", "Work with chances to advance, lead and be respected."),
    ("1.B.2.d", "Relationships", "Work where people serve others and get along with "
     "co-workers."),
    ("1.B.2.e", "Support", "Work where the organisation stands behind its staff and "
     "supervisors are fair."),
    ("1.B.2.f", "Independence", "Work that lets people act on their own and be creative."),
]
VALUE_HIGH_POINTS = [("1.B.2.g", "First Work Value High-Point"),
                     ("1.B.2.h", "Second Work Value High-Point"),
                     ("1.B.2.i", "Third Work Value High-Point")]

WORK_STYLES = [
    ("1.D.1.a", "Innovation", "Coming up with new ideas and fresh ways of doing the work."),
    ("1.D.1.c", "Intellectual Curiosity", "Wanting to understand how things work and to keep "
     "learning."),
    ("1.D.1.e", "Initiative", "Taking on tasks and challenges without being asked."),
    ("1.D.1.f", "Adaptability", "Staying effective when plans, people or tools change."),
    ("1.D.1.i", "Leadership Orientation", "Being willing to take charge and give direction."),
    ("1.D.2.c", "Empathy", "Noticing and caring about other people's feelings and needs."),
    ("1.D.2.d", "Cooperation", "Being pleasant and helpful with others at work."),
    ("1.D.3.a", "Cautiousness", "Thinking about risks before acting."),
    ("1.D.3.b", "Attention to Detail", "Being careful and thorough with the details of "
     "the work."),
    ("1.D.3.c", "Dependability", "Being reliable and following through on commitments."),
    ("1.D.3.d", "Integrity", "Being honest and ethical."),
    ("1.D.4.a", "Stress Tolerance", "Staying calm and effective under pressure."),
    ("1.D.4.b", "Self-Control", "Keeping emotions in check, even in difficult situations."),
]

SKILLS = [
    ("2.A.1.a", "Reading Comprehension", "Understanding written documents and instructions."),
    ("2.A.1.b", "Active Listening", "Paying full attention to what others say and asking "
     "good questions."),
    ("2.A.1.c", "Writing", "Communicating clearly in writing for the reader's needs."),
    ("2.A.1.d", "Speaking", "Talking to others to convey information well."),
    ("2.A.1.e", "Mathematics", "Using arithmetic, algebra or statistics to solve problems."),
    ("2.A.1.f", "Science", "Using scientific methods and rules to solve problems."),
    ("2.A.2.a", "Critical Thinking", "Weighing the strengths and weaknesses of different "
     "solutions and conclusions."),
    ("2.A.2.c", "Learning Strategies", "Choosing teaching and learning methods that suit the "
     "situation."),
    ("2.A.2.d", "Monitoring", "Keeping track of how well people, systems or oneself are "
     "doing, and correcting course."),
    ("2.B.1.a", "Social Perceptiveness", "Noticing how others react and understanding why."),
    ("2.B.1.b", "Coordination", "Adjusting one's actions to fit with what others are doing."),
    ("2.B.1.c", "Persuasion", "Convincing others to change their minds or behaviour."),
    ("2.B.1.e", "Instructing", "Teaching others how to do something."),
    ("2.B.1.f", "Service Orientation", "Looking for ways to help people."),
    ("2.B.2.i", "Complex Problem Solving", "Working out complex, poorly defined problems and "
     "choosing a way through them."),
    ("2.B.3.b", "Technology Design", "Creating or adapting equipment and technology for "
     "people's needs."),
    ("2.B.3.d", "Installation", "Installing equipment, wiring or programs to a specification."),
    ("2.B.3.e", "Programming", "Writing computer programs for various purposes."),
    ("2.B.3.h", "Operation and Control", "Controlling the operation of equipment or vehicles."),
    ("2.B.3.j", "Equipment Maintenance", "Doing routine upkeep on equipment."),
    ("2.B.3.k", "Troubleshooting", "Finding the causes of faults and deciding what to do."),
    ("2.B.3.l", "Repairing", "Fixing machines or systems with the right tools."),
    ("2.B.3.m", "Quality Control Analysis", "Testing and inspecting products or work for "
     "quality."),
    ("2.B.4.e", "Judgment and Decision Making", "Weighing costs and benefits to choose the "
     "best action."),
    ("2.B.5.a", "Time Management", "Managing one's own time and the time of others."),
    ("2.B.5.b", "Management of Financial Resources", "Deciding how money will be spent and "
     "accounting for it."),
    ("2.B.5.d", "Management of Personnel Resources", "Motivating, developing and directing "
     "people at work."),
]

KNOWLEDGE = [
    ("2.C.1.a", "Administration and Management", "Business planning, leadership and "
     "coordination of people and resources."),
    ("2.C.1.b", "Administrative", "Office procedures, records, forms and filing."),
    ("2.C.1.c", "Economics and Accounting", "Financial markets, banking and the recording of "
     "financial data."),
    ("2.C.1.d", "Sales and Marketing", "Showing, promoting and selling products or services."),
    ("2.C.1.e", "Customer and Personal Service", "Finding out what customers need and meeting "
     "their expectations."),
    ("2.C.2.b", "Food Production", "Growing, preparing and storing food."),
    ("2.C.3.a", "Computers and Electronics", "Computer hardware, software, circuits and "
     "electronic equipment."),
    ("2.C.3.b", "Engineering and Technology", "Applying engineering principles to design and "
     "build things."),
    ("2.C.3.c", "Design", "Techniques and tools for making plans, drawings and layouts."),
    ("2.C.3.d", "Building and Construction", "Materials, methods and tools for building "
     "houses and other structures."),
    ("2.C.3.e", "Mechanical", "Machines and tools: how they work, are used and are fixed."),
    ("2.C.4.a", "Mathematics", "Arithmetic, algebra, geometry, calculus and statistics."),
    ("2.C.4.b", "Physics", "Physical laws and how they apply to fluids, materials and energy."),
    ("2.C.4.d", "Biology", "Living organisms, their tissues and how they function."),
    ("2.C.4.e", "Psychology", "Human behaviour, learning, motivation and individual "
     "differences."),
    ("2.C.4.f", "Sociology and Anthropology", "Group behaviour, cultures and societies."),
    ("2.C.5.a", "Medicine and Dentistry", "Diagnosing and treating illness and injury."),
    ("2.C.5.b", "Therapy and Counseling", "Helping people recover from physical or mental "
     "difficulties and giving guidance."),
    ("2.C.6", "Education and Training", "Designing teaching and measuring what people "
     "have learned."),
    ("2.C.7.a", "English Language", "Spelling, grammar and the structure of the language."),
    ("2.C.7.c", "Fine Arts", "Creating and performing visual art, music, dance and drama."),
    ("2.C.8.a", "Public Safety and Security", "Protecting people, data and property."),
    ("2.C.8.b", "Law and Government", "Laws, regulations, courts and government processes."),
    ("2.C.9.b", "Communications and Media", "Producing and sharing messages through print, "
     "broadcast and online media."),
    ("2.C.10", "Transportation", "Moving people or goods by road, rail, air or sea."),
]

ABILITIES = [
    ("1.A.1.a.1", "Oral Comprehension", "Understanding spoken information and ideas."),
    ("1.A.1.a.4", "Written Expression", "Putting ideas into writing others can follow."),
    ("1.A.1.b.2", "Originality", "Coming up with unusual or clever ideas."),
    ("1.A.1.c.1", "Mathematical Reasoning", "Choosing the right mathematical method for a "
     "problem."),
    ("1.A.2.a.2", "Manual Dexterity", "Making quick, skilled movements with the hands."),
    ("1.A.3.a.1", "Static Strength", "Lifting, pushing or carrying heavy objects."),
]

WORK_ACTIVITIES = [
    ("4.A.1.a.1", "Getting Information", "Observing and collecting information from all "
     "sources."),
    ("4.A.2.b.2", "Thinking Creatively", "Developing new ideas, designs and approaches."),
    ("4.A.3.a.2", "Handling and Moving Objects", "Using the hands and arms to move, fit or "
     "assemble things."),
    ("4.A.3.b.1", "Working with Computers", "Using computers to write programs, enter data or "
     "process information."),
    ("4.A.4.a.5", "Assisting and Caring for Others", "Giving personal help or care to others."),
    ("4.A.4.b.3", "Training and Teaching Others", "Finding out what others need to learn and "
     "teaching them."),
]

WORK_CONTEXT = [
    ("4.C.1.a.2.l", "Face-to-Face Discussions", "How often the job needs talks in person.",
     "CX"),
    ("4.C.2.a.1.c", "Outdoors, Exposed to Weather", "How often the work is done outside.",
     "CX"),
    ("4.C.2.d.1.a", "Spend Time Sitting", "How much of the day is spent seated.", "CX"),
    ("4.C.3.d.8", "Duration of Typical Work Week", "How long a usual working week is.", "CT"),
]

EDUCATION_ELEMENTS = {
    "RL": ("2.D.1", "Required Level of Education", "The schooling a new worker usually needs."),
    "RW": ("3.A.1", "Related Work Experience", "The prior experience in related work a new "
           "worker usually needs."),
    "PT": ("3.A.2", "On-Site or In-Plant Training", "Organised classroom training given by "
           "the employer."),
    "OJ": ("3.A.3", "On-the-Job Training", "Time spent learning while working under "
           "supervision."),
}
# Our own short labels; some carry a ' - ' tail, like the real file, so the label shortening
# of the compile step is exercised.
EDUCATION_CATEGORIES = {
    "RL": ["Less than high school", "High school diploma - or an equivalency certificate",
           "Post-secondary certificate - from a vocational or trade programme",
           "Some college courses", "Associate's degree", "Bachelor's degree",
           "Post-baccalaureate certificate", "Master's degree", "Post-master's certificate",
           "First professional degree", "Doctoral degree", "Post-doctoral training"],
    "RW": ["None", "Up to 1 month", "1 to 3 months", "3 to 6 months", "6 months to 1 year",
           "1 to 2 years", "2 to 4 years", "4 to 6 years", "6 to 8 years", "8 to 10 years",
           "More than 10 years"],
    "PT": ["None", "Up to 1 month", "1 to 3 months", "3 to 6 months", "6 months to 1 year",
           "1 to 2 years", "2 to 4 years", "4 to 10 years", "More than 10 years"],
    "OJ": ["None or a short demonstration", "Up to 1 month", "1 to 3 months", "3 to 6 months",
           "6 months to 1 year", "1 to 2 years", "2 to 4 years", "4 to 10 years",
           "More than 10 years"],
}

JOB_ZONES = [
    (1, "Job Zone One: Little or No Preparation", "No previous experience is needed.",
     "Some may need a high school diploma.", "A few days to a few months of training.",
     "Dishwashers, parking attendants", "Below 4.0"),
    (2, "Job Zone Two: Some Preparation", "Some previous work experience helps.",
     "Usually a high school diploma.", "A few months to a year with experienced staff.",
     "Truck drivers, carpenters, cashiers", "4.0 to < 6.0"),
    (3, "Job Zone Three: Medium Preparation", "Previous skill or experience is needed.",
     "Vocational school, apprenticeship or an associate's degree.",
     "One or two years of training.", "Electricians, chefs, nurses", "6.0 to < 7.0"),
    (4, "Job Zone Four: Considerable Preparation", "Several years of related experience.",
     "Usually a four-year bachelor's degree.", "Several years of work-related training.",
     "Accountants, teachers, designers, developers", "7.0 to < 8.0"),
    (5, "Job Zone Five: Extensive Preparation", "Extensive skill and experience are needed.",
     "A graduate degree is often required.", "Years of training or research.",
     "Data scientists, surgeons, lawyers", "8.0 and above"),
]

RIASEC_ACTIVITIES = {
    "Realistic": [("General", "Repair a bicycle or a lawn mower."),
                  ("General", "Build a garden shed from a kit of parts."),
                  ("Basic", "Operate a forklift in a warehouse.")],
    "Investigative": [("General", "Run an experiment to see which fertiliser works best."),
                      ("General", "Analyse survey data to find out why customers leave."),
                      ("Basic", "Study how a virus spreads through a population.")],
    "Artistic": [("General", "Design the cover of a book or an album."),
                 ("General", "Write a short story or a song."),
                 ("Basic", "Paint a mural for a community centre.")],
    "Social": [("General", "Teach a child to read."),
               ("General", "Help someone through a difficult time."),
               ("Basic", "Look after patients recovering from surgery.")],
    "Enterprising": [("General", "Start and run a small business."),
                     ("General", "Persuade a group to back a new plan."),
                     ("Basic", "Negotiate a contract with a supplier.")],
    "Conventional": [("General", "Keep the accounts of a club in order."),
                     ("General", "Check a set of records for errors."),
                     ("Basic", "Organise files in a shared database.")],
}
RIASEC_KEYWORDS = {
    "Realistic": [("Build", "Action"), ("Repair", "Action"), ("Tools", "Object")],
    "Investigative": [("Analyze", "Action"), ("Research", "Action"), ("Data", "Object")],
    "Artistic": [("Create", "Action"), ("Design", "Action"), ("Art", "Object")],
    "Social": [("Help", "Action"), ("Teach", "Action"), ("People", "Object")],
    "Enterprising": [("Lead", "Action"), ("Sell", "Action"), ("Business", "Object")],
    "Conventional": [("Organize", "Action"), ("Record", "Action"), ("Records", "Object")],
}

MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "21": "Community and Social Service Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "47": "Construction and Extraction Occupations",
    "53": "Transportation and Material Moving Occupations",
}

# -------------------------------------------------------------------------------------------
# The occupations
# -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wages:
    """BLS OEWS figures for one SOC code; ``annual=None`` writes '-' (hourly only)."""

    employment: int
    annual: tuple[int, int, int, int, int] | None
    hourly: tuple[float, float, float, float, float]


@dataclass(frozen=True)
class Projection:
    """One BLS projections row (employment in thousands)."""

    employment_2024: float
    employment_2034: float
    change_pct: float
    openings: float
    median_wage: int
    education: str
    experience: str
    training: str


@dataclass(frozen=True)
class SynthOccupation:
    """Everything the synthetic release knows about one occupation."""

    code: str
    title: str
    description: str
    family: str
    job_zone: int
    riasec: tuple[float, float, float, float, float, float]
    interest_high_points: tuple[int, int, int]
    values: tuple[float, float, float, float, float, float] | None
    value_high_points: tuple[int, int, int]
    core_tasks: tuple[str, ...]
    supplemental_tasks: tuple[str, ...]
    alternate_titles: tuple[str, ...]
    reported_titles: tuple[tuple[str, str], ...]
    skills: Mapping[str, float]
    knowledge: Mapping[str, float]
    styles: Sequence[str]
    education: tuple[int, int, int, int]  # most common RL, RW, PT, OJ category
    technology: tuple[tuple[str, str, str, str], ...]  # example, commodity title, hot, in demand
    tools: tuple[str, ...]
    related: tuple[str, ...]  # codes, most related first
    wages: Wages | None
    projection: Projection | None
    unrated_tasks: tuple[str, ...] = field(default=())  # task type 'n/a'
    activities: Mapping[str, float] = field(default_factory=dict)


def _hourly(annual: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(round(a / 2080, 2) for a in annual)


def _wages(employment: int, annual: tuple[int, int, int, int, int]) -> Wages:
    return Wages(employment, annual, _hourly(annual))  # type: ignore[arg-type]


OCCUPATIONS: tuple[SynthOccupation, ...] = (
    SynthOccupation(
        code="15-1252.00",
        title="Software Developers",
        description=(
            "Design, build and maintain computer programs and applications. Turn what users "
            "need into working software, test it, and keep improving it as requirements "
            "change."),
        family="Computer and Mathematical",
        job_zone=4,
        riasec=(2.10, 6.20, 3.40, 1.90, 2.30, 5.10),
        interest_high_points=(2, 6, 0),
        values=(6.00, 6.33, 4.17, 4.50, 4.83, 6.17),
        value_high_points=(6, 2, 1),
        core_tasks=(
            "Write, review and refactor program code so applications meet agreed "
            "requirements and stay easy to maintain.",
            "Translate user and business needs into software designs, data models and "
            "technical specifications.",
            "Plan and run automated tests that catch defects before new features are "
            "released.",
            "Diagnose and fix faults reported by users or monitoring tools in live systems.",
            "Work with designers, testers and product owners to estimate effort and schedule "
            "releases.",
        ),
        supplemental_tasks=(
            "Write technical documentation explaining how a system is built and operated.",
            "Evaluate new programming languages, libraries and tools for upcoming projects.",
        ),
        alternate_titles=("Application Developer", "Software Engineer", "Programmer Analyst",
                          "Backend Developer", "Mobile App Developer"),
        reported_titles=(("Software Engineer", "Y"), ("Application Developer", "Y"),
                         ("Developer", "N")),
        skills={"Programming": 4.62, "Complex Problem Solving": 4.25, "Critical Thinking": 4.12,
                "Technology Design": 4.00, "Reading Comprehension": 4.00,
                "Troubleshooting": 3.62, "Mathematics": 3.38},
        knowledge={"Computers and Electronics": 4.81, "Engineering and Technology": 3.85,
                   "Mathematics": 3.92, "English Language": 3.60, "Design": 3.21},
        styles=("Attention to Detail", "Intellectual Curiosity", "Innovation"),
        education=(6, 6, 2, 4),
        technology=(("Python", "Object or component oriented development software", "Y", "Y"),
                    ("Git", "Configuration management software", "Y", "Y"),
                    ("Java", "Object or component oriented development software", "Y", "N"),
                    ("Docker", "Operating system software", "Y", "N")),
        tools=("Laptop computers", "Desktop computers", "Server computers"),
        related=("15-2051.00", "27-1024.00", "11-2021.00"),
        wages=_wages(1_700_000, (80_500, 103_000, 134_000, 170_500, 212_000)),
        projection=Projection(1690.0, 1952.5, 15.5, 114.3, 131_500, "Bachelor's degree",
                              "None", "None"),
        activities={"Working with Computers": 4.9, "Thinking Creatively": 4.0,
                    "Getting Information": 4.2},
    ),
    SynthOccupation(
        code="29-1141.00",
        title="Registered Nurses",
        description=(
            "Care for people who are ill, injured or recovering. Assess each patient's "
            "condition, give treatments and medicines, and teach patients and families how "
            "to manage their health."),
        family="Healthcare Practitioners and Technical",
        job_zone=3,
        riasec=(3.30, 4.50, 1.50, 6.60, 2.50, 4.40),
        interest_high_points=(4, 2, 6),
        values=(5.83, 5.67, 5.00, 6.60, 5.40, 4.60),
        value_high_points=(4, 1, 5),
        core_tasks=(
            "Monitor patients' vital signs and symptoms and record any changes in their "
            "health records.",
            "Give medicines and treatments as prescribed, watching for side effects or "
            "reactions.",
            "Assess new patients by taking health histories and noting their physical and "
            "emotional needs.",
            "Explain care plans, medicines and home care to patients and their families.",
            "Coordinate with doctors, therapists and other staff to plan and adjust "
            "patient care.",
        ),
        supplemental_tasks=(
            "Supervise nursing assistants and show new nurses the ward routines.",
            "Take part in infection control and patient safety reviews.",
        ),
        alternate_titles=("Staff Nurse", "Registered Nurse (RN)", "Clinical Nurse",
                          "Charge Nurse", "Nurse Case Manager"),
        reported_titles=(("Staff Nurse", "Y"), ("Registered Nurse", "Y"),
                         ("Charge Nurse", "N")),
        skills={"Social Perceptiveness": 4.25, "Service Orientation": 4.20,
                "Active Listening": 4.12, "Monitoring": 4.00, "Critical Thinking": 4.00,
                "Speaking": 3.88, "Coordination": 3.75, "Judgment and Decision Making": 3.75},
        knowledge={"Medicine and Dentistry": 4.60, "Customer and Personal Service": 4.40,
                   "Psychology": 3.90, "Therapy and Counseling": 3.60, "Biology": 3.50,
                   "English Language": 3.55},
        styles=("Empathy", "Stress Tolerance", "Dependability", "Attention to Detail"),
        education=(6, 4, 3, 4),
        technology=(("Electronic medical record software", "Medical software", "Y", "Y"),
                    ("Microsoft Outlook", "Electronic mail software", "Y", "N")),
        tools=("Stethoscopes", "Infusion pumps", "Blood pressure monitors"),
        related=("21-1021.00", "25-2021.00"),
        wages=_wages(3_380_000, (68_500, 80_000, 97_000, 112_000, 137_000)),
        projection=Projection(3390.0, 3556.0, 4.9, 189.0, 93_500, "Bachelor's degree", "None",
                              "None"),
        activities={"Assisting and Caring for Others": 4.8, "Getting Information": 4.3},
    ),
    SynthOccupation(
        code="47-2031.00",
        title="Carpenters",
        description=(
            "Build, install and repair wooden frameworks, fixtures and structures such as "
            "walls, stairs, roofs and cabinets, working from plans on building sites and in "
            "workshops."),
        family="Construction and Extraction",
        job_zone=2,
        riasec=(6.70, 2.00, 2.30, 1.80, 1.90, 3.40),
        interest_high_points=(1, 6, 0),
        values=(5.50, 4.50, 3.83, 4.90, 4.50, 5.60),
        value_high_points=(1, 6, 4),
        core_tasks=(
            "Measure, mark and cut lumber and panels to the sizes shown on plans.",
            "Assemble and fasten wall frames, floor joists and roof trusses with nails, "
            "screws and glue.",
            "Read blueprints and sketches to work out materials, layout and the order "
            "of work.",
            "Install doors, windows, stairs, trim and built-in cabinets.",
            "Check that structures are level, plumb and square, and correct them where "
            "needed.",
        ),
        supplemental_tasks=(
            "Build temporary forms for poured concrete and strip them once it has set.",
            "Maintain hand and power tools and keep the work area safe and tidy.",
        ),
        alternate_titles=("Framer", "Finish Carpenter", "Joiner", "Cabinet Installer",
                          "Formwork Carpenter"),
        reported_titles=(("Carpenter", "Y"), ("Framer", "Y"), ("Finish Carpenter", "N")),
        skills={"Installation": 3.12, "Quality Control Analysis": 3.25, "Repairing": 3.20,
                "Mathematics": 3.00, "Critical Thinking": 3.00, "Operation and Control": 3.00,
                "Equipment Maintenance": 2.88, "Troubleshooting": 2.75},
        knowledge={"Building and Construction": 4.60, "Mechanical": 3.60, "Mathematics": 3.40,
                   "Public Safety and Security": 3.20, "Design": 3.10},
        styles=("Dependability", "Attention to Detail", "Cooperation", "Adaptability"),
        education=(2, 4, 2, 6),
        technology=(("SketchUp", "Computer aided design CAD software", "Y", "N"),
                    ("Microsoft Excel", "Spreadsheet software", "Y", "N")),
        tools=("Circular saws", "Nail guns", "Spirit levels", "Framing squares"),
        related=("47-2111.00", "53-3032.00"),
        wages=_wages(670_000, (40_500, 48_500, 60_500, 76_800, 99_900)),
        projection=Projection(960.0, 1002.0, 4.4, 74.0, 59_300,
                              "High school diploma or equivalent", "None", "Apprenticeship"),
        activities={"Handling and Moving Objects": 4.6},
    ),
    SynthOccupation(
        code="35-1011.00",
        title="Chefs and Head Cooks",
        description=(
            "Run the cooking in a restaurant or other kitchen: plan menus, direct cooks and "
            "kitchen staff, and make sure every dish is prepared well, safely and on time."),
        family="Food Preparation and Serving Related",
        job_zone=3,
        riasec=(4.80, 2.10, 5.10, 2.50, 5.00, 3.60),
        interest_high_points=(3, 5, 1),
        values=(6.00, 4.33, 5.33, 5.00, 4.00, 5.83),
        value_high_points=(1, 6, 3),
        core_tasks=(
            "Plan menus and create new dishes based on seasonal produce, costs and guest "
            "feedback.",
            "Direct and coordinate the work of cooks and kitchen staff during service.",
            "Check the taste, temperature and presentation of dishes before they leave the "
            "kitchen.",
            "Order food and supplies and track stock to control costs and waste.",
            "Enforce food safety, hygiene and allergen rules in the kitchen.",
        ),
        supplemental_tasks=(
            "Hire new kitchen staff and train them in cooking techniques and house recipes.",
            "Cater private events and work out prices for special menus.",
        ),
        alternate_titles=("Executive Chef", "Head Cook", "Sous Chef", "Kitchen Manager",
                          "Pastry Chef"),
        reported_titles=(("Executive Chef", "Y"), ("Sous Chef", "Y"), ("Kitchen Manager", "N")),
        skills={"Management of Personnel Resources": 3.88, "Coordination": 3.75,
                "Time Management": 3.75, "Monitoring": 3.62, "Quality Control Analysis": 3.50,
                "Judgment and Decision Making": 3.50, "Instructing": 3.38},
        knowledge={"Food Production": 4.40, "Customer and Personal Service": 4.00,
                   "Administration and Management": 3.60, "Sales and Marketing": 2.90,
                   "Economics and Accounting": 2.80},
        styles=("Stress Tolerance", "Innovation", "Leadership Orientation",
                "Attention to Detail"),
        education=(2, 6, 3, 5),
        technology=(("Recipe costing software", "Inventory management software", "N", "N"),
                    ("Microsoft Word", "Word processing software", "Y", "N")),
        tools=("Chef's knives", "Convection ovens", "Food thermometers"),
        related=("11-2021.00", "25-2021.00"),
        wages=_wages(160_000, (36_000, 45_000, 60_000, 78_000, 98_000)),
        projection=Projection(175.0, 185.0, 5.7, 23.5, 58_900,
                              "High school diploma or equivalent", "Less than 5 years", "None"),
        activities={"Thinking Creatively": 3.9, "Handling and Moving Objects": 4.0},
    ),
    SynthOccupation(
        code="13-2011.00",
        title="Accountants and Auditors",
        description=(
            "Prepare, check and analyse financial records for organisations and individuals. "
            "Make sure accounts are accurate, taxes are paid correctly and money is managed "
            "within the law."),
        family="Business and Financial Operations",
        job_zone=4,
        riasec=(1.40, 3.80, 1.30, 2.00, 3.60, 6.70),
        interest_high_points=(6, 5, 2),
        values=(5.40, 6.10, 4.60, 4.80, 5.50, 5.20),
        value_high_points=(2, 5, 1),
        core_tasks=(
            "Prepare financial statements, budgets and reports that summarise an "
            "organisation's income and spending.",
            "Examine accounting records to check they are complete, accurate and follow "
            "regulations.",
            "Calculate taxes owed and prepare tax returns, checking for allowable deductions.",
            "Advise managers on ways to cut costs, improve cash flow and reduce financial "
            "risk.",
            "Reconcile bank statements and ledgers and investigate any differences.",
        ),
        supplemental_tasks=(
            "Set up and improve bookkeeping and internal control procedures.",
            "Explain financial results to clients or board members in plain language.",
        ),
        alternate_titles=("Auditor", "Staff Accountant", "Tax Accountant",
                          "Certified Public Accountant (CPA)", "Cost Accountant"),
        reported_titles=(("Accountant", "Y"), ("Staff Accountant", "Y"), ("Audit Manager", "N")),
        skills={"Mathematics": 3.88, "Reading Comprehension": 4.00, "Critical Thinking": 4.00,
                "Judgment and Decision Making": 3.88, "Active Listening": 3.75,
                "Management of Financial Resources": 3.75, "Writing": 3.62},
        knowledge={"Economics and Accounting": 4.80, "Mathematics": 3.90,
                   "English Language": 3.70, "Administrative": 3.50, "Law and Government": 3.30,
                   "Computers and Electronics": 3.30},
        styles=("Attention to Detail", "Integrity", "Dependability", "Cautiousness"),
        education=(6, 5, 2, 4),
        technology=(("Intuit QuickBooks", "Accounting software", "Y", "Y"),
                    ("Microsoft Excel", "Spreadsheet software", "Y", "Y"),
                    ("SAP software", "Enterprise resource planning ERP software", "Y", "N")),
        tools=("Financial calculators", "Laptop computers"),
        related=("11-2021.00", "15-2051.00", "15-1252.00"),
        wages=_wages(1_450_000, (55_000, 65_000, 81_000, 105_000, 138_000)),
        projection=Projection(1580.0, 1660.0, 5.0, 124.0, 81_600, "Bachelor's degree", "None",
                              "None"),
        activities={"Working with Computers": 4.3, "Getting Information": 4.4},
    ),
    SynthOccupation(
        code="27-1024.00",
        title="Graphic Designers",
        description=(
            "Create visual concepts, by hand or with software, that inform, inspire or "
            "persuade an audience: logos, page layouts, packaging, web pages and "
            "advertisements."),
        family="Arts, Design, Entertainment, Sports, and Media",
        job_zone=4,
        riasec=(2.30, 2.70, 6.80, 2.10, 3.60, 3.40),
        interest_high_points=(3, 5, 0),
        values=(6.10, 5.60, 4.80, 4.50, 4.00, 6.30),
        value_high_points=(6, 1, 0),
        core_tasks=(
            "Develop layouts, colour schemes and typography for print and digital designs.",
            "Meet clients to understand the message, audience and budget of a design "
            "project.",
            "Draw sketches and mock-ups and revise them based on client feedback.",
            "Prepare final artwork files for printers, websites and social media.",
        ),
        supplemental_tasks=(
            "Keep a portfolio of work up to date and follow design trends and new tools.",
            "Photograph or illustrate images to use in layouts.",
        ),
        unrated_tasks=("Advise clients on the visual identity of a new product line.",),
        alternate_titles=("Graphic Artist", "Visual Designer", "Layout Artist",
                          "Brand Designer", "Production Artist"),
        reported_titles=(("Graphic Designer", "Y"), ("Designer", "N"),
                         ("Creative Designer", "N")),
        skills={"Active Listening": 3.75, "Critical Thinking": 3.62, "Time Management": 3.62,
                "Speaking": 3.50, "Technology Design": 3.25, "Persuasion": 3.12},
        knowledge={"Design": 4.50, "Fine Arts": 4.20, "Communications and Media": 3.80,
                   "Computers and Electronics": 3.70, "English Language": 3.40,
                   "Sales and Marketing": 3.20},
        styles=("Innovation", "Attention to Detail", "Adaptability", "Intellectual Curiosity"),
        education=(6, 4, 2, 3),
        technology=(("Adobe Photoshop", "Graphics or photo imaging software", "Y", "Y"),
                    ("Adobe Illustrator", "Graphics or photo imaging software", "Y", "N"),
                    ("Figma", "Graphics or photo imaging software", "Y", "N")),
        tools=("Graphics tablets", "Colour calibrators", "Large format printers"),
        related=("11-2021.00", "15-1252.00"),
        wages=Wages(215_000, None, (17.80, 22.60, 29.30, 38.90, 49.70)),
        projection=Projection(270.0, 277.8, 2.9, 22.0, 61_300, "Bachelor's degree", "None",
                              "None"),
        activities={"Thinking Creatively": 4.8, "Working with Computers": 4.5},
    ),
    SynthOccupation(
        code="25-2021.00",
        title="Elementary School Teachers, Except Special Education",
        description=(
            "Teach children in the early school years reading, writing, mathematics, science "
            "and other subjects, and help them grow socially and emotionally in the "
            "classroom."),
        family="Educational Instruction and Library",
        job_zone=4,
        riasec=(1.90, 2.80, 3.90, 6.80, 3.40, 3.30),
        interest_high_points=(4, 3, 0),
        values=(5.90, 5.00, 4.50, 6.50, 5.30, 4.90),
        value_high_points=(4, 1, 5),
        core_tasks=(
            "Plan lessons and activities that teach reading, writing, mathematics and "
            "science at the right level for each child.",
            "Observe and assess students' progress and adapt teaching for those who need "
            "extra help.",
            "Set and enforce classroom rules so students can learn in a safe, respectful "
            "setting.",
            "Meet parents and guardians to discuss their child's progress and needs.",
            "Prepare the classroom with displays, materials and equipment for lessons.",
        ),
        supplemental_tasks=(
            "Supervise students on field trips, in the playground and at lunch.",
            "Work with colleagues to plan school events and a shared curriculum.",
        ),
        alternate_titles=("Primary School Teacher", "Grade School Teacher", "Classroom Teacher",
                          "Third Grade Teacher", "Elementary Educator"),
        reported_titles=(("Elementary Teacher", "Y"), ("Classroom Teacher", "Y"),
                         ("Fourth Grade Teacher", "N")),
        skills={"Instructing": 4.50, "Learning Strategies": 4.38, "Speaking": 4.25,
                "Social Perceptiveness": 4.12, "Active Listening": 4.00, "Monitoring": 3.88,
                "Writing": 3.50},
        knowledge={"Education and Training": 4.60, "English Language": 4.20,
                   "Psychology": 3.80, "Mathematics": 3.50, "Sociology and Anthropology": 3.00,
                   "Fine Arts": 2.80},
        styles=("Empathy", "Self-Control", "Adaptability", "Dependability", "Cooperation"),
        education=(6, 2, 3, 3),
        technology=(("Google Classroom", "Computer based training software", "Y", "N"),
                    ("Microsoft PowerPoint", "Presentation software", "Y", "N")),
        tools=("Interactive whiteboards", "Document cameras", "Laptop computers"),
        related=("21-1021.00", "29-1141.00"),
        wages=_wages(1_400_000, (45_000, 53_000, 64_000, 80_000, 100_000)),
        projection=Projection(1350.0, 1329.5, -1.5, 95.0, 63_000, "Bachelor's degree", "None",
                              "None"),
        activities={"Training and Teaching Others": 4.9, "Assisting and Caring for Others": 4.0},
    ),
    SynthOccupation(
        code="53-3032.00",
        title="Heavy and Tractor-Trailer Truck Drivers",
        description=(
            "Drive large trucks and tractor-trailers to carry goods over long and short "
            "distances, load and secure cargo, and keep the vehicle safe and legal on the "
            "road."),
        family="Transportation and Material Moving",
        job_zone=2,
        riasec=(6.20, 1.60, 1.20, 1.90, 2.20, 4.00),
        interest_high_points=(1, 6, 0),
        values=(4.60, 5.20, 3.40, 4.00, 5.40, 6.40),
        value_high_points=(6, 5, 2),
        core_tasks=(
            "Drive loaded trucks between depots, warehouses and customers, following road "
            "and safety rules.",
            "Inspect tyres, brakes, lights and other equipment before and after each trip.",
            "Secure cargo with straps, chains or covers so it cannot shift in transit.",
            "Keep logs of driving hours, fuel, mileage and deliveries.",
            "Plan routes that allow for traffic, weather, road limits and delivery times.",
        ),
        supplemental_tasks=(
            "Report mechanical problems and make small repairs at the roadside.",
            "Collect payments or delivery signatures from customers.",
        ),
        alternate_titles=("Long Haul Driver", "Tractor-Trailer Operator", "Semi Truck Driver",
                          "Over the Road Driver", "Freight Hauler"),
        reported_titles=(("Truck Driver", "Y"), ("Driver", "Y"), ("Commercial Driver", "N")),
        skills={"Operation and Control": 4.00, "Monitoring": 3.62, "Time Management": 3.25,
                "Equipment Maintenance": 3.00, "Troubleshooting": 2.75,
                "Active Listening": 2.88},
        knowledge={"Transportation": 4.20, "Public Safety and Security": 3.60,
                   "Mechanical": 3.00, "Customer and Personal Service": 2.80,
                   "Law and Government": 2.60},
        styles=("Dependability", "Self-Control", "Stress Tolerance", "Attention to Detail"),
        education=(2, 3, 2, 2),
        technology=(("Route planning software", "Route navigation software", "N", "N"),
                    ("Electronic logging software", "Data base user interface and query "
                     "software", "N", "Y")),
        tools=("Tractor trailers", "Cargo straps", "Tyre pressure gauges"),
        related=("47-2031.00", "47-2111.00"),
        wages=_wages(2_000_000, (40_000, 46_000, 56_000, 66_000, 79_000)),
        projection=Projection(2240.0, 2347.5, 4.8, 240.0, 57_000,
                              "Postsecondary nondegree award", "None",
                              "Short-term on-the-job training"),
        activities={"Handling and Moving Objects": 3.9},
    ),
    SynthOccupation(
        code="15-2051.00",
        title="Data Scientists",
        description=(
            "Use statistics, machine learning and programming to find patterns in large "
            "data sets, build predictive models and explain what the data means so that "
            "organisations can make better decisions."),
        family="Computer and Mathematical",
        job_zone=5,
        riasec=(1.50, 6.80, 2.90, 1.70, 2.80, 5.20),
        interest_high_points=(2, 6, 0),
        values=None,
        value_high_points=(0, 0, 0),
        core_tasks=(
            "Clean, join and explore large data sets to find patterns, trends and data "
            "quality problems.",
            "Build and validate statistical and machine learning models that predict "
            "outcomes.",
            "Present findings to decision makers with clear charts, reports and "
            "recommendations.",
            "Design experiments and surveys to test ideas about products or customers.",
        ),
        supplemental_tasks=(
            "Deploy models into production systems and monitor how well they perform "
            "over time.",
            "Keep up with research in statistics and machine learning.",
        ),
        alternate_titles=("Machine Learning Scientist", "Quantitative Analyst",
                          "Predictive Modeler", "Decision Scientist"),
        reported_titles=(),
        skills={"Mathematics": 4.50, "Critical Thinking": 4.25, "Programming": 4.20,
                "Complex Problem Solving": 4.12, "Reading Comprehension": 4.00,
                "Writing": 3.75, "Science": 3.70},
        knowledge={"Mathematics": 4.70, "Computers and Electronics": 4.40,
                   "English Language": 3.80, "Economics and Accounting": 3.00},
        styles=("Intellectual Curiosity", "Attention to Detail", "Innovation"),
        education=(8, 5, 2, 4),
        technology=(("Python", "Object or component oriented development software", "Y", "Y"),
                    ("R", "Analytical or scientific software", "Y", "Y"),
                    ("Structured query language SQL", "Data base management system software",
                     "Y", "Y"),
                    ("TensorFlow", "Object or component oriented development software", "Y",
                     "N")),
        tools=("Laptop computers", "Graphics processing units"),
        related=("15-1252.00", "13-2011.00"),
        wages=None,
        projection=None,
        activities={"Working with Computers": 4.7, "Getting Information": 4.6,
                    "Thinking Creatively": 3.8},
    ),
    SynthOccupation(
        code="21-1021.00",
        title="Child, Family, and School Social Workers",
        description=(
            "Help children and their families cope with problems such as neglect, poverty, "
            "illness or conflict. Protect vulnerable children and connect families with "
            "services that support their well-being."),
        family="Community and Social Service",
        job_zone=4,
        riasec=(1.30, 3.30, 2.40, 6.90, 3.50, 3.50),
        interest_high_points=(4, 5, 0),
        values=(5.60, 4.60, 4.30, 6.60, 4.80, 5.00),
        value_high_points=(4, 1, 0),
        core_tasks=(
            "Interview children and families to understand their situation, strengths and "
            "needs.",
            "Investigate reports of child abuse or neglect and act to keep children safe.",
            "Connect families with housing, health, counselling and financial support "
            "services.",
            "Write case notes and court reports that record visits and decisions.",
            "Arrange and monitor foster care or adoption placements.",
        ),
        supplemental_tasks=(
            "Run support groups or workshops for parents.",
            "Speak up for clients with schools, courts and other agencies.",
        ),
        alternate_titles=("Caseworker", "Child Welfare Worker", "School Social Worker",
                          "Family Services Worker", "Child Protective Services Worker"),
        reported_titles=(("Case Manager", "Y"), ("Social Worker", "Y"),
                         ("Family Service Worker", "N")),
        skills={"Social Perceptiveness": 4.50, "Active Listening": 4.38,
                "Service Orientation": 4.25, "Speaking": 4.00,
                "Judgment and Decision Making": 3.88, "Writing": 3.75, "Coordination": 3.62},
        knowledge={"Psychology": 4.30, "Therapy and Counseling": 4.20,
                   "Customer and Personal Service": 4.00, "Sociology and Anthropology": 3.90,
                   "English Language": 3.80, "Law and Government": 3.70},
        styles=("Empathy", "Stress Tolerance", "Integrity", "Self-Control"),
        education=(6, 4, 3, 4),
        technology=(("Case tracking database", "Data base user interface and query software",
                     "N", "N"),
                    ("Microsoft Word", "Word processing software", "Y", "N")),
        tools=("Mobile phones", "Laptop computers"),
        related=("25-2021.00", "29-1141.00"),
        wages=_wages(360_000, (40_000, 46_000, 55_000, 68_000, 86_000)),
        projection=Projection(350.0, 360.2, 2.9, 36.0, 54_000, "Bachelor's degree", "None",
                              "None"),
        activities={"Assisting and Caring for Others": 4.7, "Getting Information": 4.1},
    ),
    SynthOccupation(
        code="47-2111.00",
        title="Electricians",
        description=(
            "Install, maintain and repair electrical wiring, equipment and fixtures in "
            "homes, businesses and factories, making sure the work meets electrical codes "
            "and is safe to use."),
        family="Construction and Extraction",
        job_zone=3,
        riasec=(6.50, 4.00, 1.60, 1.90, 2.20, 3.90),
        interest_high_points=(1, 2, 6),
        values=(5.70, 4.90, 4.00, 4.60, 4.90, 5.60),
        value_high_points=(1, 6, 2),
        core_tasks=(
            "Install wiring, conduit, outlets, switches and lighting according to plans and "
            "electrical codes.",
            "Test circuits and equipment with meters to find faults and confirm safe "
            "operation.",
            "Repair or replace faulty wiring, breakers and electrical components.",
            "Read blueprints and wiring diagrams to plan the layout of electrical systems.",
            "Connect new electrical systems to the power supply and check that they work "
            "correctly.",
        ),
        supplemental_tasks=(
            "Advise customers on energy-saving lighting and equipment.",
            "Train apprentices in safe electrical work practices.",
        ),
        alternate_titles=("Journeyman Electrician", "Wireman", "Electrical Contractor",
                          "Maintenance Electrician", "Residential Electrician"),
        reported_titles=(("Electrician", "Y"), ("Journeyman Electrician", "Y"),
                         ("Inside Wireman", "N")),
        skills={"Troubleshooting": 4.12, "Repairing": 4.00, "Installation": 3.88,
                "Equipment Maintenance": 3.75, "Critical Thinking": 3.62,
                "Quality Control Analysis": 3.38, "Mathematics": 3.25},
        knowledge={"Building and Construction": 4.20, "Mechanical": 3.90,
                   "Public Safety and Security": 3.80, "Engineering and Technology": 3.60,
                   "Mathematics": 3.50, "Physics": 3.20},
        styles=("Attention to Detail", "Dependability", "Cautiousness"),
        education=(3, 6, 4, 7),
        technology=(("AutoCAD", "Computer aided design CAD software", "Y", "N"),
                    ("Microsoft Excel", "Spreadsheet software", "Y", "N")),
        tools=("Multimeters", "Wire strippers", "Conduit benders"),
        related=("47-2031.00", "53-3032.00"),
        wages=_wages(780_000, (42_000, 50_000, 62_000, 80_000, 105_000)),
        projection=Projection(820.0, 890.5, 8.6, 81.0, 61_000,
                              "High school diploma or equivalent", "None", "Apprenticeship"),
        activities={"Handling and Moving Objects": 4.2, "Getting Information": 3.8},
    ),
    SynthOccupation(
        code="11-2021.00",
        title="Marketing Managers",
        description=(
            "Plan and direct the marketing of an organisation's products or services: study "
            "the market, decide on pricing and promotion, and lead the teams that run "
            "campaigns."),
        family="Management",
        job_zone=4,
        riasec=(1.30, 3.20, 4.60, 3.60, 6.70, 3.90),
        interest_high_points=(5, 3, 0),
        values=(6.20, 5.90, 6.30, 5.00, 5.20, 5.80),
        value_high_points=(3, 1, 2),
        core_tasks=(
            "Develop marketing plans and budgets for products, services or brands.",
            "Analyse market research, sales figures and competitor activity to find new "
            "opportunities.",
            "Direct the teams that create advertising, social media and email campaigns.",
            "Work with product and sales leaders to set prices and launch new products.",
            "Track campaign results and report the return on marketing spending.",
        ),
        supplemental_tasks=(
            "Negotiate contracts with advertising agencies, media outlets and vendors.",
            "Speak at trade shows and industry events to promote the company.",
        ),
        alternate_titles=("Brand Manager", "Marketing Director", "Product Marketing Manager",
                          "Digital Marketing Manager", "Chief Marketing Officer (CMO)"),
        reported_titles=(("Marketing Director", "Y"), ("Brand Manager", "Y"),
                         ("Marketing Manager", "N")),
        skills={"Persuasion": 4.20, "Speaking": 4.20, "Judgment and Decision Making": 4.12,
                "Critical Thinking": 4.00, "Coordination": 4.00,
                "Management of Personnel Resources": 3.88,
                "Management of Financial Resources": 3.75},
        knowledge={"Sales and Marketing": 4.80, "Administration and Management": 4.20,
                   "Customer and Personal Service": 4.10, "Communications and Media": 4.00,
                   "English Language": 4.00, "Economics and Accounting": 3.30},
        styles=("Leadership Orientation", "Innovation", "Initiative", "Adaptability"),
        education=(6, 7, 2, 4),
        technology=(("Salesforce software", "Customer relationship management CRM software",
                     "Y", "Y"),
                    ("Google Analytics", "Information retrieval or search software", "Y", "N"),
                    ("Microsoft PowerPoint", "Presentation software", "Y", "N")),
        tools=("Laptop computers", "Smartphones"),
        related=("27-1024.00", "13-2011.00", "35-1011.00"),
        wages=_wages(385_000, (85_000, 115_000, 160_000, 210_000, 236_000)),
        projection=Projection(410.0, 438.3, 6.9, 35.0, 160_500, "Bachelor's degree",
                              "5 years or more", "None"),
        activities={"Thinking Creatively": 4.1, "Getting Information": 4.3},
    ),
)

#: All synthetic codes, in the order of :data:`OCCUPATIONS`.
CODES: tuple[str, ...] = tuple(o.code for o in OCCUPATIONS)
#: Has no BLS OEWS or projections row, no work values and no reported titles.
NO_BLS_CODE = "15-2051.00"
#: Its OEWS row has '-' for every annual wage (hourly only).
DASH_WAGE_CODE = "27-1024.00"

# -------------------------------------------------------------------------------------------
# Building the rows
# -------------------------------------------------------------------------------------------

Row = list[str]

_SKILL_IDS = {name: eid for eid, name, _ in SKILLS}
_KNOWLEDGE_IDS = {name: eid for eid, name, _ in KNOWLEDGE}


def _f(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def _rng(*key: object) -> random.Random:
    return random.Random("|".join(map(str, key)))


def _task_ids() -> dict[tuple[str, str], int]:
    ids: dict[tuple[str, str], int] = {}
    next_id = 90001
    for occ in OCCUPATIONS:  # stable ids whatever subset is written
        for text in (*occ.core_tasks, *occ.supplemental_tasks, *occ.unrated_tasks):
            ids[(occ.code, text)] = next_id
            next_id += 1
    return ids


def _rated_rows(occ: SynthOccupation, elements: Sequence[tuple[str, str, str]],
                highs: Mapping[str, float], date: str, source: str) -> list[Row]:
    """IM and LV rows for every element (like the real files), with our chosen highs."""
    rows = []
    for eid, name, _ in elements:
        rng = _rng(occ.code, eid)
        imp = highs.get(name)
        if imp is None or imp == 0:
            imp = round(rng.uniform(1.2, 2.8), 2)
        level = min(7.0, round(imp * 1.2 + rng.uniform(-0.3, 0.3), 2))
        n = "8"
        suppress = "Y" if (occ.code, name) == ("47-2031.00", "Science") else "N"
        not_relevant = "Y" if level < 1.5 else "N"
        for scale, value, nr in (("IM", imp, "n/a"), ("LV", level, not_relevant)):
            se = _f(rng.uniform(0.0, 0.3), 4)
            rows.append([occ.code, eid, name, scale, _f(value), n, se,
                         _f(max(0.0, value - 0.4), 4), _f(value + 0.4, 4), suppress, nr, date,
                         source])
    return rows


def _build(occs: Sequence[SynthOccupation]) -> dict[str, list[Row]]:
    codes = {o.code for o in occs}
    occs = sorted(occs, key=lambda o: o.code)  # the real files are sorted by code
    task_ids = _task_ids()
    t: dict[str, list[Row]] = {name: [] for name in ALL_FILES}

    for occ in occs:
        c = occ.code
        t["Occupation Data.txt"].append([c, occ.title, occ.description])
        for text in occ.core_tasks:
            t["Task Statements.txt"].append([c, str(task_ids[(c, text)]), text, "Core", "42",
                                             "08/2025", "Incumbent"])
        for text in occ.supplemental_tasks:
            t["Task Statements.txt"].append([c, str(task_ids[(c, text)]), text, "Supplemental",
                                             "37", "08/2025", "Incumbent"])
        for text in occ.unrated_tasks:
            t["Task Statements.txt"].append([c, str(task_ids[(c, text)]), text, "n/a", "n/a",
                                             "08/2025", "Analyst"])
        # Task ratings: core tasks rise in importance through the release order (so ordering
        # by importance reverses them) and supplemental tasks are rated above every core
        # task (so core-before-supplemental is really tested). Unrated tasks have no rows.
        tasks = [(x, "core") for x in occ.core_tasks] + \
                [(x, "sup") for x in occ.supplemental_tasks]
        for i, (text, kind) in enumerate(tasks):
            tid = str(task_ids[(c, text)])
            imp = 3.6 + 0.2 * i if kind == "core" else 4.9
            for cat, share in ((5, 60.0), (6, 40.0)):
                t["Task Ratings.txt"].append([c, tid, "FT", str(cat), _f(share), "40", "5.0000",
                                              "n/a", "n/a", "N", "08/2025", "Incumbent"])
            t["Task Ratings.txt"].append([c, tid, "IM", "n/a", _f(imp), "40", "0.1000",
                                          _f(imp - 0.2, 4), _f(imp + 0.2, 4), "N", "08/2025",
                                          "Incumbent"])
        for title in occ.alternate_titles:
            short = "RN" if title == "Registered Nurse (RN)" else \
                "CPA" if title.endswith("(CPA)") else "n/a"
            t["Alternate Titles.txt"].append([c, title, short, "08"])
        for title, shown in occ.reported_titles:
            t["Sample of Reported Titles.txt"].append([c, title, shown])
        for (eid, name, _), value in zip(RIASEC, occ.riasec, strict=True):
            t["Interests.txt"].append([c, eid, name, "OI", _f(value), "02/2026",
                                       "Machine Learning/Expert"])
        for (eid, name), hp in zip(INTEREST_HIGH_POINTS, occ.interest_high_points, strict=True):
            t["Interests.txt"].append([c, eid, name, "IH", _f(hp), "02/2026",
                                       "Machine Learning/Expert"])
        if occ.values is not None:
            for (eid, name, _), value in zip(WORK_VALUES, occ.values, strict=True):
                t["Work Values.txt"].append([c, eid, name, "EX", _f(value), "06/2008",
                                             "Analyst"])
            for (eid, name), hp in zip(VALUE_HIGH_POINTS, occ.value_high_points, strict=True):
                t["Work Values.txt"].append([c, eid, name, "VH", _f(hp), "06/2008", "Analyst"])
        for eid, name, _ in WORK_STYLES:
            rng = _rng(occ.code, eid)
            if name in occ.styles:
                impact = 2.9 - 0.3 * occ.styles.index(name)
                distinct = 10.0 - occ.styles.index(name)
            else:
                impact = round(rng.uniform(-0.5, 1.5), 2)
                distinct = float(rng.randint(0, 5))
            t["Work Styles.txt"].append([c, eid, name, "DR", _f(distinct), "12/2025",
                                         "AI/Expert"])
            t["Work Styles.txt"].append([c, eid, name, "WI", _f(impact), "12/2025",
                                         "AI/Expert"])
        t["Skills.txt"] += _rated_rows(occ, SKILLS, occ.skills, "08/2025", "Analyst")
        t["Knowledge.txt"] += _rated_rows(occ, KNOWLEDGE, occ.knowledge, "08/2025",
                                          "Incumbent")
        t["Abilities.txt"] += _rated_rows(occ, ABILITIES, {}, "08/2025", "Analyst")
        t["Work Activities.txt"] += _rated_rows(occ, WORK_ACTIVITIES, occ.activities,
                                                "08/2025", "Incumbent")
        for eid, name, _, scale in WORK_CONTEXT:
            rng = _rng(occ.code, eid)
            top = 5 if scale == "CX" else 3
            mean = round(rng.uniform(1.0, float(top)), 2)
            t["Work Context.txt"].append([c, eid, name, scale, "n/a", _f(mean), "20", "0.2000",
                                          _f(mean - 0.4, 4), _f(mean + 0.4, 4), "N", "n/a",
                                          "08/2025", "Incumbent"])
            for cat in range(1, top + 1):
                t["Work Context.txt"].append([c, eid, name, f"{scale}P", str(cat),
                                              _f(100.0 / top), "20", "5.0000", "n/a", "n/a",
                                              "N", "n/a", "08/2025", "Incumbent"])
        t["Job Zones.txt"].append([c, str(occ.job_zone), "08/2025", "Analyst"])
        for scale, top in zip(EDUCATION_ELEMENTS, occ.education, strict=True):
            eid, ename, _ = EDUCATION_ELEMENTS[scale]
            n_cats = len(EDUCATION_CATEGORIES[scale])
            for cat in range(1, n_cats + 1):
                share = 55.0 if cat == top else 30.0 if cat == top + 1 else \
                    15.0 if cat == top - 1 else 0.0
                if top == n_cats and cat == top - 1:
                    share = 45.0
                t["Education, Training, and Experience.txt"].append(
                    [c, eid, ename, scale, str(cat), _f(share), "26", "n/a", "n/a", "n/a", "N",
                     "08/2025", "Occupational Expert"])
        for i, (example, commodity, hot, demand) in enumerate(occ.technology):
            t["Technology Skills.txt"].append([c, example, str(43230000 + 17 * i + len(example)),
                                               commodity, hot, demand])
        for i, tool in enumerate(occ.tools):
            t["Tools Used.txt"].append([c, tool, str(41110000 + 13 * i + len(tool)),
                                        tool.rstrip("s").capitalize()])
        related = [r for r in occ.related if r in codes]
        for rank, rel in enumerate(related, start=1):
            tier = "Primary-Short" if rank <= 1 else "Primary-Long" if rank <= 2 else \
                "Supplemental"
            t["Related Occupations.txt"].append([c, rel, tier, str(rank)])
        t["All_Job_Families.csv"].append([c, occ.title, occ.family])

    # Reference tables
    elements: list[tuple[str, str, str]] = [
        *RIASEC, *WORK_VALUES, *WORK_STYLES, *SKILLS, *KNOWLEDGE, *ABILITIES, *WORK_ACTIVITIES,
        *[(e, n, d) for e, n, d, _ in WORK_CONTEXT],
        *[(e, n, d) for e, n, d in EDUCATION_ELEMENTS.values()],
    ]
    t["Content Model Reference.txt"] = [[e, n, d] for e, n, d in elements]
    t["Job Zone Reference.txt"] = [[str(z), *rest] for z, *rest in JOB_ZONES]
    for scale, labels in EDUCATION_CATEGORIES.items():
        eid, ename, _ = EDUCATION_ELEMENTS[scale]
        for cat, label in enumerate(labels, start=1):
            t["Education, Training, and Experience Categories.txt"].append(
                [eid, ename, scale, str(cat), label])
    for eid, name, _ in RIASEC:
        for kind, activity in RIASEC_ACTIVITIES[name]:
            t["Interests Illustrative Activities.txt"].append([eid, name, kind, activity])
        for word, kind in RIASEC_KEYWORDS[name]:
            t["RIASEC Keywords.txt"].append([eid, name, word, kind])

    # BLS: a national total, the major groups, then the detailed rows
    oews = t["oews_national_may2025.tsv"]
    total = sum(o.wages.employment for o in occs if o.wages is not None)
    oews.append(["00-0000", "All Occupations", "0", str(total), "0.1", "33.10", "68850", "0.1",
                 "14.90", "17.90", "24.30", "38.40", "61.20", "31000", "37200", "50500",
                 "79900", "127300", "", "", "", ""])
    for major in sorted({o.code[:2] for o in occs}):
        emp = sum(o.wages.employment for o in occs if o.code[:2] == major and o.wages)
        oews.append([f"{major}-0000", MAJOR_GROUPS[major], "0", str(emp), "0.3", "40.00",
                     "83200", "0.3", "18.00", "24.00", "33.00", "48.00", "66.00", "37440",
                     "49920", "68640", "99840", "137280", "", "", "", ""])
    for occ in occs:
        w = occ.wages
        if w is None:
            continue
        soc = occ.code[:7]
        hourly = [_f(h) for h in w.hourly]
        hourly_mean = _f(sum(w.hourly) / 5)
        if w.annual is None:
            annual, annual_mean, foot = ["-"] * 5, "-", "4"
        else:
            annual = [str(a) for a in w.annual]
            annual_mean, foot = str(round(sum(w.annual) / 5)), ""
        oews.append([soc, occ.title, "3", str(w.employment), "0.8", hourly_mean, annual_mean,
                     "0.4", *hourly, *annual, "10.5", "1.00", foot, ""])
    for occ in occs:
        p = occ.projection
        if p is None:
            continue
        t["employment_projections_2024_34.tsv"].append(
            [occ.code[:7], occ.title.lower().capitalize(), _f(p.employment_2024, 1),
             _f(p.employment_2034, 1), _f(p.change_pct, 1), _f(p.openings, 1),
             str(p.median_wage), p.education, p.experience, p.training])
    return t


# -------------------------------------------------------------------------------------------
# Writing
# -------------------------------------------------------------------------------------------


def _path_in(root: Path, name: str) -> Path:
    if name in ONET_FILES:
        return root / "onet" / ONET_DIRNAME / name
    if name in EXTRA_FILES:
        return root / "onet" / name
    return root / "bls" / name


def _check_names(what: str, names: Iterable[str]) -> None:
    unknown = sorted(set(names) - set(ALL_FILES))
    if unknown:
        raise ValueError(f"{what} names unknown file(s) {unknown}; known: {sorted(ALL_FILES)}")


def _encode(name: str, header: Row, rows: list[Row]) -> bytes:
    if name.endswith(".csv"):
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buf.getvalue().encode("utf-8")
    for row in rows:
        assert len(row) == len(header), (name, row)
        assert not any("\t" in cell or "\n" in cell for cell in row), (name, row)
    newline = "\r\n" if name in ONET_FILES else "\n"
    lines = ["\t".join(header), *("\t".join(row) for row in rows)]
    return (newline.join(lines) + newline).encode("utf-8")


def write_release(root: Path, *, omit: Iterable[str] = (),
                  drop_columns: Mapping[str, Iterable[str]] | None = None,
                  rename_columns: Mapping[str, Mapping[str, str]] | None = None,
                  n_occupations: int = 12) -> Path:
    """Write the synthetic release under ``root`` (the data home) and return ``root``.

    Parameters
    ----------
    root
        The data folder to create: ``onet/db_30_2_text/*.txt``, ``onet/All_Job_Families.csv``
        and ``bls/*.tsv`` are written inside it.
    omit
        File names to leave out, e.g. ``{"Work Values.txt"}``.
    drop_columns
        File name -> column names to remove (header and cells), for format-error tests.
    rename_columns
        File name -> {old column name: new name}, for format-error tests.
    n_occupations
        Write only the first ``n`` occupations of :data:`OCCUPATIONS` (1-12).
    """
    root = Path(root)
    omit = set(omit)
    drop = {k: set(v) for k, v in (drop_columns or {}).items()}
    rename = {k: dict(v) for k, v in (rename_columns or {}).items()}
    _check_names("omit", omit)
    _check_names("drop_columns", drop)
    _check_names("rename_columns", rename)
    if not 1 <= n_occupations <= len(OCCUPATIONS):
        raise ValueError(f"n_occupations must be 1-{len(OCCUPATIONS)}, got {n_occupations}")
    tables = _build(OCCUPATIONS[:n_occupations])
    headers = {**ONET_FILES, **EXTRA_FILES, **BLS_FILES}
    for name in ALL_FILES:
        if name in omit:
            continue
        header = list(headers[name])
        rows = [list(r) for r in tables[name]]
        for col in drop.get(name, ()):
            if col not in header:
                raise ValueError(f"'{name}' has no column {col!r} to drop")
            i = header.index(col)
            del header[i]
            for row in rows:
                del row[i]
        for old, new in rename.get(name, {}).items():
            if old not in header:
                raise ValueError(f"'{name}' has no column {old!r} to rename")
            header[header.index(old)] = new
        path = _path_in(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encode(name, header, rows))
    return root


def write_release_zip(root: Path, **kwargs: object) -> Path:
    """Like :func:`write_release`, but the O*NET files are in the official zip layout.

    Writes ``<root>/onet/db_30_2_text.zip`` (members under a top folder ``db_30_2_text/``)
    instead of the unpacked folder; the job family CSV and the BLS tables are written as
    files, as in a real download. Returns ``root``.
    """
    root = Path(root)
    write_release(root, **kwargs)  # type: ignore[arg-type]
    folder = root / "onet" / ONET_DIRNAME
    zpath = root / "onet" / f"{ONET_DIRNAME}.zip"
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{ONET_DIRNAME}/", b"")
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                zf.write(path, f"{ONET_DIRNAME}/{path.name}")
    shutil.rmtree(folder, ignore_errors=True)
    return root
