"""Word-level (TF-IDF) similarity between text and occupation documents.

Embeddings miss rare, specific words ("aircraft", "phlebotomy") that TF-IDF catches; the
matching layer adds this score to the embedding score (the weight was measured, see
docs/matching.md). Stored as plain arrays, so it caches without pickle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ._neutral import neutral_text

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from ._catalog import Catalog

__all__ = ["LexicalIndex"]

_TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z]+\b"


def _vectorizer(vocabulary: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=_TOKEN,
                           vocabulary=vocabulary, dtype=np.float32)


@dataclass
class LexicalIndex:
    """TF-IDF vectors of one document per occupation (title, description, tasks).

    The documents are kept both ways round as plain CSR arrays: per occupation
    (``documents``, a scipy matrix made on first use) and per term (``term_*``, what a query
    reads; made when the index is built and cached with it). Reading and querying need
    neither scikit-learn nor scipy: the stop words of the vectoriser that built the index are
    stored with it.
    """

    vocabulary: np.ndarray  # (v,) str
    idf: np.ndarray  # (v,) float32
    data: np.ndarray  # (nnz,) float32: the documents, rows L2-normalised, in CSR form
    indices: np.ndarray  # (nnz,) int: term of each value
    indptr: np.ndarray  # (n_occupations + 1,)
    stop_words: np.ndarray  # (s,) str: dropped from queries, as when the documents were built
    # the same values per term (each term's occupations in increasing order): a query adds
    # up the rows of its terms; made from the above when not given
    term_docs: np.ndarray | None = None  # (nnz,) int: occupation of each value
    term_values: np.ndarray | None = None  # (nnz,) float32
    term_ptr: np.ndarray | None = None  # (v + 1,) int64: start of each term's run

    def __post_init__(self) -> None:
        self._terms = {w: i for i, w in enumerate(self.vocabulary.tolist())}
        self._stop = frozenset(self.stop_words.tolist())
        self._pattern = re.compile(_TOKEN)
        if self.term_docs is None or self.term_values is None or self.term_ptr is None:
            n_terms = len(self.vocabulary)
            order = np.argsort(self.indices, kind="stable")
            rows = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
            self.term_docs = rows[order]
            self.term_values = np.ascontiguousarray(self.data[order], dtype=np.float32)
            self.term_ptr = np.zeros(n_terms + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.indices, minlength=n_terms), out=self.term_ptr[1:])
        self._term_docs, self._term_values, self._term_ptr = (
            self.term_docs, self.term_values, self.term_ptr)

    @property
    def n_documents(self) -> int:
        return len(self.indptr) - 1

    @cached_property
    def documents(self) -> csr_matrix:
        """The documents as a scipy CSR matrix (n_occupations, v)."""
        from scipy.sparse import csr_matrix

        return csr_matrix((self.data, self.indices, self.indptr),
                          shape=(self.n_documents, len(self.vocabulary)))

    @classmethod
    def build(cls, catalog: Catalog) -> LexicalIndex:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        occ = catalog.occupations
        docs = [f"{t}. {d}" for t, d in zip(occ["title"], occ["description"], strict=True)]
        if catalog.tasks is not None:
            row = {code: i for i, code in enumerate(occ.index)}
            for code, task in zip(catalog.tasks["onet_soc_code"], catalog.tasks["task"],
                                  strict=True):
                docs[row[code]] += " " + task
        vec = _vectorizer()
        matrix = vec.fit_transform(docs).tocsr()
        vocab = np.array(vec.get_feature_names_out(), dtype=str)
        return cls(vocab, vec.idf_.astype(np.float32), matrix.data.astype(np.float32),
                   matrix.indices, matrix.indptr, np.array(sorted(ENGLISH_STOP_WORDS), dtype=str))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"lexical.vocabulary": self.vocabulary, "lexical.idf": self.idf,
                "lexical.data": self.data.astype(np.float32), "lexical.indices": self.indices,
                "lexical.indptr": self.indptr,
                "lexical.shape": np.array([self.n_documents, len(self.vocabulary)],
                                          dtype=np.int64),
                "lexical.stop_words": self.stop_words, "lexical.term_docs": self._term_docs,
                "lexical.term_values": self._term_values, "lexical.term_ptr": self._term_ptr}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LexicalIndex:
        n_docs, n_terms = (int(x) for x in arrays["lexical.shape"])
        indptr, indices = arrays["lexical.indptr"], arrays["lexical.indices"]
        docs, values, ptr = (arrays["lexical.term_docs"], arrays["lexical.term_values"],
                             arrays["lexical.term_ptr"])
        nnz = len(indices)
        if len(indptr) != n_docs + 1 or len(arrays["lexical.vocabulary"]) != n_terms or (
                nnz and not 0 <= int(indices.min()) <= int(indices.max()) < n_terms) or (
                len(docs) != nnz or len(values) != nnz or len(ptr) != n_terms + 1
                or int(ptr[-1]) != nnz) or (
                nnz and not 0 <= int(docs.min()) <= int(docs.max()) < n_docs):
            raise ValueError("the lexical arrays do not fit together")
        return cls(arrays["lexical.vocabulary"], arrays["lexical.idf"], arrays["lexical.data"],
                   indices, indptr, arrays["lexical.stop_words"], docs, values, ptr)

    def similarity(self, texts: list[str]) -> np.ndarray:
        """Cosine similarity of each text to each occupation document: (len(texts), n).

        Tokenises exactly as the vectoriser that built the documents (lower case, words of two
        or more letters, English stop words removed, sublinear tf x idf, L2 norm), without its
        per-call overhead. Gendered words, pronouns and given names are made neutral first,
        as for the embeddings (``_neutral.neutral_text``). Each text's terms are added in
        vocabulary order in float32, as scipy's sparse product does.
        """
        out = np.zeros((len(texts), self.n_documents), dtype=np.float32)
        for r, text in enumerate(texts):
            counts: dict[int, int] = {}
            for word in self._pattern.findall(neutral_text(text).lower()):
                if word in self._stop:
                    continue
                term = self._terms.get(word)
                if term is not None:
                    counts[term] = counts.get(term, 0) + 1
            if not counts:
                continue
            terms = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            weights = tf * self.idf[terms]
            weights /= np.linalg.norm(weights)
            row = out[r]
            for term, weight in sorted(zip(terms.tolist(), weights.astype(np.float32),
                                           strict=True)):
                a, b = self._term_ptr[term], self._term_ptr[term + 1]
                row[self._term_docs[a:b]] += weight * self._term_values[a:b]
        return out
