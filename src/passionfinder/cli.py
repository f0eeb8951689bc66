"""The ``passionfinder`` command: a thin shell over the library (the only module that prints).

Exit codes: 0 success (``score`` included, when some rows have errors: they are in the output
and counted in the summary); 1 a passionfinder error or a file that cannot be read or written
(message on stderr); 2 bad usage (arguments, column names, options out of range).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from passionfinder import Recommendations

__all__ = ["main", "run"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _add_ranking_options(parser: argparse.ArgumentParser, k_help: str) -> None:
    parser.add_argument("-k", type=int, default=5, help=k_help)
    parser.add_argument("--value-weight", type=float, default=None,
                        help="weight of the values in the score, 0-1 (default 0.3)")


def _add_constraint_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "constraints", "which occupations to consider at all (applied before ranking; an "
        "occupation with no data on a filtered field is left out)")
    group.add_argument("--min-job-zone", type=int, metavar="N",
                       help="least O*NET job zone (preparation), 1-5")
    group.add_argument("--max-job-zone", type=int, metavar="N",
                       help="most O*NET job zone (preparation), 1-5")
    group.add_argument("--max-education", metavar="LEVEL",
                       help="most BLS typical entry education, e.g. 'associate', 'bachelor'")
    group.add_argument("--min-wage", type=float, metavar="USD",
                       help="least annual median wage (BLS), e.g. 45000")
    group.add_argument("--min-growth", type=float, metavar="PCT",
                       help="least projected employment growth 2024-34, in percent")
    group.add_argument("--family", action="append", metavar="NAME",
                       help="only this job family or SOC major group (repeatable), "
                            "e.g. 'Healthcare'")
    group.add_argument("--exclude-family", action="append", metavar="NAME",
                       help="never this job family (repeatable), e.g. 'Management'")
    group.add_argument("--code", action="append", metavar="CODE",
                       help="only this O*NET-SOC code (repeatable)")
    group.add_argument("--exclude-code", action="append", metavar="CODE",
                       help="never this O*NET-SOC code (repeatable)")


def _constraints(args: argparse.Namespace) -> Any:
    """The constraint flags as Constraints (checked before the model loads)."""
    from passionfinder import Constraints

    return Constraints(
        min_job_zone=args.min_job_zone, max_job_zone=args.max_job_zone,
        max_education=args.max_education, min_wage=args.min_wage, min_growth=args.min_growth,
        families=args.family, exclude_families=args.exclude_family, codes=args.code,
        exclude_codes=args.exclude_code)


def _add_feedback_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--like", action="append", metavar="OCCUPATION",
                        help="an O*NET-SOC code or title liked in an earlier list: more like "
                             "it (repeatable)")
    parser.add_argument("--dislike", action="append", metavar="OCCUPATION",
                        help="a code or title disliked: less like it, and left out "
                             "(repeatable)")


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    """--interests, --strengths and --values: one person's profile."""
    parser.add_argument("--interests", help="what the person enjoys, in their own words")
    parser.add_argument("--strengths", help="what they are good at, comma-separated")
    parser.add_argument("--values", help="what matters to them: names from `passionfinder "
                        "values` (comma-separated) or free text")


def _add_precision_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--precision", choices=("int8", "fp32"), default="int8",
                        help="model precision: int8 (default, faster) or fp32 (the same lists "
                             "on every CPU family, for reproducible research runs; see "
                             "docs/reliability.md)")


