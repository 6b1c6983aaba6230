// Reference distance kernels in plain C: the speed vecd's Swift kernels (Sources/VecdKernels) should match.
//
// Written as simple loops so that clang auto-vectorizes them for whatever -march is given (AVX2+FMA+F16C under
// x86-64-v3, AVX-512 under native on such hosts). Floating-point sums need permission to be reordered before they
// vectorize; `#pragma clang fp reassociate(on)` grants it inside each kernel only, as Swift's `Relaxed` does.
// The kernels sit in their own translation unit so that the timing harness calls them like a library would
// (hnswlib and FAISS call through function pointers) and cannot fold them into its loop.
#include "kernels.h"

#include <math.h>
#include <string.h>

float ref_dot_f32(const float *a, const float *b, size_t n) {
#pragma clang fp reassociate(on) contract(fast)
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) sum += a[i] * b[i];
    return sum;
}

float ref_l2sq_f32(const float *a, const float *b, size_t n) {
#pragma clang fp reassociate(on) contract(fast)
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

float ref_cosine_f32(const float *a, const float *b, size_t n) {
    float dot = 0.0f, norm_a = 0.0f, norm_b = 0.0f;
    {
#pragma clang fp reassociate(on) contract(fast)
        for (size_t i = 0; i < n; i++) {
            dot += a[i] * b[i];
            norm_a += a[i] * a[i];
            norm_b += b[i] * b[i];
        }
    }
    // Same rules as vecd: two square roots (the product of two large squared norms overflows), a zero vector
    // gives distance 1, and rounding past |similarity| = 1 is clamped.
    float denominator = sqrtf(norm_a) * sqrtf(norm_b);
    if (!(denominator > 0.0f) || isinf(denominator)) return 1.0f;
    float similarity = dot / denominator;
    if (similarity > 1.0f) similarity = 1.0f;
    if (similarity < -1.0f) similarity = -1.0f;
    return 1.0f - similarity;
}

float ref_dot_f32_f16(const float *a, const uint16_t *b_bits, size_t n) {
#pragma clang fp reassociate(on) contract(fast)
    // _Float16 -> float widens with vcvtph2ps when F16C is available (x86-64-v3), lane-parallel.
    const _Float16 *b = (const _Float16 *)b_bits;
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) sum += a[i] * (float)b[i];
    return sum;
}

int32_t ref_dot_i8(const int8_t *a, const int8_t *b, size_t n) {
    int32_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += (int32_t)a[i] * (int32_t)b[i];
    return sum;
}

float ref_dot_f32_i8(const float *a, const int8_t *b, size_t n) {
#pragma clang fp reassociate(on) contract(fast)
    float sum = 0.0f;
    for (size_t i = 0; i < n; i++) sum += a[i] * (float)b[i];
    return sum;
}

uint16_t ref_float_to_half(float value) {
    _Float16 half = (_Float16)value;
    uint16_t bits;
    memcpy(&bits, &half, sizeof bits);
    return bits;
}
