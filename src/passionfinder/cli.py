"""The ``passionfinder`` command: a thin shell over the library (the only module that prints).

Exit codes: 0 success (``score`` included, when some rows have errors: they are in the output
and counted in the summary); 1 a passionfinder error or a file that cannot be read or written
(message on stderr); 2 bad usage (arguments, column names, options out of range).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passionfinder import Recommendations

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _add_ranking_options(parser: argparse.ArgumentParser, k_help: str) -> None:
    parser.add_argument("-k", type=int, default=5, help=k_help)
    parser.add_argument("--value-weight", type=float, default=None,
                        help="weight of the values in the score, 0-1 (default 0.3)")


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
    rec.add_argument("--interests", help="what the person enjoys, in their own words")
    rec.add_argument("--strengths", help="what they are good at, comma-separated")
    rec.add_argument("--values", help="what matters to them: names from `passionfinder values` "
                     "(comma-separated) or free text")
    _add_ranking_options(rec, "how many suggestions (default 5)")
    rec.add_argument("--json", action="store_true", help="print JSON instead of a report")

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
    score.add_argument("--chunk-size", type=int, default=2000,
                       help="rows scored per chunk (default 2000)")
    score.add_argument("--resume", action="store_true",
                       help="keep the chunks an interrupted run already finished")
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

    vals = commands.add_parser("values", help="list the value vocabulary",
                               description="List the value vocabulary and its data sources.")
    vals.add_argument("--json", action="store_true", help="print JSON")

    data = commands.add_parser("data", help="download or inspect the O*NET data",
                               description="Download or inspect the O*NET data.")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    download = data_commands.add_parser(
        "download", help="download the official O*NET 30.2 text release into the data folder",
        description="Download the official O*NET 30.2 text release into the data folder.")
    download.add_argument("--force", action="store_true", help="download again even if present")
    data_commands.add_parser("info", help="release, paths, coverage and attribution",
                             description="Show the release, paths, coverage and attribution.")
    return parser


def _recommend(args: argparse.Namespace) -> int:
    import passionfinder as pf

    profile = pf.Profile(interests=args.interests, strengths=args.strengths,
                         values=args.values)
    _check_ranking_options(args, "recommend")
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    recs = finder.recommend(profile, k=args.k, value_weight=args.value_weight)
    if args.json:
        print(json.dumps(recs.to_dict(), indent=2))
        return EXIT_OK
    _print_report(recs)
    return EXIT_OK


def _print_report(recs: Recommendations) -> None:
    """The terminal report: rich text (plain when the output is not a terminal)."""
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    console = Console(highlight=False)
    for line in recs._profile_lines():
        console.print(Text(line, style="bold"))
    for rec in recs:
        body: list[Text | Padding] = []

        def item(*parts: str | tuple[str, str]) -> Padding:
            return Padding(Text.assemble(*parts), (0, 0, 0, 2))

        if rec.evidence:
            body.append(Text("Why it fits", style="bold"))
            for ev in rec.evidence:
                body.append(item(f"your {ev.field} ~ {ev.kind}: ", (f"“{ev.text}”", "italic"),
                                 f" ({ev.similarity:.2f})"))
        if rec.values:
            body.append(Text("Your values", style="bold"))
            for vc in rec.values:
                body.append(item(f"{vc.value}: {vc.detail}"))
        if rec.starter_steps:
            body.append(Text("Starter steps", style="bold"))
            for step in rec.starter_steps:
                body.append(item((f"{step.kind.capitalize()}: ", "cyan"), step.text))
        values = "" if rec.value_score is None else f", values {rec.value_score:.2f}"
        title = Text.assemble((f"{rec.rank}. {rec.title}", "bold green"),
                              f"  {rec.onet_soc_code}  score {rec.score:.2f} "
                              f"(match {rec.match_score:.2f}{values})")
        console.print(Panel(Group(*body), title=title, title_align="left", expand=True))
    console.print(Padding(Text(recs.attribution, style="dim"), (1, 0, 0, 0)))


def _score(args: argparse.Namespace) -> int:
    import passionfinder as pf
    from passionfinder._batch import check_files

    # files and columns first: a typo should not wait for the model to load
    check_files(args.source, args.output, "passionfinder score", interests=args.interests_col,
                strengths=args.strengths_col, values=args.values_col, id=args.id_col)
    _check_ranking_options(args, "score")
    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
    summary = finder.score_file(
        args.source, args.output, interests=args.interests_col, strengths=args.strengths_col,
        values=args.values_col, id=args.id_col, k=args.k, value_weight=args.value_weight,
        chunk_size=args.chunk_size, resume=args.resume, show_progress=args.progress)
    print(summary)
    return EXIT_OK


def _classify(args: argparse.Namespace) -> int:
    import passionfinder as pf

    finder = pf.PassionFinder(data_home=args.data_home, cache_home=args.cache_home)
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
    from passionfinder._config import get_cache_home, get_data_home

    if args.data_command == "download":
        folder = pf.fetch_onet(args.data_home, force=args.force)
        print(f"O*NET 30.2 release ready in {folder}")
        return EXIT_OK
    catalog = pf.load_catalog(args.data_home, cache_home=args.cache_home)
    info: dict[str, Any] = {
        "release": catalog.release, "data_home": str(get_data_home(args.data_home)),
        "cache_home": str(get_cache_home(args.cache_home)), "occupations": len(catalog),
        "absent_files": [name for name, _ in catalog.missing],
    }
    for key, value in info.items():
        print(f"{key}: {value}")
    print("\ncoverage (occupations with each part):")
    print(catalog.coverage().to_string())
    print(f"\n{catalog.attribution}")
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

    handlers = {"recommend": _recommend, "score": _score, "classify": _classify,
                "values": _values, "data": _data}
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