def _check_ranking_options(args: argparse.Namespace, command: str) -> None:
    """-k and --value-weight, checked before the model loads (the finder checks k's upper
    bound, the number of occupations)."""
    from passionfinder._finder import _check_fraction, check_ranking

    check_ranking(args.k, None, None, f"passionfinder {command} (-k)")
    if args.value_weight is not None:
        _check_fraction("value_weight", args.value_weight,
                        f"passionfinder {command} (--value-weight)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="passionfinder",
        description="Find work you can be passionate about: match interests, strengths and "
                    "values to O*NET occupations.")
    parser.add_argument("--data-home", help="folder with the O*NET release and BLS tables "
                        "(default: $PASSIONFINDER_DATA, then the per-user data folder)")
    parser.add_argument("--cache-home", help="folder for compiled caches "
                        "(default: $PASSIONFINDER_CACHE, then the per-user cache folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rec = commands.add_parser("recommend", help="suggest occupations for one person",
                              description="Suggest occupations for one person.")
    _add_profile_options(rec)
    _add_ranking_options(rec, "how many suggestions (default 5)")
    _add_precision_option(rec)
    rec.add_argument("--json", action="store_true", help="print JSON instead of a report")
    _add_feedback_options(rec)
    _add_constraint_options(rec)

    why = commands.add_parser(
        "explain", help="why an occupation stands where it does for one person",
        description="Explain one occupation for one person: its rank, the parts of its "
                    "score, the closest evidence and what holds it back. Two occupations "
                    "are shown side by side.")
    why.add_argument("occupation", nargs="+",
                     help="an O*NET-SOC code or title (two to compare them)")
    _add_profile_options(why)
    _add_ranking_options(why, "the length of the list it is explained against (default 5)")
    _add_precision_option(why)
    why.add_argument("--json", action="store_true", help="print JSON instead of a report")
    _add_feedback_options(why)
    _add_constraint_options(why)

    score = commands.add_parser(
        "score", help="score a CSV or Parquet file of survey answers",
        description="Score a CSV or Parquet file of survey answers: one output row per "
                    "respondent and rank. Rows that are empty or unreadable get a status and a "
                    "message, never dropped.")
    score.add_argument("source", help="the survey file (.csv or .parquet)")
    score.add_argument("-o", "--output", required=True,
                       help="where to write the results (.csv or .parquet)")
    score.add_argument("--interests-col", help="column with what each person enjoys")
    score.add_argument("--strengths-col", help="column with what each person is good at")
    score.add_argument("--values-col", help="column with what matters to each person")
    score.add_argument("--id-col", help="column identifying each respondent "
                       "(default: the row number)")
    _add_ranking_options(score, "suggestions per respondent (default 5)")
    _add_constraint_options(score)
    _add_precision_option(score)
    score.add_argument("--chunk-size", type=int, default=2000,
                       help="rows scored per chunk (default 2000)")
    score.add_argument("--resume", action="store_true",
                       help="keep the chunks an interrupted run already finished")
    score.add_argument("--no-csv-escape", dest="csv_escape", action="store_false",
                       help="write the text cells of a CSV output as they are (default: a cell "
                            "starting with = + - @ or a tab or line break gets a leading ', so "
                            "that spreadsheets do not run it as a formula)")
    progress = score.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="always show a progress bar (default: when on a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help="never show a progress bar")

    cls = commands.add_parser("classify", help="code job titles or work descriptions to "
                              "O*NET-SOC occupations",
                              description="Code job titles or descriptions of work to "
                                          "O*NET-SOC occupations.")
    cls.add_argument("texts", nargs="+", help="job titles or sentences about work")
    cls.add_argument("-k", type=int, default=3, help="candidates per text (default 3)")
    cls.add_argument("--min-confidence", type=float, default=None,
                     help="mark texts whose best match is less confident than this (0-1) as "
                          "not codable")
    cls.add_argument("--json", action="store_true", help="print JSON")
    _add_precision_option(cls)

    vals = commands.add_parser("values", help="list the value vocabulary",
                               description="List the value vocabulary and its data sources.")
    vals.add_argument("--json", action="store_true", help="print JSON")

    prep = commands.add_parser(
        "prepare", help="export the model and build the embedding index ahead of time",
        description="Export the model and build the embedding index of the catalog now, into "
                    "the cache folder, so the first recommendation is fast. For Docker images, "
                    "servers and CI caches; about 1-2 minutes on 2 cores.")
    _add_precision_option(prep)
    prep_progress = prep.add_mutually_exclusive_group()
    prep_progress.add_argument("--progress", dest="progress", action="store_true", default=True,
                               help="show a progress bar (the default)")
    prep_progress.add_argument("--no-progress", dest="progress", action="store_false",
                               help="no progress bar")

    data = commands.add_parser("data", help="download, build or inspect the O*NET data",
                               description="Download or inspect the O*NET data.")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    download = data_commands.add_parser(
        "download", help="download the official O*NET 30.2 text release into the data folder",
        description="Download the official O*NET 30.2 text release into the data folder.")
    download.add_argument("--force", action="store_true", help="download again even if present")
    data_commands.add_parser("info", help="release, source, paths, coverage and attribution",
                             description="Show the release, the source in use (the bundled "
                                         "catalog or a data folder), paths, coverage and "
                                         "attribution.")
    build = data_commands.add_parser(
        "build", help="build a catalog from the official O*NET and BLS downloads",
        description="Build a catalog from the official downloads, as published: the O*NET "
                    "text zip, BLS's OEWS national zip (or its national_M*_dl.xlsx) and the "
                    "Employment Projections occupation.xlsx. passionfinder uses it when it is "
                    "in the data folder's catalog/ subfolder (the default output) or when "
                    "--data-home / PASSIONFINDER_DATA names it.")
    build.add_argument("--onet", required=True,
                       help="the O*NET text release: db_30_2_text.zip or its unpacked folder")
    build.add_argument("--oews", help="BLS OEWS national data: oesm25nat.zip or "
                       "national_M2025_dl.xlsx (without it: no wages)")
    build.add_argument("--projections", help="BLS Employment Projections occupation.xlsx "
                       "(without it: no growth, openings or entry education)")
    build.add_argument("--job-families", help="O*NET All_Job_Families.csv (optional)")
    build.add_argument("-o", "--output", help="folder to write the catalog into "
                       "(default: catalog/ in the data folder)")

    cache = commands.add_parser("cache", help="show or prune the cache folder",
                                description="Show what the cache folder holds, or remove what "
                                            "this version of passionfinder no longer uses.")
    cache_commands = cache.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    cache_info = cache_commands.add_parser(
        "info", help="each cache folder, its size and whether it is in use",
        description="List each cache folder with its size and status: 'in use' (read by a "
                    "finder on the current data folder), 'kept' (still readable by this "
                    "version: another data folder, model or precision) or 'stale' (never "
                    "read again; removed by `passionfinder cache prune`).")
    cache_info.add_argument("--json", action="store_true", help="print JSON")
    prune = cache_commands.add_parser(
        "prune", help="remove the stale cache folders",
        description="Remove the cache folders this version of passionfinder no longer uses "
                    "(older formats, catalogs whose data changed, older model exports, "
                    "leftovers of interrupted builds).")
    prune.add_argument("--dry-run", action="store_true",
                       help="only list what would be removed")
    return parser


