// Times the reference kernels (kernels.c) and prints JSON, under the protocol `vecd bench kernels` uses:
//
//   hot:  the query and 4 vectors cycled in turn (all in L1); 2^22 / dim distances per round, best of 7 rounds.
//   scan: 100,000 contiguous vectors (row stride = dim, no padding), one distance each; minimum of 11 rounds.
//
// Both report nanoseconds per distance; one untimed round runs first. Data come from the same 32-bit LCG as the
// Swift side, so `check` (the kernel on the query and the first hot vector) must agree between the two.
//
//   bench_kernels [--dims 384,1536,383] [--rows 100000]
#define _POSIX_C_SOURCE 200809L  // clock_gettime, strdup
#include "kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef MARCH_LABEL
#define MARCH_LABEL "unknown"
#endif

enum { HOT_VECTORS = 4, HOT_ROUNDS = 7, SCAN_ROUNDS = 11, MAX_DIMS = 16 };

// The sink: every distance is added here, so no call can be dropped as unused.
static volatile double sink;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

// Values in [-0.5, 0.5): state = state * 1664525 + 1013904223 (mod 2^32), value = (state >> 8) / 2^24 - 0.5.
static void fill_uniform(float *out, size_t count, uint32_t seed) {
    uint32_t state = seed;
    for (size_t i = 0; i < count; i++) {
        state = state * 1664525u + 1013904223u;
        out[i] = (float)(state >> 8) * (1.0f / 16777216.0f) - 0.5f;
    }
}

// int8 codes as vecd's tests make them: round(value * 254), clamped to [-127, 127].
static void to_codes(const float *in, int8_t *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float scaled = __builtin_roundf(in[i] * 254.0f);
        out[i] = (int8_t)(scaled > 127.0f ? 127.0f : (scaled < -127.0f ? -127.0f : scaled));
    }
}

static void to_halves(const float *in, uint16_t *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = ref_float_to_half(in[i]);
}

typedef enum { F32_DOT, F32_L2SQ, F32_COSINE, F16_DOT, I8_DOT, F32_I8_DOT, KERNEL_COUNT } kernel_id;
static const char *kernel_names[KERNEL_COUNT] = {"f32_dot", "f32_l2sq", "f32_cosine", "f16_dot", "i8_dot",
                                                 "f32_i8_dot"};

// The query in each representation, and a block of rows in each.
typedef struct {
    const float *query;
    const int8_t *query_codes;
    const float *f32;
    const uint16_t *f16;
    const int8_t *i8;
} operands;

// One timed pass: `count` distances, the i-th against row (i & mask) — mask 3 for hot, all rows for scan
// (mask = SIZE_MAX then, with count = rows). A switch outside the loop keeps each loop a plain call.
static double timed_pass(kernel_id kernel, const operands *o, size_t dim, size_t count, size_t mask) {
    double total = 0.0;
    double start = now_ns();
    switch (kernel) {
    case F32_DOT:
        for (size_t i = 0; i < count; i++) total += ref_dot_f32(o->query, o->f32 + (i & mask) * dim, dim);
        break;
    case F32_L2SQ:
        for (size_t i = 0; i < count; i++) total += ref_l2sq_f32(o->query, o->f32 + (i & mask) * dim, dim);
        break;
    case F32_COSINE:
        for (size_t i = 0; i < count; i++) total += ref_cosine_f32(o->query, o->f32 + (i & mask) * dim, dim);
        break;
    case F16_DOT:
        for (size_t i = 0; i < count; i++) total += ref_dot_f32_f16(o->query, o->f16 + (i & mask) * dim, dim);
        break;
    case I8_DOT:
        for (size_t i = 0; i < count; i++) total += ref_dot_i8(o->query_codes, o->i8 + (i & mask) * dim, dim);
        break;
    case F32_I8_DOT:
        for (size_t i = 0; i < count; i++) total += ref_dot_f32_i8(o->query, o->i8 + (i & mask) * dim, dim);
        break;
    default:
        break;
    }
    double elapsed = now_ns() - start;
    sink += total;
    return elapsed / (double)count;
}

static double best_of(kernel_id kernel, const operands *o, size_t dim, size_t count, size_t mask, int rounds) {
    timed_pass(kernel, o, dim, count, mask);  // untimed: page faults, frequency ramp, branch predictors
    double best = 1e300;
    for (int r = 0; r < rounds; r++) {
        double ns = timed_pass(kernel, o, dim, count, mask);
        if (ns < best) best = ns;
    }
    return best;
}

