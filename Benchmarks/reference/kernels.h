// Reference distance kernels (kernels.c): the C counterparts of vecd's Swift kernels, for speed comparison.
#ifndef VECD_REFERENCE_KERNELS_H
#define VECD_REFERENCE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Dot product of two float32 vectors.
float ref_dot_f32(const float *a, const float *b, size_t n);
/// Squared Euclidean distance between two float32 vectors.
float ref_l2sq_f32(const float *a, const float *b, size_t n);
/// Cosine distance 1 - a·b / (|a| |b|) in one pass over both vectors, clamped to [0, 2]; 1 for a zero vector.
float ref_cosine_f32(const float *a, const float *b, size_t n);
/// Dot product of a float32 query with a vector stored as IEEE binary16 bits, accumulated in float32.
float ref_dot_f32_f16(const float *a, const uint16_t *b_bits, size_t n);
/// Dot product of two int8 code vectors, exact in int32.
int32_t ref_dot_i8(const int8_t *a, const int8_t *b, size_t n);
/// Dot product of a float32 query with an int8 code vector, accumulated in float32.
float ref_dot_f32_i8(const float *a, const int8_t *b, size_t n);
/// Rounds a float to binary16 bits (ties to even).
uint16_t ref_float_to_half(float value);

#endif
