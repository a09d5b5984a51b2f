"""Train the learned concept weights (summarizer/fuse/concept_model.json) and report their cross-validated ROUGE.

    .venv/bin/python scripts/train_concept_weights.py               # CV report only
    .venv/bin/python scripts/train_concept_weights.py --write       # CV report, then fit on all and write the model

Training data: DUC 2003 task 2 (``../shared/data/duc2003-task2``, 30 clusters, 4 references of
100 words each). Each concept of a cluster (a stemmed bigram of its statements) is a row of
:data:`summarizer.fuse.weights.FEATURES`; its target is the share of the cluster's references
holding it. The cross-validation is by clusters: each fold's clusters are digested with a model
fitted on the other folds, and scored by the DUC protocol (first ``--words`` words, ROUGE
recall, Porter stemming, mean over the references), side by side with the document-frequency
weights on the same clusters, with a paired permutation test. Held-out benchmarks never enter.

The clusters are loaded, split and embedded once (the embedding cache makes later runs fast)
and kept in ``--prepared`` (a pickle), so a setting costs only selections and ROUGE.
``--prior``, ``--floor`` and ``--l2`` take several values, and every combination is reported:
that is how the shipped constants were chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.compare import metrics  # noqa: E402
from summarizer.config import load_config  # noqa: E402
from summarizer.fuse import select, weights  # noqa: E402
from summarizer.fuse.merge import Candidate, sentences_of  # noqa: E402


@dataclass
class Prepared:
    """One cluster, ready for selection: its statements, their vectors, the references."""

    cluster_id: str
    texts: list[str]
    corpus: list[Candidate]
    vectors: np.ndarray
    references: list[str]


def prepare(source: Path, cache: Path, max_words: int) -> list[Prepared]:
    """The clusters of ``source``, split and embedded as the extractive config does; from ``cache`` when there."""
    if cache.exists():
        return [Prepared(**fields) for fields in pickle.loads(cache.read_bytes())]
    from summarizer.data import clusters, load_articles
    from summarizer.fuse import memo_embedder

    config = load_config("extractive", [f"fusion.max_words={max_words}"])
    embedder = memo_embedder(config)
    prepared = []
    for cluster_id, articles in clusters(load_articles(source, config.data)).items():
        corpus = sentences_of([(a.doc_id, a.text) for a in articles], config.fusion)
        vectors = embedder.encode([c.text for c in corpus])
        prepared.append(Prepared(cluster_id, [a.text for a in articles], corpus, vectors, list(articles[0].references)))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps([vars(p) for p in prepared]))  # plain dicts: loadable whichever module runs
    return prepared


def training_rows(cluster: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of the cluster's concepts and the share of references holding each."""
    names, table = weights.features(select.occurrences(cluster.corpus), len(cluster.texts))
    held = [select.concepts(r) for r in cluster.references]
    share = np.array([sum(concept in h for h in held) / len(held) for concept in names])
    return table, share


def digest(cluster: Prepared, kind: str, max_words: int, model: weights.ConceptModel | None, compression: bool = False) -> str:
    """The coverage digest of the cluster with ``kind`` concept weights, as one text."""
    config = load_config("extractive", [f"fusion.max_words={max_words}", f"fusion.concept_weights={kind}", f"fusion.compression={compression}", f"fusion.paraphrases={compression}"])
    sentences = select.select_sentences(cluster.corpus, cluster.vectors, config.fusion, 0.7, cluster.texts, cluster.corpus, cluster.vectors, model)
    return " ".join(s.text for s in sentences)


def score(clusters: list[Prepared], texts: list[str], words: int | None, measure: str, combine: str) -> dict[str, np.ndarray]:
    """Per-cluster ROUGE-1/2 of the digests."""
    rows = [metrics.rouge(t, c.references, measure, words, combine) for c, t in zip(clusters, texts)]
    return {kind: np.array([r[kind] for r in rows]) for kind in ("rouge1", "rouge2", "rougeLsum")}


def cross_validate(clusters: list[Prepared], folds: int, l2: float, max_words: int, compression: bool) -> list[str]:
    """Each cluster's learned-weight digest, with a model fitted on the other folds."""
    rows = [training_rows(c) for c in clusters]
    texts = [""] * len(clusters)
    for fold in range(folds):
        train = [k for k in range(len(clusters)) if k % folds != fold]
        model = weights.fit(np.vstack([rows[k][0] for k in train]), np.concatenate([rows[k][1] for k in train]), l2)
        for k in range(len(clusters)):
            if k % folds == fold:
                texts[k] = digest(clusters[k], "learned", max_words, model, compression)
    return texts