def _recommend(args: argparse.Namespace) -> int:
    import passionfinder as pf

    profile = pf.Profile(interests=args.interests, strengths=args.strengths,
                         values=args.values)
    _check_ranking_options(args, "recommend")
    where = _constraints(args)
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision)
    recs = finder.recommend(profile, k=args.k, value_weight=args.value_weight, where=where,
                            liked=args.like, disliked=args.dislike)
    if args.json:
        print(json.dumps(recs.to_dict(), indent=2))
        return EXIT_OK
    _print_report(recs)
    return EXIT_OK


def _print_report(recs: Recommendations) -> None:
    """The terminal report: one framed panel per recommendation, in colour on a terminal
    (plain text otherwise, or with NO_COLOR set; see passionfinder/_terminal.py)."""
    from passionfinder._terminal import panel, styles_for, terminal_width, wrap

    out = sys.stdout
    style, width = styles_for(out), terminal_width(out)
    lines = [style(line, "bold") for text in recs._profile_lines() for line in wrap(text, width)]
    for rec in recs:
        body: list[tuple[int, list[tuple[str, tuple[str, ...]]]]] = []
        if rec.evidence:
            body.append((0, [("Why it fits", ("bold",))]))
            body += [(2, [(f"your {ev.field} ~ {ev.kind}: ", ()), (f"“{ev.text}”", ("italic",)),
                          (f" ({ev.similarity:.2f})", ())]) for ev in rec.evidence]
        if rec.values:
            body.append((0, [("Your values", ("bold",))]))
            body += [(2, [(f"{vc.value}: {vc.detail}", ())]) for vc in rec.values]
        if rec.starter_steps:
            body.append((0, [("Starter steps", ("bold",))]))
            body += [(2, [(f"{step.kind.capitalize()}: ", ("cyan",)), (step.text, ())])
                     for step in rec.starter_steps]
        values = "" if rec.value_score is None else f", values {rec.value_score:.2f}"
        title = [(f"{rec.rank}. {rec.title}", ("bold", "green")),
                 (f"  {rec.onet_soc_code}  score {rec.score:.2f} "
                  f"(match {rec.match_score:.2f}{values})", ())]
        lines += panel(title, body, width, style)
    lines.append("")
    lines += [style(line, "dim") for line in wrap(recs.attribution, width)]
    out.write("\n".join(lines) + "\n")


