"""The pair search of fusion and conflicts: every pair of vectors at or above a cosine, found
in blocks so that memory stays bounded whatever the number of sentences.

Grouping paraphrases (:mod:`summarizer.fuse.merge`), choosing sentences
(:mod:`summarizer.fuse.select`) and linking figures across articles
(:mod:`summarizer.fuse.conflicts`) all need the same thing, the sparse set of similar pairs, never
the dense n x n matrix: BLAS computes one block of dot products at a time and only the hits are
kept.
"""

from __future__ import annotations

import numpy as np

BLOCK_ROWS = 1024  # rows of a similarity block
BLOCK_COLUMNS = 16384  # columns of a similarity block: 1024 x 16,384 float32 = 67 MB at most


def similar_pairs(queries: np.ndarray, base: np.ndarray | None, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with ``queries[i] @ base[j] >= threshold``, as two index arrays.

    ``base=None`` joins ``queries`` with itself and gives each pair once (i < j). The similarity
    matrix is computed in blocks of BLOCK_ROWS x BLOCK_COLUMNS, so memory does not grow with n^2.
    """
    self_join = base is None
    if self_join:
        base = queries
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for start in range(0, queries.shape[0], BLOCK_ROWS):
        block_rows = queries[start : start + BLOCK_ROWS]
        for first in range(start if self_join else 0, base.shape[0], BLOCK_COLUMNS):  # self-join: only the rows from this block on
            block = block_rows @ base[first : first + BLOCK_COLUMNS].T
            hits, width = np.flatnonzero(block >= threshold), block.shape[1]  # 15x faster than a 2-D nonzero
            del block  # before the next block is allocated: one block in memory at a time
            row, col = np.divmod(hits, width)
            row, col = row + start, col + first
            if self_join:
                later = col > row  # each pair once, no self-pairs
                row, col = row[later], col[later]
            rows.append(row)
            cols.append(col)
    return np.concatenate(rows), np.concatenate(cols)
