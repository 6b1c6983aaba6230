#!/usr/bin/env python3
"""A fast numpy/scipy model of the offline embedder's recipe, for trying variants before writing them in Swift.

It tokenizes, stems and weights every text as `HashingEmbedder` v1 does (same stop words, stemmer, rarity table,
lead boost, term-frequency saturation, character 2–4-grams with 1/sqrt(n) weights), but hashes features with
BLAKE2b under a chosen seed instead of FNV-1a + SplitMix64. Because the hash is a parameter, it can report what no
single hash can: the *mean* recall over several hash seeds (a single hash is luckier or unluckier by a few
thousandths), and the recall with no hashing at all (`--ceiling`, exact sparse cosine: what infinite dimensions give).

    python3 Benchmarks/embedder/prototype.py --variants "[{}, {'word_components': 64}]" [--seeds 1,2,3] [--ceiling]

Variant keys: dimension, word, char_grams, rarity_exponent, lead_boost, lead_words, tf_scale, word_components (each
whole word spread over that many signed components), gram_lengths. Prints recall@10 for queries 0–499 (the half
variants may be chosen on), 500–999 (held out) and all, mean over seeds, plus the tuning half per seed.
Needs numpy and scipy; the first run caches the tokenized data set in /tmp (about 30 s).
"""
import argparse
import ast
import hashlib
import math
import os
import pickle
import re
import struct
import unicodedata

import numpy as np
import scipy.sparse as sparse

HERE = os.path.dirname(os.path.abspath(__file__))
STOP_WORDS = set("""a an the and or of to in on for with by is are be as at it its this that from which can not was
were will into also these those such you your their there has have had than then so if but all any each more most
other some only over under via per use used using may""".split())
SUFFIX_RULES = [("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")]
WORD = re.compile(r"[^\W_]+")


def rarity_table():
    source = open(os.path.join(HERE, "../../Sources/VecdEmbed/WordRarityTable.swift"), encoding="utf-8").read()
    unknown = float(re.search(r"unknownWordWeight: Float = ([0-9.]+)", source).group(1))
    weights = {}
    for line in source.split('"""')[1].split("\n"):
        bucket, _, words = line.strip().partition(":")
        if bucket.isdigit():
            for word in words.split():
                weights[word] = int(bucket) / 8
    return weights, unknown