def _explain(args: argparse.Namespace) -> int:
    import passionfinder as pf

    if len(args.occupation) > 2:
        raise pf.InvalidInputError("passionfinder explain takes one occupation, or two to "
                                   f"compare. Got {len(args.occupation)}.")
    profile = pf.Profile(interests=args.interests, strengths=args.strengths,
                         values=args.values)
    _check_ranking_options(args, "explain")
    where = _constraints(args)
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision)
    options = {"value_weight": args.value_weight, "where": where, "liked": args.like,
               "disliked": args.dislike}
    if len(args.occupation) == 2:
        first, second = args.occupation
        both = finder.compare(profile, first, second, k=args.k, **options)
        if args.json:
            print(json.dumps([both.first.to_dict(), both.second.to_dict()], indent=2))
        else:
            print(both.report())
        return EXIT_OK
    why = finder.explain(profile, args.occupation[0], k=args.k, **options)
    assert not isinstance(why, list)
    print(json.dumps(why.to_dict(), indent=2) if args.json else why.report())
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    import passionfinder as pf
    from passionfinder._batch import check_files

    # files and columns first: a typo should not wait for the model to load
    check_files(args.source, args.output, "passionfinder score", interests=args.interests_col,
                strengths=args.strengths_col, values=args.values_col, id=args.id_col)
    _check_ranking_options(args, "score")
    where = _constraints(args)
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision)
    summary = finder.score_file(
        args.source, args.output, interests=args.interests_col, strengths=args.strengths_col,
        values=args.values_col, id=args.id_col, k=args.k, value_weight=args.value_weight,
        chunk_size=args.chunk_size, resume=args.resume, csv_escape=args.csv_escape,
        show_progress=args.progress, where=where)
    print(summary)
    return EXIT_OK


def _classify(args: argparse.Namespace) -> int:
    import passionfinder as pf

    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision)
    results = finder.classify(list(args.texts), k=args.k, min_confidence=args.min_confidence)
    if args.json:
        print(json.dumps([{"query": c.query, "codable": c.codable,
                           "matches": [m.__dict__ for m in c.matches]}
                          for c in results], indent=2))
        return EXIT_OK
    for c in results:
        print(c.query if c.codable else f"{c.query}  (not codable: best confidence "
                                        f"{c.confidence:.0%})")
        for m in c.matches:
            print(f"   {m.onet_soc_code}  {m.title}  (confidence {m.confidence:.0%}, score "
                  f"{m.score:.2f}; matched \"{m.matched}\")")
    return EXIT_OK


def _prepare(args: argparse.Namespace) -> int:
    import time

    import passionfinder as pf
    from passionfinder._config import get_cache_home

    start = time.perf_counter()
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home,
                              precision=args.precision, show_progress=args.progress)
    print(f"Prepared {finder!r} in {time.perf_counter() - start:.0f} s; cache: "
          f"{get_cache_home(args.cache_home)}")
    return EXIT_OK


def _values(args: argparse.Namespace) -> int:
    import passionfinder as pf

    table = pf.VALUES
    if args.json:
        print(json.dumps(table.reset_index().to_dict(orient="records"), indent=2))
        return EXIT_OK
    for name, row in table.iterrows():
        print(f"{name}\n   {row['description']}\n   aliases: {row['aliases']}\n"
              f"   data: {row['sources']}")
    return EXIT_OK


def _data(args: argparse.Namespace) -> int:
    import passionfinder as pf
    from passionfinder._bundle import BUNDLE_SOURCE, bundle_location
    from passionfinder._config import get_cache_home, get_data_home

    if args.data_command == "download":
        folder = pf.fetch_onet(args.data_home, force=args.force)
        print(f"O*NET 30.2 release ready in {folder}")
        return EXIT_OK
    if args.data_command == "build":
        return _data_build(args)
    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    info: dict[str, Any] = {
        "release": catalog.release, "source": catalog.source,
        "data_home": str(get_data_home(args.data_home)),
        "cache_home": str(get_cache_home(args.cache_home)), "occupations": len(catalog),
        "absent_files": [name for name, _ in catalog.missing],
    }
    if catalog.source == BUNDLE_SOURCE:  # where the data folder would be, and the bundle
        info["data_home"] += " (holds no data: the bundled catalog is used)"
        info["bundle"] = str(bundle_location())
    for key, value in info.items():
        print(f"{key}: {value}")
    print("\ncoverage (occupations with each part):")
    print(catalog.coverage().to_string())
    print(f"\n{catalog.attribution}")
    return EXIT_OK


