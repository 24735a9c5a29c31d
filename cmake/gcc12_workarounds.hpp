// Force-included (-include) before every source file of this build tree by GCC 12 builds;
// never installed. GCC 12 shows a warning from a system header when the code is inlined
// into ours (it hides it only when every frame of the inlining stack is in a system
// header, so -isystem does not help), and two such warnings are false positives:
//  - -Wmaybe-uninitialized (at -O3; -Wuninitialized at -O2) on `__Y` in avx512fintrin.h:
//    its _mm512_undefined_*() return a deliberately undefined `__m512 __Y = __Y;`, reached
//    through Eigen's AVX-512 code under -march=native (GCC bug 105593);
//  - -Wrestrict on the memcpy in std::string's _M_replace at -O3, reached by
//    `"text" + std::string` and by assigning a one-character literal (GCC bugs 105329,
//    105651).
// GCC drops a warning when a `#pragma GCC diagnostic ignored` covers a frame of its inlining
// stack, so including those headers first, inside such a region, silences these
// warnings in GCC's headers only: our own code still gets them all.
#if defined(__GNUC__) && !defined(__clang__)
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#include <string>
#pragma GCC diagnostic pop
#endif
