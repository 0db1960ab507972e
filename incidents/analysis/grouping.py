"""Group the incidents of one business line into candidate problems.

Every method returns a partition: a list of groups of indices into the input, each index in
exactly one group, singletons allowed. The default was chosen by `bench/grouping_quality.py`
on the labelled sets of `incidents.analysis.synthetic`: parameters tuned on seeds 1-5,
measured on seeds 11-20 (12 lines, a year each; each line's 30-day window and 150 days before
analysed by `incidents.analysis.quality.find_problems`, whose chronic test now also asks for
incidents concentrated on callers):

    method                                      mean F1  min F1  s/set (12 lines)*
    service-category (baseline)                   0.42    0.22    5.9
    tfidf-components threshold 0.3                0.90    0.75   14.4
    tfidf-two-stage 0.45 / merge 0.2              (7 of 10 seeds: 0.67-1.00)
    tfidf-window threshold 0.07  (default)        0.97    0.92   11.8

    * wall time on a 2-core machine shared with four other jobs: compare rows, not absolutes.

On the development seeds 1-5, tfidf-window scored F1 1.00 on every seed at thresholds 0.06,
0.07, 0.08 and 0.09, 0.99 at 0.1 and 0.86 at 0.12; 0.07 is inside that plateau. The old
default, tfidf-average at 0.1, scored 0.94 (min 0.84) on seeds 1-5 before the caller test.
Speed of find_problems on one line of 180 days (vectors, grouping, candidates; synthetic
incidents of 28 main systems sampled together): 12,000 incidents 3.0 s, 25,000 incidents
6.8 s, about 550 MB peak, half of the time in the TF-IDF vectors. Since `_fit` analyses each
distinct text once (half of a line's texts are repeats), 13,851 incidents take 2.0 s instead
of 4.0 s on the same machine, with the very same vectors. Dense average linkage of
all 25,000 would need 5 GB; tfidf-window only builds the window's distances.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize

# Values that say nothing about the problem; they must not pull incidents together.
GENERIC_VALUES = frozenset(
    {"", "other", "others", "general", "unknown", "inquiry / help", "n/a", "none", "misc"}
)


class IncidentText(Protocol):
    @property
    def short_description(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def configuration_item(self) -> str: ...
    @property
    def category(self) -> str: ...


@dataclass(frozen=True)
class Text:
    """The fields grouping reads, for callers that do not hold incident objects."""

    short_description: str
    description: str = ""
    service: str = ""
    configuration_item: str = ""
    category: str = ""


def _documents(incidents: Sequence[IncidentText]) -> list[str]:
    # The short description is what people choose to say, so it counts twice.
    return [
        f"{item.short_description} {item.short_description} {item.description}"
        for item in incidents
    ]


def _field_tokens(item: IncidentText) -> list[str]:
    """Service, CI and category as tokens, leaving out blank and generic values."""
    tokens = []
    for field, value in (
        ("svc", item.service),
        ("ci", item.configuration_item),
        ("cat", item.category),
    ):
        clean = value.strip().casefold()
        if clean not in GENERIC_VALUES:
            tokens.append(f"{field}={clean}")
    return tokens


def vectors(
    incidents: Sequence[IncidentText],
    *,
    word_weight: float = 1.0,
    char_weight: float = 1.0,
    field_weight: float = 0.3,
    max_df: float = 0.15,
) -> sparse.csr_matrix:
    """L2-normalised TF-IDF of word and char_wb 3-5 n-grams plus weighted field tokens.

    Terms in more than `max_df` of the line's incidents are dropped: the name of the line's
    main system is in half of them and would otherwise tie every issue on it together.
    """
    docs = _documents(incidents)
    # A handful of incidents has no background to drop, so the cut starts at ten incidents.
    common = {"lowercase": True, "sublinear_tf": True, "max_df": max(10, int(max_df * len(docs)))}
    words = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", **common)
    # An n-gram in a single incident links nothing; it only dilutes the similarities.
    min_df = 2 if len(docs) > 1 else 1
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=min_df, **common)
    parts = [word_weight * _fit(words, docs), char_weight * _fit(chars, docs)]
    if field_weight > 0:
        fields = TfidfVectorizer(analyzer=_field_tokens, lowercase=False)
        keys = [(i.service, i.configuration_item, i.category) for i in incidents]
        parts.append(field_weight * _fit(fields, incidents, keys))
    return normalize(sparse.hstack(parts).tocsr())


def _fit(
    vectorizer: TfidfVectorizer, docs: Sequence[Any], keys: Sequence[Any] | None = None
) -> sparse.csr_matrix:
    """What `vectorizer.fit_transform(docs)` gives, analysing each distinct document once.

    Incidents repeat themselves ("password reset", the same template with the same filler):
    about half of a line's documents are duplicates, and the n-gram analysis is most of the
    analysis's time. Counts are made per distinct document (`keys`, default the documents),
    copied to every row, and the document-frequency cuts and the TF-IDF weighting applied over
    all rows, as the vectorizer would. No columns when no term is left (blank texts, or a few
    incidents all saying the same words, which the frequent-term cut then drops).
    """
    index: dict[Any, int] = {}
    first: list[int] = []
    inverse = []
    for n, key in enumerate(keys if keys is not None else docs):
        if key not in index:
            index[key] = len(first)
            first.append(n)
        inverse.append(index[key])
    params = vectorizer.get_params()
    counter = CountVectorizer(
        **{k: v for k, v in params.items() if k in _COUNT_PARAMS}, max_df=1.0, min_df=1
    )
    try:
        counts = counter.fit_transform([docs[n] for n in first])[inverse]
    except ValueError:
        return sparse.csr_matrix((len(docs), 0))
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    max_df, min_df = params["max_df"], params["min_df"]
    high = max_df if isinstance(max_df, int) else max_df * len(docs)
    low = min_df if isinstance(min_df, int) else min_df * len(docs)
    keep = (frequency <= high) & (frequency >= low)
    if not keep.any():
        return sparse.csr_matrix((len(docs), 0))
    transformer = TfidfTransformer(
        norm=params["norm"],
        use_idf=params["use_idf"],
        smooth_idf=params["smooth_idf"],
        sublinear_tf=params["sublinear_tf"],
    )
    return transformer.fit_transform(counts[:, keep])


_COUNT_PARAMS = frozenset(
    {"analyzer", "lowercase", "ngram_range", "stop_words", "token_pattern", "tokenizer"}
    | {"preprocessor", "strip_accents", "encoding", "decode_error", "input", "dtype"}
)


def _partition(labels: np.ndarray) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(index)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def tfidf_components(
    incidents: Sequence[IncidentText], *, threshold: float = 0.5, **weights: float
) -> list[list[int]]:
    """Link pairs with cosine similarity of at least `threshold`; groups are the components."""
    if len(incidents) < 2:
        return [[i] for i in range(len(incidents))]
    x = vectors(incidents, **weights)
    similar = (x @ x.T).tocsr()
    similar.data[similar.data < threshold] = 0
    similar.eliminate_zeros()
    _, labels = connected_components(similar, directed=False)
    return _partition(labels)


def tfidf_two_stage(
    incidents: Sequence[IncidentText],
    *,
    threshold: float = 0.45,
    merge_threshold: float = 0.2,
    min_group: int = 3,
    **weights: float,
) -> list[list[int]]:
    """Tight components first, then merge groups whose centroids are similar.

    Paraphrases of one problem often share no words in their short descriptions ("VPN drops
    on hotel wifi", "AnyConnect disconnects while travelling"), but their groups share the
    details, the configuration item and the category, which only show in the centroids.
    Groups smaller than `min_group` are not merged, so that stray incidents cannot bridge.
    """
    if len(incidents) < 2:
        return [[i] for i in range(len(incidents))]
    x = vectors(incidents, **weights)
    similar = (x @ x.T).tocsr()
    similar.data[similar.data < threshold] = 0
    similar.eliminate_zeros()
    _, labels = connected_components(similar, directed=False)
    groups = _partition(labels)
    big = [g for g in groups if len(g) >= min_group]
    if len(big) < 2:
        return groups
    assign = sparse.csr_matrix(
        (
            np.ones(sum(len(g) for g in big)),
            (np.repeat(np.arange(len(big)), [len(g) for g in big]), np.concatenate(big)),
        ),
        shape=(len(big), len(incidents)),
    )
    centroids = normalize(assign @ x)
    close = (centroids @ centroids.T).tocsr()
    close.data[close.data < merge_threshold] = 0
    close.eliminate_zeros()
    _, merged = connected_components(close, directed=False)
    out: dict[int, list[int]] = {}
    for g, label in zip(big, merged.tolist(), strict=True):
        out.setdefault(label, []).extend(g)
    result = [sorted(g) for g in out.values()] + [g for g in groups if len(g) < min_group]
    return sorted(result, key=lambda g: (-len(g), g[0]))


def tfidf_average(
    incidents: Sequence[IncidentText], *, threshold: float = 0.1, **weights: float
) -> list[list[int]]:
    """Average-linkage agglomerative clustering, merging while mean similarity ≥ `threshold`.

    Average linkage does not chain the way single linkage (the components above) does, but
    it needs the dense n x n distances: fine for one line's window, not for millions.
    """
    if len(incidents) < 2:
        return [[i] for i in range(len(incidents))]
    x = vectors(incidents, **weights)
    distance = 1.0 - (x @ x.T).toarray()
    np.clip(distance, 0.0, None, out=distance)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    )
    return _partition(model.fit_predict(distance))


def _average_labels(x: sparse.csr_matrix, threshold: float) -> np.ndarray:
    """Average-linkage labels of the rows of `x` (unit rows), cut at mean cosine `threshold`."""
    n = x.shape[0]
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    distance = (x @ x.T).toarray()
    np.subtract(1.0, distance, out=distance)
    np.clip(distance, 0.0, None, out=distance)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    del distance
    tree = linkage(condensed, method="average")
    # Merged while the mean similarity is at least `threshold` (distance at most 1 - it).
    return fcluster(tree, t=1.0 - threshold, criterion="distance")


def _opened_days(incidents: Sequence[Any]) -> np.ndarray | None:
    try:
        return np.array([item.opened_at.date().toordinal() for item in incidents])
    except AttributeError:
        return None


def tfidf_window(
    incidents: Sequence[IncidentText],
    *,
    threshold: float = 0.07,
    window_days: int = 30,
    as_of: date | None = None,
    attach: float | None = None,
    matrix: sparse.csr_matrix | None = None,
    chunk: int = 2048,
    **weights: float,
) -> list[list[int]]:
    """Average linkage of the window's incidents; the earlier ones join the group they fit.

    Only groups with incidents in the window (the `window_days` up to `as_of`, by default the
    latest `opened_at`) can become candidates, so only those incidents are clustered, by
    average linkage cut at mean cosine `threshold`. Each earlier incident then joins the
    window group of at least two whose mean similarity to it (the dot product with the
    group's mean vector, what average linkage would compare) is highest, if that is at least
    `attach` (by default `threshold`), and stays alone otherwise. The dense distances are
    those of the window only: about 4,000 incidents for a line of 25,000 in 180 days.
    Incidents without `opened_at` are clustered all together.
    """
    n = len(incidents)
    if n < 2:
        return [[i] for i in range(n)]
    x = matrix if matrix is not None else vectors(incidents, **weights)
    days = _opened_days(incidents)
    if days is None:
        return _partition(_average_labels(x, threshold))
    last = as_of.toordinal() if as_of is not None else int(days.max())
    in_window = (days > last - window_days) & (days <= last)
    window = np.flatnonzero(in_window)
    labels = np.full(n, -1, dtype=np.int64)
    if len(window):
        labels[window] = _average_labels(x[window], threshold)
    groups = _partition(labels[window]) if len(window) else []
    shared = [g for g in groups if len(g) >= 2]
    rest = np.flatnonzero(~in_window)
    if shared and len(rest):
        assign = sparse.csr_matrix(
            (
                np.concatenate([np.full(len(g), 1.0 / len(g)) for g in shared]),
                (
                    np.repeat(np.arange(len(shared)), [len(g) for g in shared]),
                    np.concatenate([window[g] for g in shared]),
                ),
            ),
            shape=(len(shared), n),
        )
        means = (assign @ x).T.tocsc()  # features x groups: each group's mean vector
        cut = threshold if attach is None else attach
        group_label = np.array([labels[window[g[0]]] for g in shared])
        for begin in range(0, len(rest), chunk):
            rows = rest[begin : begin + chunk]
            similar = (x[rows] @ means).toarray()
            best = similar.argmax(axis=1)
            ok = similar[np.arange(len(rows)), best] >= cut
            labels[rows[ok]] = group_label[best[ok]]
    alone = labels < 0
    labels[alone] = labels.max(initial=0) + 1 + np.arange(int(alone.sum()))
    return _partition(labels)


def service_category(incidents: Sequence[IncidentText], **_: Any) -> list[list[int]]:
    """Baseline: one group per (service, category) as filed."""
    keys: dict[tuple[str, str], int] = {}
    labels = np.array(
        [
            keys.setdefault((i.service.casefold(), i.category.casefold()), len(keys))
            for i in incidents
        ],
        dtype=np.int64,
    )
    return _partition(labels)


METHODS: dict[str, Callable[..., list[list[int]]]] = {
    "tfidf-components": tfidf_components,
    "tfidf-two-stage": tfidf_two_stage,
    "tfidf-average": tfidf_average,
    "tfidf-window": tfidf_window,
    "service-category": service_category,
}
DEFAULT = "tfidf-window"


def group(
    incidents: Sequence[IncidentText], *, method: str = DEFAULT, **params: Any
) -> list[list[int]]:
    """Partition `incidents` into groups of indices, largest first."""
    try:
        run = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown grouping method {method!r}") from None
    return run(incidents, **params)
