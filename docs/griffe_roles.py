"""Griffe extension used by mkdocs.yml: numpydoc roles in docstrings become links in the API reference.

The docstrings cross-reference with Sphinx roles (:func:`load_catalog`, :meth:`recommend`,
:data:`passionfinder.VALUES`), which mkdocstrings would print as they are. Each role whose
target is a public name (one of ``passionfinder.__all__`` or a member of one) becomes a link
to that name on the API page; any other target, such as a private helper, becomes plain code.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

PACKAGE = "passionfinder"
ROLE = re.compile(r":(?:func|meth|class|data|attr|exc|obj|mod):`(~?)([\w.]+)`")


class SphinxRoles(griffe.Extension):
    """Rewrite ``:role:`target``` in the package's docstrings as mkdocstrings cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        # canonical path (passionfinder._finder.PassionFinder) -> public path (passionfinder.PassionFinder)
        public: dict[str, str] = {}
        for name in pkg.exports or ():
            member = pkg.members.get(name)
            if member is not None:
                target = member.target_path if member.is_alias else member.path
                public[target] = f"{PACKAGE}.{name}"
                public[f"{PACKAGE}.{name}"] = f"{PACKAGE}.{name}"
        for obj in _walk(pkg):
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = ROLE.sub(
                    lambda m, obj=obj: _reference(obj, m.group(1), m.group(2), public),
                    obj.docstring.value)


def _walk(obj: griffe.Object) -> list[griffe.Object]:
    found = [obj]
    for member in obj.members.values():
        if not member.is_alias:
            found.extend(_walk(member))  # type: ignore[arg-type]
    return found


def _reference(obj: griffe.Object, tilde: str, target: str, public: dict[str, str]) -> str:
    shown = target.rsplit(".", 1)[-1] if tilde else target
    path = target if target.startswith(f"{PACKAGE}.") else None
    if path is None:
        try:
            path = obj.resolve(target.split(".", 1)[0])
        except griffe.NameResolutionError:
            return f"`{shown}`"
        if "." in target:
            path = f"{path}.{target.split('.', 1)[1]}"
    for canonical, public_path in public.items():
        if path == canonical or path.startswith(canonical + "."):
            return f"[`{shown}`][{public_path}{path[len(canonical):]}]"
    return f"`{shown}`"
