// Readers for TEXMEX .fvecs/.ivecs and .npy, recall and latency statistics for `vecd bench`.
