package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The kept query vectors: one model call per text while it is kept, never a shared array. */
class QueryVectorsTest {

  /** Counts its calls; the vector tells which text and which call made it. */
  private final List<String> calls = new ArrayList<>();

  private final Function<String, float[]> model =
      text -> {
        calls.add(text);
        return new float[] {text.hashCode(), calls.size()};
      };

  @Test
  void theSameTextIsEmbeddedOnce() {
    QueryVectors kept = new QueryVectors();
    float[] first = kept.get("port of billing", model);
    assertArrayEquals(first, kept.get("port of billing", model));
    kept.get("Port of billing", model); // exact text: another query
    assertEquals(List.of("port of billing", "Port of billing"), calls);
  }

  @Test
  void everyCallerGetsItsOwnCopy() {
    QueryVectors kept = new QueryVectors();
    float[] first = kept.get("q", model);
    first[0] = -1;
    assertEquals("q".hashCode(), kept.get("q", model)[0]);
  }

  @Test
  void theLeastRecentlyUsedLeavesFirst() {
    QueryVectors kept = new QueryVectors();
    kept.get("old", model);
    for (int i = 1; i < QueryVectors.CAPACITY; i++) {
      kept.get("q" + i, model);
    }
    kept.get("old", model); // used again: now the most recent
    kept.get("one more", model); // q1 leaves, not old
    calls.clear();
    kept.get("old", model);
    kept.get("q1", model);
    assertEquals(List.of("q1"), calls);
  }

  @Test
  void aVeryLongTextIsNotKept() {
    QueryVectors kept = new QueryVectors();
    String log = "x".repeat(QueryVectors.MAX_CHARS + 1);
    kept.get(log, model);
    kept.get(log, model);
    assertEquals(2, calls.size());
  }
}