static double check_value(kernel_id kernel, const operands *o, size_t dim) {
    switch (kernel) {
    case F32_DOT: return ref_dot_f32(o->query, o->f32, dim);
    case F32_L2SQ: return ref_l2sq_f32(o->query, o->f32, dim);
    case F32_COSINE: return ref_cosine_f32(o->query, o->f32, dim);
    case F16_DOT: return ref_dot_f32_f16(o->query, o->f16, dim);
    case I8_DOT: return ref_dot_i8(o->query_codes, o->i8, dim);
    case F32_I8_DOT: return ref_dot_f32_i8(o->query, o->i8, dim);
    default: return 0.0;
    }
}

static void *allocate(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) {
        fprintf(stderr, "bench_kernels: cannot allocate %zu bytes\n", bytes);
        exit(1);
    }
    return p;
}

// Fills the operands for `rows` vectors of `dim`; the query uses seed 1, the rows seed 2.
static operands make_operands(size_t dim, size_t rows) {
    float *query = allocate(dim * sizeof(float));
    int8_t *query_codes = allocate(dim);
    float *f32 = allocate(rows * dim * sizeof(float));
    uint16_t *f16 = allocate(rows * dim * sizeof(uint16_t));
    int8_t *i8 = allocate(rows * dim);
    fill_uniform(query, dim, 1);
    to_codes(query, query_codes, dim);
    fill_uniform(f32, rows * dim, 2);
    to_halves(f32, f16, rows * dim);
    to_codes(f32, i8, rows * dim);
    return (operands){query, query_codes, f32, f16, i8};
}

static void free_operands(operands o) {
    free((void *)o.query);
    free((void *)o.query_codes);
    free((void *)o.f32);
    free((void *)o.f16);
    free((void *)o.i8);
}

static size_t parse_dims(const char *text, size_t *dims) {
    size_t count = 0;
    char *copy = strdup(text);
    for (char *part = strtok(copy, ","); part && count < MAX_DIMS; part = strtok(NULL, ",")) {
        long value = strtol(part, NULL, 10);
        if (value <= 0) {
            fprintf(stderr, "bench_kernels: bad dimension '%s'\n", part);
            exit(2);
        }
        dims[count++] = (size_t)value;
    }
    free(copy);
    return count;
}

int main(int argc, char **argv) {
    size_t dims[MAX_DIMS] = {384, 1536, 383};
    size_t dim_count = 3;
    size_t scan_rows = 100000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dims") && i + 1 < argc) {
            dim_count = parse_dims(argv[++i], dims);
        } else if (!strcmp(argv[i], "--rows") && i + 1 < argc) {
            scan_rows = (size_t)strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--dims 384,1536,383] [--rows 100000]\n", argv[0]);
            return 2;
        }
    }
    if (scan_rows < HOT_VECTORS) scan_rows = HOT_VECTORS;

    printf("{\n  \"implementation\": \"c\",\n  \"compiler\": \"%s\",\n  \"march\": \"%s\",\n", __VERSION__, MARCH_LABEL);
    printf("  \"scan_rows\": %zu,\n  \"results\": [", scan_rows);
    int first = 1;
    for (size_t d = 0; d < dim_count; d++) {
        size_t dim = dims[d];
        operands o = make_operands(dim, scan_rows);
        size_t hot_count = ((size_t)1 << 22) / dim;
        for (int k = 0; k < KERNEL_COUNT; k++) {
            double hot = best_of((kernel_id)k, &o, dim, hot_count, HOT_VECTORS - 1, HOT_ROUNDS);
            double scan = best_of((kernel_id)k, &o, dim, scan_rows, SIZE_MAX, SCAN_ROUNDS);
            printf("%s\n    {\"kernel\": \"%s\", \"dim\": %zu, \"hot_ns\": %.3f, \"scan_ns\": %.3f, \"check\": %.9g}",
                   first ? "" : ",", kernel_names[k], dim, hot, scan, check_value((kernel_id)k, &o, dim));
            fflush(stdout);
            first = 0;
        }
        free_operands(o);
    }
    printf("\n  ]\n}\n");
    return 0;
}
