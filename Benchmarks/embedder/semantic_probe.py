#!/usr/bin/env python3
"""Can word co-occurrence in the documentation a Debian machine holds give the offline embedder some meaning?

Latent semantic analysis over the rarity table's own corpus (manual pages, Vim help, Perl POD; never evaluation
data): paragraphs → stems (the embedder's folding, stop words and stemmer, via prototype.py) → tf-idf → truncated
SVD. A text's latent vector is the sum of its stems' latent vectors with the embedder's own word weights. Reports
recall@10 on debian-384 (halves 0–499, 500–999, all) for the latent vectors alone and mixed into the hashed lexical
vector (the latent part takes `latent` of the 384 components and `share` of the cosine).

    python3 Benchmarks/embedder/semantic_probe.py [--data /work/shared/datasets/debian-384]

Needs numpy and scipy; about 3 minutes on 2 cores (the corpus scan and the SVD).
"""
import argparse
import math
import os
import re
import sys

import numpy as np
import scipy.sparse as sparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_word_rarity  # noqa: E402
import prototype  # noqa: E402


def corpus_paragraphs():
    """Distinct paragraphs of ≥ 12 words from the rarity table's sources, as stem lists."""
    def raw():
        for directory, _, files in sorted(os.walk("/usr/share/man")):
            for name in sorted(files):
                if name.startswith(("gcloud", "bq_")):
                    continue
                try:
                    data = make_word_rarity.gzip.open(os.path.join(directory, name)).read() if name.endswith(".gz") \
                        else open(os.path.join(directory, name), "rb").read()
                except OSError:
                    continue
                text = make_word_rarity.ROFF_ESCAPES.sub(" ", data.decode("utf-8", "ignore"))
                yield from make_word_rarity.roff_paragraphs(text)
        for root, extension in (("/usr/share/vim/vim90/doc", ".txt"), ("/usr/share/perl", ".pod"),
                                ("/usr/share/perl5", ".pod")):
            for directory, _, files in sorted(os.walk(root)):
                for name in sorted(f for f in files if f.endswith(extension)):
                    text = open(os.path.join(directory, name), encoding="utf-8", errors="ignore").read()
                    yield from re.split(r"\n\s*\n", text)

    seen = set()
    for paragraph in raw():
        words = prototype.folded_words(paragraph)
        stems = tuple(prototype.stem(w) for w in words if w not in prototype.STOP_WORDS)
        if len(words) >= 12 and stems not in seen:
            seen.add(stems)
            yield stems


def tfidf_matrix(paragraphs, min_df=3):
    """Row-normalized tf-idf of the stems in at least `min_df` paragraphs, and their column index."""
    df = {}
    for stems in paragraphs:
        for stem in set(stems):
            df[stem] = df.get(stem, 0) + 1
    vocabulary = sorted(s for s, c in df.items() if c >= min_df)
    index = {s: i for i, s in enumerate(vocabulary)}
    rows, columns, values = [], [], []
    for row, stems in enumerate(paragraphs):
        counts = {}
        for stem in stems:
            if stem in index:
                counts[index[stem]] = counts.get(index[stem], 0) + 1
        for column, count in counts.items():
            rows.append(row)
            columns.append(column)
            values.append((1 + math.log(count)) * math.log((len(paragraphs) + 1) / (df[vocabulary[column]] + 1)))
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=(len(paragraphs), len(vocabulary)), dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms) @ matrix, index


def truncated_svd(matrix, rank, oversample=32, power_iterations=4, seed=0):
    """Singular values and right singular vectors (rank × columns) by randomized subspace iteration."""
    basis = matrix @ np.random.default_rng(seed).standard_normal((matrix.shape[1], rank + oversample)).astype(np.float32)
    basis, _ = np.linalg.qr(basis)
    for _ in range(power_iterations):
        right, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ right)
    _, singular, right_vectors = np.linalg.svd((matrix.T @ basis).T, full_matrices=False)
    return singular[:rank], right_vectors[:rank]


def normalized(vectors):
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return vectors / norms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/datasets/debian-384")
    arguments = parser.parse_args()
    paragraphs = list(corpus_paragraphs())
    matrix, index = tfidf_matrix(paragraphs)
    print(f"corpus: {matrix.shape[0]} paragraphs, {matrix.shape[1]} stems in >= 3 of them", flush=True)
    singular, right = truncated_svd(matrix, 512)

    model = prototype.Model(arguments.data)
    v1 = dict(prototype.V1)
    rows = np.array([index.get(s, -1) for s in model.stem_list])
    known = rows >= 0
    texts = [sparse.csr_matrix((model.weights(t, v1), (t["doc"], t["stem"])), shape=(t["texts"], len(rows)),
                               dtype=np.float32) for t in (model.queries, model.base)]

    def recall(queries, base):
        hits = []
        for start in range(0, queries.shape[0], 100):
            scores = queries[start:start + 100] @ base.T
            for offset, row in enumerate(np.argpartition(-scores, 10, axis=1)[:, :10]):
                hits.append(len(set(row.tolist()) & set(model.truth[start + offset])))
        hits, half = np.array(hits), len(hits) // 2
        return [round(float(part.mean()) / 10, 4) for part in (hits[:half], hits[half:], hits)]

    def latent(rank):
        words = np.zeros((len(rows), rank), np.float32)
        words[known] = right[:rank, rows[known]].T * np.sqrt(singular[:rank])
        return [normalized(np.asarray(t @ words)) for t in texts]

    def lexical(dimension):
        grams, keys = model.grams(v1["gram_lengths"])
        features = (model.hashing(["w" + s for s in model.stem_list], dimension, 1)
                    + v1["char_grams"] * (grams @ model.hashing(keys, dimension, 1))).toarray()
        return [normalized(np.asarray(t @ features)) for t in texts]

    print("stems of debian-384 the corpus knows:", int(known.sum()), "of", len(rows))
    for rank in (128, 256, 384, 512):
        print(f"latent vectors alone, {rank} dimensions: {recall(*latent(rank))}", flush=True)
    print(f"lexical alone, 384 dimensions (hash seed 1): {recall(*lexical(384))}", flush=True)
    for rank in (64, 128):
        lexical_part, latent_part = lexical(384 - rank), latent(rank)
        for share in (0.1, 0.2, 0.3):
            mixed = [np.hstack([a * math.sqrt(1 - share), b * math.sqrt(share)])
                     for a, b in zip(lexical_part, latent_part)]
            print(f"lexical {384 - rank} + latent {rank}, latent share {share}: {recall(*mixed)}", flush=True)


if __name__ == "__main__":
    main()
