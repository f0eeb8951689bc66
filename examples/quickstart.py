"""Recommend occupations for three people and print why, end to end on the real O*NET data.

Run with `bash scripts/demo.sh` (sets everything up), or `python examples/quickstart.py` in an
environment where passionfinder is installed: it uses the bundled catalog, or the data folder in
PASSIONFINDER_DATA when that is set.
"""

import logging

import passionfinder as pf

logging.basicConfig(level=logging.INFO, format="%(message)s")

people = {
    "Sam, 19, loves bikes": pf.Profile(
        interests="I love fixing old bikes and being outdoors",
        strengths=["patient", "good with my hands", "calm under pressure"],
        values=["independence", "financial security"],
    ),
    "Priya, 34, career changer": pf.Profile(
        interests="I spend my weekends volunteering at the animal shelter and I read "
                  "everything about biology. At work I like analysing spreadsheets.",
        strengths="good with numbers, careful, I explain things well",
        values="I want to make a difference and never worry about money",
    ),
    "Lee, 52, teacher": pf.Profile(
        interests="Designing posters and websites for my school, photography, drawing",
        values={"creativity": 2, "work-life balance": 1},
    ),
}

finder = pf.PassionFinder()
print(finder)
suggestions = finder.recommend_many(list(people.values()), k=5)
for name, recs in zip(people, suggestions, strict=True):
    print(f"\n=== {name} (interest profile {recs.holland_code}) ===")
    if recs.value_mapping:
        print("values understood as:", ", ".join(f"{m} ({s:.2f})" for m, s in recs.value_mapping))
    for rec in recs:
        values = "none given" if rec.value_score is None else f"{rec.value_score:.2f}"
        print(f"{rec.rank}. {rec.title} [{rec.onet_soc_code}]  score {rec.score:.2f} "
              f"(match {rec.match_score:.2f}, values {values})")
        for ev in rec.evidence[:2]:
            print(f"     why: {ev.field} ~ {ev.kind} \"{ev.text}\" ({ev.similarity:.2f})")
        for vc in rec.values:
            print(f"     {vc.value}: {vc.detail}")

print("\nJob titles coded to O*NET-SOC (calibrated confidence; below 50 %: to manual coding):")
for c in finder.classify(["rn", "driver for lyft", "I repair diesel engines"], k=3,
                         min_confidence=0.5):
    codes = "; ".join(f"{m.title} ({m.confidence:.0%})" for m in c.matches)
    print(f"  {c.query!r}: {codes}{'' if c.codable else '  -> not codable, review by hand'}")
print("\n" + finder.catalog.attribution)
