package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The memo hands each vector out once, by exact text, and keeps a bounded number. */
class VectorMemoTest {
  @Test
  void aVectorIsHandedOutOnceForExactlyItsText() {
    VectorMemo memo = new VectorMemo();
    float[] v = {0.6f, 0.8f};
    memo.put("Use pnpm, never npm.", v);
    assertFalse(memo.take("use pnpm, never npm.").isPresent(), "another text, another vector");
    assertArrayEquals(v, memo.take("Use pnpm, never npm.").orElseThrow());
    assertFalse(memo.take("Use pnpm, never npm.").isPresent(), "taken once");
  }

  @Test
  void theOldestVectorsLeaveOnceTheMemoIsFull() {
    VectorMemo memo = new VectorMemo();
    for (int i = 0; i <= VectorMemo.CAPACITY; i++) {
      memo.put("fact " + i, new float[] {i});
    }
    assertFalse(memo.take("fact 0").isPresent(), "the oldest left");
    assertTrue(memo.take("fact 1").isPresent());
    assertTrue(memo.take("fact " + VectorMemo.CAPACITY).isPresent());
  }
}
