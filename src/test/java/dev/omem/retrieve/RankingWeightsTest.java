package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lists and the window grown with the searched partition's size (issue 19, session 23). */
class RankingWeightsTest {
  @Test
  void aStoreTheListsHoldWholeKeepsTheBase() {
    // The coding lane's stores (17-23 memories) and an unknown size (-1, the store answering) must
    // read exactly what the relevance model was fitted on.
    for (int memories : new int[] {-1, 0, 1, 23, RankingWeights.CANDIDATES}) {
      assertEquals(RankingWeights.CANDIDATES, RankingWeights.scaled(100, memories));
      assertEquals(30, RankingWeights.scaled(30, memories));
    }
  }

  @Test
  void eachTenfoldAddsTheSameShare() {
    assertEquals(150, RankingWeights.scaled(100, 1_000));
    assertEquals(200, RankingWeights.scaled(100, 10_000));
    assertEquals(250, RankingWeights.scaled(100, 100_000));
    assertEquals(75, RankingWeights.scaled(50, 1_000));
    int last = 0;
    for (int memories = 1; memories <= 1_000_000; memories *= 3) {
      int k = RankingWeights.scaled(50, memories);
      assertTrue(k >= last, "never shrinks as the store grows: " + memories);
      last = k;
    }
  }
}
