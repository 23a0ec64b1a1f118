// FP32 FMA peak of this machine: independent FMA chains on 512-bit (and 256-bit) registers, one thread
// per core. `unmask perf` compiles and runs it when gcc is present; by hand:
//   gcc -O2 -march=native -pthread fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ITERS 200000000L

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void *zmm(void *out) {
  __m512 b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
  __m512 a0 = _mm512_set1_ps(0.0f);
  __m512 a1 = _mm512_set1_ps(1.0f);
  __m512 a2 = _mm512_set1_ps(2.0f);
  __m512 a3 = _mm512_set1_ps(3.0f);
  __m512 a4 = _mm512_set1_ps(4.0f);
  __m512 a5 = _mm512_set1_ps(5.0f);
  __m512 a6 = _mm512_set1_ps(6.0f);
  __m512 a7 = _mm512_set1_ps(7.0f);
  __m512 a8 = _mm512_set1_ps(8.0f);
  __m512 a9 = _mm512_set1_ps(9.0f);
  __m512 a10 = _mm512_set1_ps(10.0f);
  __m512 a11 = _mm512_set1_ps(11.0f);
  for (long n = 0; n < ITERS / 12; n++) {
    a0 = _mm512_fmadd_ps(a0, b, c);
    a1 = _mm512_fmadd_ps(a1, b, c);
    a2 = _mm512_fmadd_ps(a2, b, c);
    a3 = _mm512_fmadd_ps(a3, b, c);
    a4 = _mm512_fmadd_ps(a4, b, c);
    a5 = _mm512_fmadd_ps(a5, b, c);
    a6 = _mm512_fmadd_ps(a6, b, c);
    a7 = _mm512_fmadd_ps(a7, b, c);
    a8 = _mm512_fmadd_ps(a8, b, c);
    a9 = _mm512_fmadd_ps(a9, b, c);
    a10 = _mm512_fmadd_ps(a10, b, c);
    a11 = _mm512_fmadd_ps(a11, b, c);
  }
  __m512 t = a0;
  t = _mm512_add_ps(t, a1);
  t = _mm512_add_ps(t, a2);
  t = _mm512_add_ps(t, a3);
  t = _mm512_add_ps(t, a4);
  t = _mm512_add_ps(t, a5);
  t = _mm512_add_ps(t, a6);
  t = _mm512_add_ps(t, a7);
  t = _mm512_add_ps(t, a8);
  t = _mm512_add_ps(t, a9);
  t = _mm512_add_ps(t, a10);
  t = _mm512_add_ps(t, a11);
  *(float *)out = _mm512_reduce_add_ps(t); return NULL;
}

static void *ymm(void *out) {
  __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  __m256 a0 = _mm256_set1_ps(0.0f);
  __m256 a1 = _mm256_set1_ps(1.0f);
  __m256 a2 = _mm256_set1_ps(2.0f);
  __m256 a3 = _mm256_set1_ps(3.0f);
  __m256 a4 = _mm256_set1_ps(4.0f);
  __m256 a5 = _mm256_set1_ps(5.0f);
  __m256 a6 = _mm256_set1_ps(6.0f);
  __m256 a7 = _mm256_set1_ps(7.0f);
  __m256 a8 = _mm256_set1_ps(8.0f);
  __m256 a9 = _mm256_set1_ps(9.0f);
  __m256 a10 = _mm256_set1_ps(10.0f);
  __m256 a11 = _mm256_set1_ps(11.0f);
  for (long n = 0; n < ITERS / 12; n++) {
    a0 = _mm256_fmadd_ps(a0, b, c);
    a1 = _mm256_fmadd_ps(a1, b, c);
    a2 = _mm256_fmadd_ps(a2, b, c);
    a3 = _mm256_fmadd_ps(a3, b, c);
    a4 = _mm256_fmadd_ps(a4, b, c);
    a5 = _mm256_fmadd_ps(a5, b, c);
    a6 = _mm256_fmadd_ps(a6, b, c);
    a7 = _mm256_fmadd_ps(a7, b, c);
    a8 = _mm256_fmadd_ps(a8, b, c);
    a9 = _mm256_fmadd_ps(a9, b, c);
    a10 = _mm256_fmadd_ps(a10, b, c);
    a11 = _mm256_fmadd_ps(a11, b, c);
  }
  __m256 t = a0;
  t = _mm256_add_ps(t, a1);
  t = _mm256_add_ps(t, a2);
  t = _mm256_add_ps(t, a3);
  t = _mm256_add_ps(t, a4);
  t = _mm256_add_ps(t, a5);
  t = _mm256_add_ps(t, a6);
  t = _mm256_add_ps(t, a7);
  t = _mm256_add_ps(t, a8);
  t = _mm256_add_ps(t, a9);
  t = _mm256_add_ps(t, a10);
  t = _mm256_add_ps(t, a11);
  float v[8]; _mm256_storeu_ps(v, t); *(float *)out = v[0] + v[7]; return NULL;
}

static double run(void *(*f)(void *), int threads, int lanes) {
  pthread_t t[64]; float out[64];
  double t0 = now();
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, f, &out[i]);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  double sec = now() - t0;
  return (double)threads * (ITERS / 12 * 12) * lanes * 2 / sec / 1e9;
}

int main(void) {
  int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
  printf("cores %d\n", cores);
  printf("zmm (512-bit) 1 thread: %.1f GFLOP/s\n", run(zmm, 1, 16));
  printf("zmm (512-bit) %d threads: %.1f GFLOP/s\n", cores, run(zmm, cores, 16));
  printf("ymm (256-bit) %d threads: %.1f GFLOP/s\n", cores, run(ymm, cores, 8));
  return 0;
}