def folded_words(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return WORD.findall("".join(c for c in text if not unicodedata.combining(c)))


def stem(word):
    for suffix, replacement in SUFFIX_RULES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            if suffix == "s" and word[-2] == "s":
                return word
            return word[: -len(suffix)] + replacement
    return word


def analyze(text, rarity, unknown, keep_stop_words=False):
    """Distinct stems in order of first occurrence: [stem, rarity, count, first position]."""
    found, position = {}, 0
    for word in folded_words(text):
        if not keep_stop_words and word in STOP_WORDS:
            continue
        key = stem(word)
        if key in found:
            found[key][2] += 1
        else:
            found[key] = [key, rarity.get(word, unknown), 1, position]
        position += 1
    if not found and not keep_stop_words:
        return analyze(text, rarity, unknown, True)
    return list(found.values())


def read_lines(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def read_truth(path, k=10):
    data, offset, rows = open(path, "rb").read(), 0, []
    while offset < len(data):
        (width,) = struct.unpack_from("<i", data, offset)
        rows.append(list(struct.unpack_from(f"<{min(k, width)}i", data, offset + 4)))
        offset += 4 + 4 * width
    return rows


class Model:
    def __init__(self, data):
        cache = "/tmp/vecd-embedder-prototype-%s.pkl" % hashlib.sha1(data.encode()).hexdigest()[:12]
        if os.path.exists(cache):
            queries, base, self.truth = pickle.load(open(cache, "rb"))
        else:
            rarity, unknown = rarity_table()
            queries = [analyze(t, rarity, unknown) for t in read_lines(os.path.join(data, "queries.txt"))]
            base = [analyze(t, rarity, unknown) for t in read_lines(os.path.join(data, "base.txt"))]
            self.truth = read_truth(os.path.join(data, "gt.ivecs"))
            pickle.dump((queries, base, self.truth), open(cache, "wb"))
        self.stems = {}
        self.queries, self.base = self.table(queries), self.table(base)
        self.stem_list = sorted(self.stems, key=self.stems.get)

    def table(self, texts):
        columns = {"doc": [], "stem": [], "rarity": [], "count": [], "position": []}
        for doc, words in enumerate(texts):
            for key, rarity, count, position in words:
                columns["doc"].append(doc)
                columns["stem"].append(self.stems.setdefault(key, len(self.stems)))
                columns["rarity"].append(rarity)
                columns["count"].append(count)
                columns["position"].append(position)
        table = {name: np.array(values, np.float32) for name, values in columns.items()}
        table["doc"], table["stem"], table["texts"] = table["doc"].astype(int), table["stem"].astype(int), len(texts)
        return table

    def grams(self, lengths):
        """Stem × gram matrix, each stem's grams weighted 1/sqrt(n)."""
        vocabulary, rows, columns, values = {}, [], [], []
        for row, key in enumerate(self.stem_list):
            padded = "<" + key + ">"
            features = [padded[a:a + n] for n in lengths for a in range(len(padded) - n + 1)]
            for feature in features:
                rows.append(row)
                columns.append(vocabulary.setdefault(feature, len(vocabulary)))
                values.append(1 / math.sqrt(len(features)))
        shape = (len(self.stem_list), len(vocabulary))
        matrix = sparse.csr_matrix((values, (rows, columns)), shape=shape, dtype=np.float32)
        return matrix, sorted(vocabulary, key=vocabulary.get)

    @staticmethod
    def hashing(keys, dimension, seed, components=1):
        rows, columns, values = [], [], []
        for row, key in enumerate(keys):
            for c in range(components):
                h = int.from_bytes(hashlib.blake2b(f"{seed}|{c}|{key}".encode(), digest_size=8).digest(), "little")
                rows.append(row)
                columns.append(h % dimension)
                values.append((1 if h >> 63 == 0 else -1) / math.sqrt(components))
        return sparse.csr_matrix((values, (rows, columns)), shape=(len(keys), dimension), dtype=np.float32)

    def weights(self, table, v):
        lead = 1 + v["lead_boost"] * v["lead_words"] / (v["lead_words"] + table["position"])
        return table["rarity"] ** v["rarity_exponent"] * (1 + v["tf_scale"] * np.log(table["count"])) * lead

    def recall(self, v, seed=None):
        """Recall@10 (tuning half, held-out half, all); seed None means exact sparse cosine (no hashing)."""
        grams, gram_keys = self.grams(v["gram_lengths"])
        if seed is None:
            features = sparse.hstack([v["word"] * sparse.identity(len(self.stem_list), format="csr"),
                                      v["char_grams"] * grams]).tocsr()
        else:
            words = self.hashing(["w" + s for s in self.stem_list], v["dimension"], seed, v["word_components"])
            hashed_grams = grams @ self.hashing(gram_keys, v["dimension"], seed)
            features = (v["word"] * words + v["char_grams"] * hashed_grams).toarray()
        vectors = []
        for table in (self.queries, self.base):
            texts = sparse.csr_matrix((self.weights(table, v), (table["doc"], table["stem"])),
                                      shape=(table["texts"], len(self.stem_list)), dtype=np.float32)
            embedded = texts @ features
            squared = embedded.multiply(embedded).sum(1) if sparse.issparse(embedded) else (embedded ** 2).sum(1)
            norms = np.sqrt(np.asarray(squared).ravel())
            norms[norms == 0] = 1
            vectors.append(sparse.diags(1 / norms) @ embedded)
        hits = []
        for start in range(0, vectors[0].shape[0], 100):
            scores = vectors[0][start:start + 100] @ vectors[1].T
            scores = scores.toarray() if sparse.issparse(scores) else np.asarray(scores)
            for offset, row in enumerate(np.argpartition(-scores, 10, axis=1)[:, :10]):
                hits.append(len(set(row.tolist()) & set(self.truth[start + offset])))
        hits, half = np.array(hits), len(hits) // 2
        return hits[:half].mean() / 10, hits[half:].mean() / 10, hits.mean() / 10


V1 = dict(dimension=384, word=1.0, char_grams=2.0, rarity_exponent=0.6, lead_boost=6.0, lead_words=16.0, tf_scale=0.5,
          word_components=1, gram_lengths=(2, 3, 4))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/work/shared/datasets/debian-384")
    parser.add_argument("--variants", default="[{}]", help="a Python list of dicts of changes to v1")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--ceiling", action="store_true", help="also exact sparse cosine (no hashing)")
    arguments = parser.parse_args()
    model = Model(arguments.data)
    for changes in ast.literal_eval(arguments.variants):
        variant = dict(V1, **changes)
        runs = np.array([model.recall(variant, seed) for seed in arguments.seeds.split(",")])
        line = f"{changes}: mean over seeds {np.round(runs.mean(0), 4).tolist()}"
        line += f", tuning half per seed {runs[:, 0].tolist()}"
        if arguments.ceiling:
            line += f", no hashing {np.round(model.recall(variant), 4).tolist()}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
