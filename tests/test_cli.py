"""The command line, end to end in subprocesses (fast commands) and in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import among_the_first

from passionfinder.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "passionfinder.cli", *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=300)


def test_help_for_every_command() -> None:
    for args in ([], ["recommend"], ["explain"], ["score"], ["classify"], ["values"], ["data"],
                 ["data", "download"], ["data", "info"], ["data", "build"], ["prepare"]):
        out = run(*args, "--help")
        assert out.returncode == 0, out.stderr
        assert "usage: passionfinder" in out.stdout


def test_values_lists_the_vocabulary() -> None:
    out = run("values", "--json")
    assert out.returncode == 0
    names = [row["name"] for row in json.loads(out.stdout)]
    assert {"creativity", "helping others", "innovation", "financial security"} <= set(names)


def test_data_info_on_a_release(synthetic_home: Path, cache_home: Path) -> None:
    out = run("--data-home", str(synthetic_home), "--cache-home", str(cache_home), "data",
              "info")
    assert out.returncode == 0, out.stderr
    assert "release: 30.2" in out.stdout
    assert f"source: {synthetic_home}" in out.stdout
    assert "occupations: 12" in out.stdout
    assert "This product includes information from the O*NET 30.2 Database" in out.stdout


def test_a_reader_that_goes_away_ends_the_command_quietly(synthetic_home: Path,
                                                          cache_home: Path) -> None:
    """``passionfinder data info | head -0``: the report (smaller than the output buffer) is
    written when the command ends (cli.run), the pipe is gone by then, and the command ends
    with exit code 1 and no traceback, not with Python's noise about a broken pipe."""
    with subprocess.Popen([sys.executable, "-m", "passionfinder.cli", "--data-home",
                           str(synthetic_home), "--cache-home", str(cache_home), "data", "info"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env={k: v for k, v in os.environ.items()
                               if k != "PYTHONUNBUFFERED"}) as proc:  # buffered, as usual
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before the command has written anything
        stderr = proc.stderr.read()
        code = proc.wait(timeout=300)
    assert code == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_missing_data_is_exit_1_with_the_places_searched(tmp_path: Path) -> None:
    out = run("--data-home", str(tmp_path / "nowhere"), "data", "info")
    assert out.returncode == 1
    assert "No O*NET 30.2 release found" in out.stderr
    assert "passionfinder data download" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["recommend", "-k", "many"])
    assert exc.value.code == 2
    assert main(["recommend"]) == 2  # no profile field at all
    assert "needs at least one of" in capsys.readouterr().err
    assert main(["recommend", "--values", "creativty"]) == 1
    assert "Did you mean 'creativity'" in capsys.readouterr().err


def test_precision_is_one_word_on_every_model_command(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from passionfinder.cli import _parser

    for command in (["recommend", "--interests", "x"], ["classify", "x"],
                    ["score", "in.csv", "-o", "out.csv"]):
        assert _parser().parse_args(command).precision == "int8"
        assert _parser().parse_args([*command, "--precision", "fp32"]).precision == "fp32"
    with pytest.raises(SystemExit) as exc:
        main(["classify", "x", "--precision", "fp16"])
    assert exc.value.code == 2
    assert "invalid choice: 'fp16'" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.data
def test_recommend_and_classify_end_to_end(real_data_home: Path, model_cache_home: Path,
                                           real_finder: object) -> None:
    env = {"PASSIONFINDER_DATA": str(real_data_home),
           "PASSIONFINDER_CACHE": str(model_cache_home), "HF_HUB_OFFLINE": "1"}
    args = ("recommend", "--interests", "I love fixing old bikes and being outdoors",
            "--strengths", "patient, good with my hands", "--values", "independence", "-k", "2")
    out = run(*args, env=env)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "1. Bicycle Repairers" in text and "2. " in text and "3. " not in text
    for part in ("Why it fits", "Your values", "Starter steps", "Try:", "Connect:",
                 "This product includes information from the O*NET 30.2 Database"):
        assert part in text, part
    assert "\x1b[" not in text  # no colour codes when the output is not a terminal
    data = json.loads(run(*args, "--json", env=env).stdout)
    assert len(data["recommendations"]) == 2
    assert data["recommendations"][0]["title"] == "Bicycle Repairers"
    assert data["attribution"].startswith("This product includes information")
    out = run("classify", "rn", "I repair diesel engines", "--json", env=env)
    assert out.returncode == 0, out.stderr
    # first, or within the int8 tolerance of the first (two nurse occupations carry "RN")
    for c, code in zip(json.loads(out.stdout), ["29-1141.00", "49-3031.00"], strict=True):
        assert code in among_the_first(c["matches"]), c["matches"]
    out = run("recommend", "--interests", "bikes", "-k", "0", env=env)
    assert out.returncode == 2 and "'k' parameter" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
@pytest.mark.data
def test_prepare_exports_the_model_and_builds_the_index(
        real_data_home: Path, model_cache_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-home", str(real_data_home), "--cache-home", str(model_cache_home),
                 "prepare", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"Prepared <PassionFinder O*NET 30.2 ({real_data_home}), 1016 occupations" in out
    assert any((model_cache_home / "models").glob("*/model.onnx"))
    assert any((model_cache_home / "index").glob("*/manifest.json"))
