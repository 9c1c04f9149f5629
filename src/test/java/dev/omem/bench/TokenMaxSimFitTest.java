package dev.omem.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.WordPieceTokenizer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The late-interaction probe's content pieces (the real tokenizer) and features (fixed states). */
class TokenMaxSimFitTest {

  @Test
  void stopWordsAndPunctuationAreNotContentAndAWordsContinuationsFollowItsFirstPiece()
      throws Exception {
    String resource = ModelCatalog.DEFAULT.tokenizerResource();
    Map<Long, String> vocab = TokenMaxSimFit.vocabulary(resource);
    WordPieceTokenizer tok = WordPieceTokenizer.fromResource(resource);
    long[] all = tok.encode("add a column to the bookings table.", 512).ids();
    long[] ids = java.util.Arrays.copyOfRange(all, 1, all.length - 1);
    StringBuilder pieces = new StringBuilder();
    for (long id : ids) {
      pieces.append(vocab.get(id)).append(' ');
    }
    // "bookings" is two pieces, both content; "a", "to", "the" and "." are not.
    assertEquals("add a column to the booking ##s table . ", pieces.toString());
    assertArrayEquals(
        new boolean[] {true, false, true, false, false, true, true, true, false},
        TokenMaxSimFit.content(ids, vocab));
  }

  @Test
  void maxSimAveragesEachContentPiecesBestCosineAndIdfWeightsAllPieces() {
    float[] x = {1, 0, 0};
    float[] y = {0, 1, 0};
    float[] z = {0, 0, 1};
    // Prompt: a content piece along x, one along y, a stop piece along z.
    TokenMaxSimFit.Pieces q =
        new TokenMaxSimFit.Pieces(
            new long[] {10, 11, 12}, new float[][] {x, y, z}, new boolean[] {true, true, false});
    // Memory: one piece along x, one along z.
    TokenMaxSimFit.Pieces m =
        new TokenMaxSimFit.Pieces(new long[] {10, 12}, new float[][] {x, z}, new boolean[2]);
    // Piece 12 is in every one of 3 memories, 10 in one, 11 in none.
    double[] f = TokenMaxSimFit.extra(q, m, Map.of(10L, 1, 12L, 3), 3, 0.8);
    assertEquals(0.5, f[0], 1e-12); // (1 + 0) / 2: the stop piece's match does not count
    double i10 = Math.log(4 / 1.5);
    double i11 = Math.log(4 / 0.5);
    double i12 = Math.log(4 / 3.5);
    assertEquals((i10 * 1 + i11 * 0 + i12 * 1) / (i10 + i11 + i12), f[1], 1e-12);
    assertEquals(0.5, f[2], 1e-12); // one of two content pieces at or above 0.8
  }
}
