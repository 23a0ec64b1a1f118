// Main-memory read bandwidth of this machine: one thread per CPU sums its share of a 512 MB buffer with eight
// independent accumulators; the buffer is 2 MiB-aligned and advised for transparent huge pages (where the kernel
// offers them, TLB misses on 4 KiB pages would cost part of the bandwidth); one untimed pass warms up, the best of
// the timed passes counts. `unmask perf causal` compiles and runs it when gcc is present; by hand:
//   gcc -O3 -march=native -pthread mem_bandwidth.c -o /tmp/mem_bandwidth && /tmp/mem_bandwidth 512 8
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  const uint64_t *from;
  size_t n;
  uint64_t sum;
} part_t;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void *sum(void *arg) {
  part_t *p = arg;
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  size_t i = 0;
  for (; i + 8 <= p->n; i += 8) {
    s0 += p->from[i]; s1 += p->from[i + 1]; s2 += p->from[i + 2]; s3 += p->from[i + 3];
    s4 += p->from[i + 4]; s5 += p->from[i + 5]; s6 += p->from[i + 6]; s7 += p->from[i + 7];
  }
  for (; i < p->n; i++) s0 += p->from[i];
  p->sum = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
  return NULL;
}

static long anon_huge_kb(void) {
  FILE *f = fopen("/proc/self/smaps_rollup", "r");
  if (!f) return -1;
  char line[256];
  long kb = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) break;
  fclose(f);
  return kb;
}

int main(int argc, char **argv) {
  size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 512;
  int passes = argc > 2 ? atoi(argv[2]) : 8;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int threads = cpus > 0 && cpus < 1024 ? (int) cpus : 1;
  size_t bytes = mb << 20, n = bytes / sizeof(uint64_t);
  uint64_t *buf;
  if (posix_memalign((void **) &buf, 2u << 20, bytes) != 0) return 2;
  long before = anon_huge_kb();
#ifdef MADV_HUGEPAGE
  madvise(buf, bytes, MADV_HUGEPAGE);
#endif
  for (size_t i = 0; i < n; i++) buf[i] = i;  // every page resident before timing
  long after = anon_huge_kb();
  const char *pages = before < 0 || after < 0 ? "unknown pages"
      : (after - before) * 1024L >= (long) (bytes / 2) ? "2 MiB transparent huge pages" : "4 KiB pages";
  pthread_t tid[1024];
  part_t part[1024];
  size_t chunk = (n + threads - 1) / threads;
  double best = 0;
  uint64_t sink = 0;
  for (int pass = -1; pass < passes; pass++) {  // pass -1: warm-up, untimed
    double t0 = now();
    for (int t = 0; t < threads; t++) {
      size_t from = (size_t) t * chunk < n ? (size_t) t * chunk : n;
      part[t].from = buf + from;
      part[t].n = from + chunk < n ? chunk : n - from;
      pthread_create(&tid[t], NULL, sum, &part[t]);
    }
    for (int t = 0; t < threads; t++) {
      pthread_join(tid[t], NULL);
      sink += part[t].sum;
    }
    double gbps = bytes / (now() - t0) / 1e9;
    if (pass >= 0 && gbps > best) best = gbps;
  }
  printf("read %.2f GB/s, %d threads, %zu MB, best of %d passes, %s (check %llu)\n", best, threads, mb, passes, pages,
         (unsigned long long) (sink & 1));
  free(buf);
  return 0;
}
