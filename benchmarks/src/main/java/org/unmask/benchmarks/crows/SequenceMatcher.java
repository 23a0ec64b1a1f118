package org.unmask.benchmarks.crows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A faithful port of Python's {@code difflib.SequenceMatcher(None, a, b)} (CPython 3.x, {@code isjunk=None},
 * {@code autojunk=True}) over int sequences, restricted to what CrowS-Pairs needs: {@link #opcodes()}.
 *
 * <p>Semantics kept exactly, because they decide which tokens count as "unmodified":
 * <ul>
 *   <li>the "popular element" heuristic: when {@code len(b) >= 200}, every element occurring more than
 *       {@code len(b) / 100 + 1} times in {@code b} is removed from the index (it can still be matched by the
 *       block-extension step, as in CPython, because with no junk function {@code bjunk} is empty);
 *   <li>{@code find_longest_match}: the longest block, ties broken by the smallest {@code i}, then smallest
 *       {@code j}, then extended by equal non-junk neighbours;
 *   <li>{@code get_matching_blocks}: recursive split (LIFO queue), sort, merge of adjacent blocks, sentinel;
 *   <li>{@code get_opcodes}: {@code replace}/{@code delete}/{@code insert}/{@code equal} tags.
 * </ul>
 */
public final class SequenceMatcher {
    /** One opcode: {@code a[i1:i2]} relates to {@code b[j1:j2]} by {@code tag}. */
    public record Opcode(Tag tag, int i1, int i2, int j1, int j2) {}

    /** difflib's opcode tags. */
    public enum Tag {
        REPLACE,
        DELETE,
        INSERT,
        EQUAL
    }

    private record Match(int i, int j, int size) {}

    private final int[] a;
    private final int[] b;
    private final Map<Integer, int[]> b2j = new HashMap<>();

    public SequenceMatcher(int[] a, int[] b) {
        this.a = a.clone();
        this.b = b.clone();
        chainB();
    }

    private void chainB() {
        Map<Integer, List<Integer>> idx = new HashMap<>();
        for (int i = 0; i < b.length; i++) {
            idx.computeIfAbsent(b[i], k -> new ArrayList<>()).add(i);
        }
        Set<Integer> popular = new HashSet<>();
        int n = b.length;
        if (n >= 200) {
            int ntest = n / 100 + 1;
            for (Map.Entry<Integer, List<Integer>> e : idx.entrySet()) {
                if (e.getValue().size() > ntest) {
                    popular.add(e.getKey());
                }
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : idx.entrySet()) {
            if (!popular.contains(e.getKey())) {
                b2j.put(
                        e.getKey(),
                        e.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    private Match findLongestMatch(int alo, int ahi, int blo, int bhi) {
        int besti = alo;
        int bestj = blo;
        int bestsize = 0;
        Map<Integer, Integer> j2len = new HashMap<>();
        int[] nothing = new int[0];
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> newj2len = new HashMap<>();
            for (int j : b2j.getOrDefault(a[i], nothing)) {
                if (j < blo) {
                    continue;
                }
                if (j >= bhi) {
                    break;
                }
                int k = j2len.getOrDefault(j - 1, 0) + 1;
                newj2len.put(j, k);
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            j2len = newj2len;
        }
        // with isjunk=None the junk set is empty: extend by equal elements on both ends (this is also what lets
        // "popular" elements join a block)
        while (besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1]) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize]) {
            bestsize++;
        }
        return new Match(besti, bestj, bestsize);
    }

    private List<Match> matchingBlocks() {
        int la = a.length;
        int lb = b.length;
        Deque<int[]> queue = new ArrayDeque<>();
        queue.push(new int[] {0, la, 0, lb});
        List<Match> blocks = new ArrayList<>();
        while (!queue.isEmpty()) {
            int[] q = queue.pop();
            int alo = q[0];
            int ahi = q[1];
            int blo = q[2];
            int bhi = q[3];
            Match m = findLongestMatch(alo, ahi, blo, bhi);
            if (m.size() > 0) {
                blocks.add(m);
                if (alo < m.i() && blo < m.j()) {
                    queue.push(new int[] {alo, m.i(), blo, m.j()});
                }
                if (m.i() + m.size() < ahi && m.j() + m.size() < bhi) {
                    queue.push(new int[] {m.i() + m.size(), ahi, m.j() + m.size(), bhi});
                }
            }
        }
        blocks.sort(Comparator.comparingInt(Match::i).thenComparingInt(Match::j).thenComparingInt(Match::size));
        List<Match> merged = new ArrayList<>();
        int i1 = 0;
        int j1 = 0;
        int k1 = 0;
        for (Match m : blocks) {
            if (i1 + k1 == m.i() && j1 + k1 == m.j()) {
                k1 += m.size();
            } else {
                if (k1 > 0) {
                    merged.add(new Match(i1, j1, k1));
                }
                i1 = m.i();
                j1 = m.j();
                k1 = m.size();
            }
        }
        if (k1 > 0) {
            merged.add(new Match(i1, j1, k1));
        }
        merged.add(new Match(la, lb, 0));
        return merged;
    }

    /** {@code get_opcodes()}. */
    public List<Opcode> opcodes() {
        int i = 0;
        int j = 0;
        List<Opcode> out = new ArrayList<>();
        for (Match m : matchingBlocks()) {
            Tag tag = null;
            if (i < m.i() && j < m.j()) {
                tag = Tag.REPLACE;
            } else if (i < m.i()) {
                tag = Tag.DELETE;
            } else if (j < m.j()) {
                tag = Tag.INSERT;
            }
            if (tag != null) {
                out.add(new Opcode(tag, i, m.i(), j, m.j()));
            }
            i = m.i() + m.size();
            j = m.j() + m.size();
            if (m.size() > 0) {
                out.add(new Opcode(Tag.EQUAL, m.i(), i, m.j(), j));
            }
        }
        return out;
    }

    /**
     * Positions in a and b covered by {@code equal} opcodes ({@code equal = true}) or by all other opcodes
     * ({@code equal = false}), as CrowS-Pairs' and bias-bench's {@code _get_span} collect them.
     */
    public int[][] spans(boolean equal) {
        List<Integer> ta = new ArrayList<>();
        List<Integer> tb = new ArrayList<>();
        for (Opcode op : opcodes()) {
            if ((op.tag() == Tag.EQUAL) == equal) {
                for (int x = op.i1(); x < op.i2(); x++) {
                    ta.add(x);
                }
                for (int x = op.j1(); x < op.j2(); x++) {
                    tb.add(x);
                }
            }
        }
        return new int[][] {
            ta.stream().mapToInt(Integer::intValue).toArray(),
            tb.stream().mapToInt(Integer::intValue).toArray()
        };
    }
}
