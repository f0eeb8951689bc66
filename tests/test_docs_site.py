"""The documentation site builds with ``mkdocs build --strict`` (any warning fails it: a broken
link or anchor, a page missing from the nav, a docstring griffe cannot parse), its API reference
documents every public name, and the examples on its first pages run.

The quick tests read the sources only; the build and the examples are marked ``slow``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import passionfinder as pf

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# pages whose ```python blocks are run, in order, as one script
EXAMPLE_PAGES = ("index.md", "getting-started.md")


def _public_methods(cls: type) -> list[str]:
    return sorted(name for name, member in vars(cls).items()
                  if not name.startswith("_") and (callable(member) or isinstance(member, property)))


def _text(page: Path) -> str:
    """The visible text of a built HTML page, whitespace collapsed."""
    raw = page.read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def _python_blocks(page: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", (DOCS / page).read_text(encoding="utf-8"),
                      flags=re.MULTILINE | re.DOTALL)


def test_api_page_has_a_directive_for_every_public_name() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: passionfinder\.(\w+)\s*$", text, flags=re.MULTILINE))
    missing = sorted(set(pf.__all__) - documented)
    assert not missing, f"docs/api.md needs a '::: passionfinder.<name>' entry for {missing}"
    unknown = sorted(documented - set(pf.__all__))
    assert not unknown, f"docs/api.md documents names that are not in passionfinder.__all__: {unknown}"


def test_every_public_name_is_visible_without_importing() -> None:
    """mkdocstrings (griffe) reads the package's source without running it, so each name of
    ``__all__`` must be defined in passionfinder/__init__.py or imported in its TYPE_CHECKING
    block (which is also what type checkers and IDEs see)."""
    import griffe

    package = griffe.load("passionfinder", search_paths=[str(ROOT / "src")])
    unseen = []
    for name in pf.__all__:
        try:
            member = package[name]
            if member.is_alias:
                member.final_target  # noqa: B018 - resolves the import, raises if it cannot
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            unseen.append(name)
    assert not unseen, ("add these names to the TYPE_CHECKING imports of "
                        f"src/passionfinder/__init__.py: {unseen}")


def test_home_page_carries_the_onet_attribution_verbatim() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8").replace("\\*", "*")  # Markdown escapes
    assert pf.ATTRIBUTION in " ".join(text.split())


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    in_nav = set(re.findall(r"^\s+- [^:\n]+: (\S+\.md)\s*$", config, flags=re.MULTILINE))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages == in_nav, f"pages not in the nav: {sorted(pages - in_nav)}; " \
                            f"nav entries without a page: {sorted(in_nav - pages)}"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built by ``python -m mkdocs build --strict`` into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{log}"
    assert "WARNING" not in log, log
    return site


@pytest.mark.slow
def test_site_has_every_page(built_site: Path) -> None:
    for page in sorted(DOCS.rglob("*.md")):
        name = page.relative_to(DOCS).with_suffix("")
        built = built_site / ("index.html" if name.as_posix() == "index" else name / "index.html")
        assert built.is_file(), f"{page.name} was not built ({built})"


@pytest.mark.slow
def test_api_reference_documents_every_public_name(built_site: Path) -> None:
    raw = (built_site / "api" / "index.html").read_text(encoding="utf-8")
    missing = [name for name in pf.__all__ if f'id="passionfinder.{name}"' not in raw]
    assert not missing, f"the built API page has no entry for {missing}"
    methods = _public_methods(pf.PassionFinder)
    assert "recommend" in methods and "classify" in methods
    missing = [m for m in methods if f'id="passionfinder.PassionFinder.{m}"' not in raw]
    assert not missing, f"the built API page does not document PassionFinder.{missing}"


@pytest.mark.slow
def test_api_reference_renders_docstring_roles_as_links(built_site: Path) -> None:
    text = _text(built_site / "api" / "index.html")
    left = re.findall(r":(?:func|meth|class|data|attr|exc|obj|mod):\S+", text)
    assert not left, f"Sphinx roles left as text in the API page: {left[:5]}"
    raw = (built_site / "api" / "index.html").read_text(encoding="utf-8")
    # PassionFinder's docstring refers to :func:`passionfinder.load_catalog`
    assert 'href="#passionfinder.load_catalog"' in raw


@pytest.mark.slow
def test_built_pages_carry_the_onet_attribution(built_site: Path) -> None:
    for page in ("index.html", "data/index.html", "api/index.html"):
        assert pf.ATTRIBUTION in _text(built_site / page), page


@pytest.mark.slow
@pytest.mark.data
def test_examples_on_the_first_pages_run(real_data_home: Path, model_cache_home: Path,
                                         tmp_path: Path) -> None:
    """The ```python blocks of the home and getting-started pages, run in order as one script
    in a fresh interpreter. The block that calls fetch_onet() is left out: it downloads."""
    for page in EXAMPLE_PAGES:
        assert _python_blocks(page), f"no python example found in docs/{page}"
    runnable = [block for page in EXAMPLE_PAGES for block in _python_blocks(page)
                if "fetch_onet(" not in block]
    script = tmp_path / "examples.py"
    script.write_text("\n".join(runnable), encoding="utf-8")
    env = {**os.environ, "PASSIONFINDER_DATA": str(real_data_home),
           "PASSIONFINDER_CACHE": str(model_cache_home), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"the docs' examples failed:\n{result.stderr[-3000:]}"
    # each page's example prints the top suggestion for the same person
    assert result.stdout.count("Bicycle Repairers") >= 2, result.stdout[:2000]
