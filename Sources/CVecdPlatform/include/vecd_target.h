#ifndef VECD_TARGET_H
#define VECD_TARGET_H

// What the compilation target guarantees, as integer macros that Swift imports as constants. Swift has no
// `#if` for CPU features, but the Clang importer evaluates these with the same `-Xcc -march=` flags as the Swift
// code, so a branch on them folds away at compile time.

// F16C: hardware binary16 → binary32 conversion (x86-64-v3 and later). Without it, `Float(Float16)` is a library
// call per element, and vecd widens binary16 with integer arithmetic instead.
#if defined(__F16C__) || defined(__aarch64__)
#define VECD_HARDWARE_HALF_CONVERSION 1
#else
#define VECD_HARDWARE_HALF_CONVERSION 0
#endif

/// 1 when binary16 → binary32 conversion is a hardware instruction on the build target. A function rather than the
/// macro itself, so that Swift folds the branch in the optimizer without warning that one side is unreachable.
static inline int vecd_hardware_half_conversion(void) { return VECD_HARDWARE_HALF_CONVERSION; }

#endif
