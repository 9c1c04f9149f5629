package dev.omem.ingest;

import java.util.Arrays;

/** Maximum one-to-one matching of a bipartite graph (Kuhn's augmenting paths): small graphs. */
final class Matching {
  interface Edge {
    boolean test(int left, int right);
  }

  private Matching() {}

  /** How many left nodes can be matched to distinct right nodes along {@code edge}. */
  static int size(int left, int right, Edge edge) {
    int[] owner = new int[right];
    Arrays.fill(owner, -1);
    int n = 0;
    for (int i = 0; i < left; i++) {
      if (augment(i, new boolean[right], owner, right, edge)) {
        n++;
      }
    }
    return n;
  }

  private static boolean augment(int i, boolean[] seen, int[] owner, int right, Edge edge) {
    for (int j = 0; j < right; j++) {
      if (!seen[j] && edge.test(i, j)) {
        seen[j] = true;
        if (owner[j] < 0 || augment(owner[j], seen, owner, right, edge)) {
          owner[j] = i;
          return true;
        }
      }
    }
    return false;
  }
}