def report(name: str, base: dict[str, np.ndarray], other: dict[str, np.ndarray]) -> None:
    line = [name]
    for kind in base:
        test = metrics.paired_test(base[kind], other[kind], 1000, 0.95, 0)
        line.append(f"{kind} {other[kind].mean():.4f} ({test['difference']:+.4f} p={test['p']:.3g})")
    print("  ".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duc", type=Path, default=ROOT.parent / "shared/data/duc2003-task2/clusters.jsonl")
    parser.add_argument("--prepared", type=Path, default=Path("/tmp/summarizer-prepared/duc2003.pickle"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--words", type=int, default=100, help="digest budget and ROUGE cut (DUC: 100)")
    parser.add_argument("--prior", type=float, nargs="+", default=[select.LEARNED_PRIOR])
    parser.add_argument("--floor", type=float, nargs="+", default=[select.LEARNED_FLOOR])
    parser.add_argument("--l2", type=float, nargs="+", default=[1.0])
    parser.add_argument("--compression", choices=["true", "false"], nargs="+", default=["true"], help="shorter sentence forms in the selection (fusion.compression)")
    parser.add_argument("--also", type=Path, help="a second set of clusters (MultiLing EN), digested with the model fitted on every training cluster and scored by ROUGE F1 of whole digests against the best reference: a held-out check of each setting")
    parser.add_argument("--also-words", type=int, default=250, help="digest budget on --also (MultiLing: 250)")
    parser.add_argument("--write", action="store_true", help="fit on every cluster and write summarizer/fuse/concept_model.json")
    args = parser.parse_args()
    clusters = prepare(args.duc, args.prepared, args.words)
    protocol = (args.words, "recall", "mean")
    start = time.perf_counter()
    base = score(clusters, [digest(c, "df", args.words, None) for c in clusters], *protocol)
    print(f"{len(clusters)} clusters, {args.folds} folds, first {args.words} words, ROUGE recall, mean of refs ({time.perf_counter() - start:.1f} s a pass)")
    report("df", base, base)
    rows = [training_rows(c) for c in clusters]
    if args.also:
        other = prepare(args.also, args.prepared.with_name(args.also.parent.name + ".pickle"), args.also_words)
        other_base = score(other, [digest(c, "df", args.also_words, None) for c in other], None, "f1", "max")
        print(f"--also {args.also}: {len(other)} clusters, {args.also_words} words, ROUGE F1, best reference")
        report("  df", other_base, other_base)
    best = None
    for prior, floor, l2, compression in itertools.product(args.prior, args.floor, args.l2, args.compression):
        select.LEARNED_PRIOR, select.LEARNED_FLOOR = prior, floor
        scores = score(clusters, cross_validate(clusters, args.folds, l2, args.words, compression == "true"), *protocol)
        report(f"learned prior={prior} floor={floor} l2={l2} compression={compression} (CV)", base, scores)
        if best is None or scores["rouge2"].mean() > best[0]["rouge2"].mean():
            best = (scores, prior, floor, l2, compression)
        if args.also:
            model = weights.fit(np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]), l2)
            texts = [digest(c, "learned", args.also_words, model, compression == "true") for c in other]
            report("  on --also, model fitted on all", other_base, score(other, texts, None, "f1", "max"))
    if args.write:
        scores, prior, floor, l2, compression = best
        model = weights.fit(np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]), l2)
        data = model.to_json() | {
            "trained_on": f"DUC 2003 task 2, {len(clusters)} clusters, target: share of the references holding the concept",
            "l2": l2,
            "cross_validated": {
                "folds": args.folds, "protocol": f"first {args.words} words, ROUGE recall, Porter stemming, mean of references",
                "prior": prior, "floor": floor, "compression": compression,
                "df": {k: round(float(v.mean()), 4) for k, v in base.items()},
                "learned": {k: round(float(v.mean()), 4) for k, v in scores.items()},
            },
        }
        weights.MODEL_FILE.write_text(json.dumps(data, indent=1) + "\n")
        print(f"wrote {weights.MODEL_FILE}")


if __name__ == "__main__":
    main()