def _data_build(args: argparse.Namespace) -> int:
    import passionfinder as pf
    from passionfinder._config import get_data_home
    from passionfinder._official import build_catalog

    output = args.output or get_data_home(args.data_home) / "catalog"
    manifest = build_catalog(args.onet, output, oews=args.oews, projections=args.projections,
                             job_families=args.job_families)
    catalog = pf.load_catalog(output)
    print(f"Catalog of {len(catalog)} occupations written to {output}")
    for source in manifest["versions"].values():
        print(f"  {source}")
    coverage = catalog.coverage()["share"]
    print(f"  with wages: {coverage['wage_median']:.0%}, with growth: {coverage['growth_pct']:.0%}")
    for name, disables in manifest["absent_files"]:
        print(f"  absent: {name} ({disables})")
    if args.output is not None:
        print(f"Use it with --data-home {output} or PASSIONFINDER_DATA={output}")
    return EXIT_OK


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _cache(args: argparse.Namespace) -> int:
    from passionfinder._config import get_cache_home
    from passionfinder._housekeeping import cache_entries, prune_cache

    root = get_cache_home(args.cache_home)
    if args.cache_command == "info":
        entries = cache_entries(args.cache_home, args.data_home)
        if args.json:
            print(json.dumps({"cache_home": str(root),
                              "entries": [e.to_dict() for e in entries]}, indent=2))
            return EXIT_OK
        print(f"cache_home: {root}")
        for e in entries:
            print(f"  {e.status:<7} {e.kind:<8} {_megabytes(e.size):>10}  "
                  f"{e.path.relative_to(root)}  ({e.reason})")
        for status in ("in use", "kept", "stale"):
            chosen = [e.size for e in entries if e.status == status]
            print(f"{status}: {len(chosen)} folder(s), {_megabytes(sum(chosen))}")
        return EXIT_OK
    stale = prune_cache(args.cache_home, args.data_home, dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    for e in stale:
        print(f"{verb} {e.path.relative_to(root)}  {_megabytes(e.size)}  ({e.reason})")
    print(f"{verb} {len(stale)} stale folder(s), {_megabytes(sum(e.size for e in stale))}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(message)s", stream=sys.stderr)
    import warnings

    from passionfinder import (
        InputTypeError,
        InvalidInputError,
        PassionfinderError,
        PassionfinderWarning,
        UnknownValueError,
    )

    handlers = {"recommend": _recommend, "explain": _explain, "score": _score,
                "classify": _classify, "values": _values, "data": _data, "prepare": _prepare,
                "cache": _cache}
    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        print(f"passionfinder: warning: {message}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.simplefilter("default", PassionfinderWarning)
        warnings.showwarning = show
        try:
            return handlers[args.command](args)
        except (PassionfinderError, ValueError, TypeError, KeyError, OSError) as exc:
            print(f"passionfinder: error: {exc}", file=sys.stderr)
            # bad arguments are usage errors; a misspelt value name is an error to fix
            usage = isinstance(exc, (InvalidInputError, InputTypeError, KeyError)) and not (
                isinstance(exc, UnknownValueError))  # KeyError: a column the file lacks
            return (EXIT_ERROR if isinstance(exc, (PassionfinderError, OSError)) and not usage
                    else EXIT_USAGE)


def run() -> NoReturn:
    """The ``passionfinder`` command (the console entry point): :func:`main`, then the process
    ends at once with its exit code.

    Output is flushed and logging shut down first, and every command has finished its writes
    by then (files are closed, caches written whole), so nothing is lost; what is skipped is
    the interpreter's teardown (freeing the model session, the index mapping and every
    module), 50-100 ms of a command that answers in half a second.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (``| head``): nothing more can be said
        code = code or EXIT_ERROR
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
