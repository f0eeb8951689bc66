"""The occupation-side index: embeddings of every catalog text a profile is matched against,
per field, built once per (catalog content, model) and cached as verified .npy files, with
what every query needs made from them (title centroids, occupation-occupation similarity, the
task table laid out for products), so the first answer does no whole-catalog work.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ._cache import CacheError, CacheStore
from ._config import get_cache_home
from ._errors import CacheWarning, caller_stacklevel
from ._exact import on_grid
from ._lexical import LexicalIndex
from ._release import RIASEC
from ._values import VALUE_ENTRIES

if TYPE_CHECKING:
    from ._catalog import Catalog
    from ._model.encoder import Encoder

__all__ = ["FieldIndex", "OccupationIndex"]

logger = logging.getLogger(__name__)

INDEX_VERSION = 7


def index_key(fingerprint: str, model_name: str, version: int = INDEX_VERSION) -> str:
    """Name of the cache folder of the index of a catalog (its fingerprint) and a model."""
    return hashlib.sha256(f"{fingerprint}|{model_name}|{version}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FieldIndex:
    """Vectors of one kind of catalog text.

    ``owner[i]`` is the row of ``catalog.occupations`` text ``i`` belongs to (for the ``values``
    field: the vocabulary entry; -1 for texts that belong to no occupation); texts are
    sorted by owner so that per-occupation pooling is a
    ``reduceat`` over ``starts``.
    """

    texts: np.ndarray  # (n,) str: an object array, or unicode as read from the cache
    vectors: np.ndarray  # (n, dim) float32, unit rows
    owner: np.ndarray  # (n,) int32

    @cached_property
    def columns(self) -> np.ndarray:
        """``vectors.T`` laid out row-major, for fast products with a few queries (made on
        first use; as large as ``vectors``)."""
        return np.ascontiguousarray(self.vectors.T)

    @cached_property
    def starts(self) -> np.ndarray:
        """Start offset of each owner's run (for owners that have texts)."""
        if len(self.owner) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]])

    @cached_property
    def _spans(self) -> dict[int, tuple[int, int]]:
        starts = self.starts.tolist()
        stops = [*starts[1:], len(self.owner)] if starts else []
        return {int(self.owner[a]): (a, b) for a, b in zip(starts, stops, strict=True)}

    def span(self, owner: int) -> tuple[int, int]:
        """(start, stop) of the texts of one owner; (0, 0) when it has none."""
        return self._spans.get(owner, (0, 0))

    @cached_property
    def _span_table(self) -> tuple[np.ndarray, np.ndarray]:
        size = max(int(self.owner.max()) + 1, 0) if len(self.owner) else 0
        lo, hi = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
        for owner, (a, b) in self._spans.items():
            if owner >= 0:
                lo[owner], hi[owner] = a, b
        return lo, hi

    def spans(self, owners: np.ndarray | Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """``span`` of many owners at once: (starts, stops) arrays, 0 and 0 for none."""
        lo, hi = self._span_table
        owners = np.asarray(owners, dtype=np.int64).reshape(-1)
        inside = (owners >= 0) & (owners < len(lo))
        safe = np.where(inside, owners, 0)
        starts = np.where(inside, lo[safe], 0) if len(lo) else np.zeros(len(owners), np.int64)
        stops = np.where(inside, hi[safe], 0) if len(lo) else np.zeros(len(owners), np.int64)
        for n in np.flatnonzero(owners < 0).tolist():  # texts of no occupation (owner -1)
            starts[n], stops[n] = self.span(int(owners[n]))
        return starts, stops

    def __len__(self) -> int:
        return len(self.texts)


def _element_texts(catalog: Catalog) -> tuple[list[str], list[str], list[str]]:
    """Unique skill / knowledge / work-style elements: (ids, kinds, 'Name: description')."""
    ids, kinds, texts = [], [], []
    for kind, table in (("skill", catalog.skills), ("knowledge", catalog.knowledge),
                        ("work style", catalog.work_styles)):
        if table is None:
            continue
        unique = table.drop_duplicates("element_id").sort_values("element_id")
        for eid, name, desc in zip(unique["element_id"], unique["name"], unique["description"],
                                   strict=True):
            ids.append(eid)
            kinds.append(kind)
            texts.append(f"{name}: {desc}" if isinstance(desc, str) else str(name))
    return ids, kinds, texts


class OccupationIndex:
    """Embeddings of the occupation side of matching.

    Fields: ``tasks`` (task statements), ``titles`` (title and alternate titles),
    ``descriptions`` (one per occupation), ``elements`` (skills, knowledge and work styles with
    their descriptions; weights per occupation in ``element_weights``), ``riasec`` (the
    release's illustrative activities and keywords per RIASEC type) and ``values`` (each vocabulary
    entry's description, name and aliases, for free-text values); ``lexical`` holds TF-IDF
    documents per occupation.
    """

    def __init__(self, fields: dict[str, FieldIndex], element_weights: np.ndarray,
                 element_ids: np.ndarray, element_kinds: np.ndarray, riasec_type: np.ndarray,
                 model_name: str, lexical: LexicalIndex) -> None:
        self.tasks = fields["tasks"]
        self.titles = fields["titles"]
        self.descriptions = fields["descriptions"]
        self.elements = fields["elements"]
        self.riasec = fields["riasec"]
        self.values = fields["values"]
        self.element_weights = element_weights  # (n_occupations, n_elements) in [0, 1]
        self.element_ids = element_ids
        self.element_kinds = element_kinds
        self.riasec_type = riasec_type  # (n_riasec_texts,) int: index into RIASEC
        self.model_name = model_name
        self.lexical = lexical

    @cached_property
    def title_centroids(self) -> np.ndarray:
        """Per occupation, the normalised mean of its title vectors, on the grid of
        passionfinder/_exact.py: (n_occupations, dim).

        Matching interests against these 1,016 vectors instead of all 58,556 titles costs a
        point of recall@10 on the labelled profiles and saves most of the matching time
        (docs/matching.md); classify() still uses every title.
        """
        titles = self.titles
        n = int(titles.owner.max()) + 1 if len(titles) else 0
        sums = np.zeros((n, titles.vectors.shape[1]), dtype=np.float32)
        if len(titles):
            starts = titles.starts
            sums[titles.owner[starts]] = np.add.reduceat(titles.vectors, starts, axis=0)
        return on_grid(sums)

    @cached_property
    def occupation_similarity(self) -> np.ndarray:
        """Similarity of every pair of occupations (see
        :func:`passionfinder._diversity.occupation_similarity`): (n_occupations,
        n_occupations)."""
        from ._diversity import occupation_similarity

        return occupation_similarity(self)

    @property
    def fields(self) -> dict[str, FieldIndex]:
        return {"tasks": self.tasks, "titles": self.titles, "descriptions": self.descriptions,
                "elements": self.elements, "riasec": self.riasec, "values": self.values}

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, catalog: Catalog, encoder: Encoder, *, show_progress: bool | None = None
              ) -> OccupationIndex:
        """Embed every occupation-side text of ``catalog`` with ``encoder`` (one batched pass)."""
        occ = catalog.occupations
        row_of = {code: i for i, code in enumerate(occ.index)}
        parts: dict[str, tuple[list[str], list[int]]] = {}

        tasks = catalog.tasks
        parts["tasks"] = ([], []) if tasks is None else (
            tasks["task"].tolist(), [row_of[c] for c in tasks["onet_soc_code"]])
        titles: list[str] = []
        owners: list[int] = []
        alt = catalog.alternate_titles
        alt_by_code: dict[str, list[str]] = {}
        if alt is not None:
            for code, title in zip(alt["onet_soc_code"], alt["title"], strict=True):
                alt_by_code.setdefault(code, []).append(title)
        for i, (code, title) in enumerate(zip(occ.index, occ["title"], strict=True)):
            seen = {title.casefold()}
            titles.append(title)
            owners.append(i)
            for other in alt_by_code.get(code, ()):
                if other.casefold() not in seen:
                    seen.add(other.casefold())
                    titles.append(other)
                    owners.append(i)
        parts["titles"] = (titles, owners)
        parts["descriptions"] = ([f"{t}. {d}" for t, d in zip(occ["title"], occ["description"],
                                                               strict=True)],
                                 list(range(len(occ))))
        element_ids, element_kinds, element_texts = _element_texts(catalog)
        parts["elements"] = (element_texts, [-1] * len(element_texts))
        riasec_texts, riasec_type = [], []
        for table, column in ((catalog.riasec_activities, "activity"),
                              (catalog.riasec_keywords, "keyword")):
            if table is None:
                continue
            for kind, text in zip(table["riasec_type"], table[column], strict=True):
                if kind in RIASEC and isinstance(text, str):
                    riasec_texts.append(text)
                    riasec_type.append(RIASEC.index(kind))
        parts["riasec"] = (riasec_texts, [-1] * len(riasec_texts))
        value_texts, value_owner = [], []
        for i, entry in enumerate(VALUE_ENTRIES):
            for text in dict.fromkeys((entry.description, entry.name, *entry.aliases)):
                value_texts.append(text)
                value_owner.append(i)
        parts["values"] = (value_texts, value_owner)

        everything = [t for texts, _ in parts.values() for t in texts]
        unique = list(dict.fromkeys(everything))
        start = time.perf_counter()
        logger.info("Embedding %d occupation-side texts with %s", len(unique), encoder.name)
        # on the grid of passionfinder/_exact.py: every similarity with them is then exact
        vectors = on_grid(encoder.encode(unique, batch_size=128, show_progress=show_progress))
        logger.info("Embedded in %.1f s", time.perf_counter() - start)
        position = {t: i for i, t in enumerate(unique)}

        fields = {}
        for name, (texts, own) in parts.items():
            rows = np.array([position[t] for t in texts], dtype=np.int64)
            fields[name] = FieldIndex(np.array(texts, dtype=object),
                                      vectors[rows] if len(rows) else
                                      np.zeros((0, vectors.shape[1]), np.float32),
                                      np.array(own, dtype=np.int32))
        weights = _element_weights(catalog, element_ids, row_of)
        return cls(fields, weights, np.array(element_ids, dtype=object),
                   np.array(element_kinds, dtype=object), np.array(riasec_type, dtype=np.int8),
                   encoder.name, LexicalIndex.build(catalog))

    # -- caching -------------------------------------------------------------------------------
    @classmethod
    def load_or_build(cls, catalog: Catalog, encoder: Encoder, *,
                      cache_home: str | os.PathLike[str] | None = None,
                      show_progress: bool | None = None, use_cache: bool = True
                      ) -> OccupationIndex:
        """The cached index for (catalog content, model), built and cached when absent.

        A corrupt or mismatched cache is rebuilt with a :class:`CacheWarning`.
        """
        if not use_cache or not catalog.fingerprint:
            return cls.build(catalog, encoder, show_progress=show_progress)
        key = index_key(catalog.fingerprint, encoder.name)
        store = CacheStore(get_cache_home(cache_home) / "index" / key)
        try:
            return cls._read(store, encoder.name)
        except CacheError as exc:
            if (store.folder / "manifest.json").exists():
                warnings.warn(f"Rebuilding the embedding index cache: {exc}.", CacheWarning,
                              stacklevel=caller_stacklevel())
        index = cls.build(catalog, encoder, show_progress=show_progress)
        try:
            index._write(store)
        except OSError as exc:
            logger.warning("Could not write the index cache to %s: %s", store.folder, exc)
        return index

    def _write(self, store: CacheStore) -> None:
        arrays: dict[str, np.ndarray] = {}
        for name, fld in self.fields.items():
            arrays[f"{name}.vectors"] = fld.vectors.astype(np.float32)
            arrays[f"{name}.owner"] = fld.owner
            arrays[f"{name}.texts"] = fld.texts.astype(str)
        arrays["element_weights"] = self.element_weights.astype(np.float32)
        arrays["element_ids"] = self.element_ids.astype(str)
        arrays["element_kinds"] = self.element_kinds.astype(str)
        arrays["riasec_type"] = self.riasec_type
        arrays.update(self.lexical.to_arrays())
        # made once here, read back on every load
        arrays["tasks.columns"] = self.tasks.columns
        arrays["title_centroids"] = self.title_centroids
        arrays["occupation_similarity"] = self.occupation_similarity
        store.write(arrays=arrays, meta={"model": self.model_name, "version": INDEX_VERSION})

    @classmethod
    def _read(cls, store: CacheStore, model_name: str) -> OccupationIndex:
        manifest = store.manifest()
        meta = manifest["meta"]
        if meta.get("model") != model_name or meta.get("version") != INDEX_VERSION:
            raise CacheError("the cache was built for another model or version")

        def read(name: str) -> np.ndarray:
            # mapped: nothing is read until used, and only the pages used (evidence reads a
            # few titles of the 58,556), shared by every process on the machine
            return store.read_array(manifest, name, mapped=True)

        fields = {}
        for name in ("tasks", "titles", "descriptions", "elements", "riasec", "values"):
            fields[name] = FieldIndex(read(f"{name}.texts"), read(f"{name}.vectors"),
                                      read(f"{name}.owner"))
        try:
            lexical = LexicalIndex.from_arrays({
                name: read(name) for name in store.names(manifest, ".npy")
                if name.startswith("lexical.")})
        except (KeyError, ValueError) as exc:
            raise CacheError(f"the lexical index in {store.folder} is incomplete: {exc}") from None
        index = cls(fields, read("element_weights"),
                    store.read_array(manifest, "element_ids").astype(object),
                    store.read_array(manifest, "element_kinds").astype(object),
                    read("riasec_type"), model_name, lexical)
        n = len(index.descriptions)
        derived = {"tasks.columns": (index.tasks.vectors.shape[::-1], index.tasks.__dict__),
                   "title_centroids": ((n, index.descriptions.vectors.shape[1]), index.__dict__),
                   "occupation_similarity": ((n, n), index.__dict__)}
        for name, (shape, owner) in derived.items():
            array = read(name)
            if array.shape != shape or array.dtype != np.float32:
                raise CacheError(f"cache file {name}.npy in {store.folder} has the wrong shape")
            owner[name.split(".")[-1]] = array  # the cached_property's value
        return index


def _element_weights(catalog: Catalog, element_ids: list[str], row_of: dict[str, int]
                     ) -> np.ndarray:
    """How much each element matters in each occupation, in [0, 1].

    Skills and knowledge: (importance - 1) / 4 (importance is rated 1-5); work styles: the
    positive part of the impact rating (-3 to 3) / 3. Unrated pairs weigh 0.
    """
    weights = np.zeros((len(row_of), len(element_ids)), dtype=np.float32)
    column = {eid: j for j, eid in enumerate(element_ids)}
    for table, value, scale in ((catalog.skills, "importance", "skill"),
                                (catalog.knowledge, "importance", "skill"),
                                (catalog.work_styles, "impact", "style")):
        if table is None:
            continue
        vals = table[value].to_numpy(dtype=float)
        w = np.clip((vals - 1.0) / 4.0, 0, 1) if scale == "skill" else np.clip(vals / 3.0, 0, 1)
        rows = table["onet_soc_code"].map(row_of).to_numpy()
        cols = table["element_id"].map(column).to_numpy()
        ok = ~np.isnan(w)
        weights[rows[ok].astype(int), cols[ok].astype(int)] = w[ok]
    return weights
