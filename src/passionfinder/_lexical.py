"""Word-level (TF-IDF) similarity between text and occupation documents.

Embeddings miss rare, specific words ("aircraft", "phlebotomy") that TF-IDF catches; the
matching layer adds this score to the embedding score (the weight was measured, see
docs/matching.md). Stored as plain arrays, so it caches without pickle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    """TF-IDF vectors of one document per occupation (title, description, tasks)."""

    vocabulary: np.ndarray  # (v,) str
    idf: np.ndarray  # (v,) float32
    documents: csr_matrix  # (n_occupations, v), rows L2-normalised

    def __post_init__(self) -> None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        self._terms = {w: i for i, w in enumerate(self.vocabulary.tolist())}
        self._stop = ENGLISH_STOP_WORDS
        self._pattern = re.compile(_TOKEN)
        self._by_term = self.documents.T.tocsr()

    @classmethod
    def build(cls, catalog: Catalog) -> LexicalIndex:
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
        return cls(vocab, vec.idf_.astype(np.float32), matrix)

    def to_arrays(self) -> dict[str, np.ndarray]:
        m = self.documents
        return {"lexical.vocabulary": self.vocabulary, "lexical.idf": self.idf,
                "lexical.data": m.data.astype(np.float32), "lexical.indices": m.indices,
                "lexical.indptr": m.indptr, "lexical.shape": np.array(m.shape, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LexicalIndex:
        from scipy.sparse import csr_matrix

        shape = tuple(int(x) for x in arrays["lexical.shape"])
        matrix = csr_matrix((arrays["lexical.data"], arrays["lexical.indices"],
                             arrays["lexical.indptr"]), shape=shape)
        return cls(arrays["lexical.vocabulary"], arrays["lexical.idf"], matrix)

    def similarity(self, texts: list[str]) -> np.ndarray:
        """Cosine similarity of each text to each occupation document: (len(texts), n).

        Tokenises exactly as the vectoriser that built the documents (lower case, words of two
        or more letters, English stop words removed, sublinear tf x idf, L2 norm), without its
        per-call overhead. Gendered words, pronouns and given names are made neutral first,
        as for the embeddings (``_neutral.neutral_text``).
        """
        from scipy.sparse import csr_matrix

        n_docs = self.documents.shape[0]
        if not texts:
            return np.zeros((0, n_docs), dtype=np.float32)
        rows, cols, data = [], [], []
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
            rows.extend([r] * len(terms))
            cols.extend(terms.tolist())
            data.extend(weights.tolist())
        queries = csr_matrix((np.array(data, dtype=np.float32), (rows, cols)),
                             shape=(len(texts), len(self.vocabulary)))
        return np.asarray((queries @ self._by_term).todense(), dtype=np.float32)
