"""How long writing starter steps takes: every occupation of the catalog, written by a new
writer (its facts, the step rules included, compiled once for the catalog beforehand), then
again from what it keeps, and for the labelled rubric pairs with their matched tasks.

The baseline, measured in the same run, is reading each occupation's own catalog rows (tasks,
skills, knowledge, technology, titles): the floor any per-occupation step writing pays.

Run: PASSIONFINDER_DATA=../shared/data python benchmarks/bench_steps.py
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

import passionfinder as pf
from passionfinder._step_rules import StepRules
from passionfinder._steps import StepWriter

ROOT = Path(__file__).resolve().parents[1]


def seconds(run) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        catalog = pf.load_catalog()
    codes = list(catalog.occupations.index)
    n = len(codes)

    def read_rows() -> None:
        for code in codes:
            for table in ("tasks", "skills", "knowledge", "technology_skills",
                          "reported_titles", "alternate_titles"):
                catalog._rows(table, code)

    read_rows()  # the first call builds the row slices
    baseline = seconds(read_rows)

    rules = StepRules(catalog)
    rules_time = seconds(lambda: [rules.of(code) for code in codes])

    writer = StepWriter(catalog)
    facts_time = seconds(lambda: writer.facts)  # shared per-occupation facts, once
    fresh = seconds(lambda: [writer.steps(row) for row in range(n)])
    kept = seconds(lambda: [writer.steps(row) for row in range(n)])

    pairs = [json.loads(line) for line in
             (ROOT / "data" / "steps_rubric.jsonl").read_text().splitlines()]
    tasks = catalog.tasks
    text = {} if tasks is None else dict(zip(
        zip(tasks["onet_soc_code"], tasks["task_id"].astype(int), strict=True),
        tasks["task"], strict=True))
    row = {code: i for i, code in enumerate(codes)}
    pair_writer = StepWriter(catalog)
    _ = pair_writer.facts

    def write_pairs() -> None:
        for p in pairs:
            task = None if p["matched_task_id"] is None else text.get(
                (p["onet_soc_code"], p["matched_task_id"]))
            pair_writer.steps(row[p["onet_soc_code"]], matched_task=task,
                              strengths_given=p["strengths_given"])

    pairs_time = seconds(write_pairs)

    print(f"occupations: {n}; rubric pairs: {len(pairs)}")
    print(f"baseline, reading each occupation's rows: {baseline / n * 1e3:.3f} ms/occupation")
    print(f"step rules (compiled with the facts):     {rules_time / n * 1e3:.3f} ms/occupation "
          f"({rules_time / baseline:.1f}x baseline)")
    print(f"shared facts (all occupations, once):     {facts_time:.2f} s")
    print(f"six steps, new writer:                    {fresh / n * 1e3:.3f} ms/occupation "
          f"({fresh / baseline:.1f}x baseline)")
    print(f"six steps, kept:                          {kept / n * 1e6:.1f} us/occupation "
          f"({kept / baseline:.2f}x baseline)")
    print(f"rubric pairs, new writer:                 {pairs_time / len(pairs) * 1e3:.3f} "
          f"ms/pair")


if __name__ == "__main__":
    main()
