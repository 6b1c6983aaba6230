// Header-only: see include/vecd_prefetch.h. SwiftPM needs one source file per C target.
