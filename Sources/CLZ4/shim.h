// The system LZ4 block API (Debian: liblz4-dev), used for the segment blocks that compress.
#include <lz4.h>
