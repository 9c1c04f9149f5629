package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reply is read with the words of the turn it answers (ReplyWords): the arithmetic on fixed
 * candidates. (A service-level case was written and dropped: the context expansion alone already
 * lifted its reply, so it could not fail on this step.)
 */
class ReplyWordsTest {
  static Candidate hit(Map<String, Candidate> byId, String id, double bm25, int rank) {
    Candidate c = new Candidate(id);
    c.bm25 = bm25;
    c.bm25Rank = rank;
    byId.put(id, c);
    return c;
  }

  @Test
  void aReplyGetsTheTurnBeforesScoreAndTheListIsPlacedAgain() {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    Candidate question = hit(byId, "q", 1.0, 0);
    Candidate other = hit(byId, "o", 0.75, 1);
    Candidate echo = hit(byId, "e", 0.25, 2); // a hit itself, and the reply to "o"
    // "r" answers "q" and shares no word with the query; "x" follows nothing the query found.
    ReplyWords.lend(byId, List.of("q", "o", "e"), Map.of("q", "r", "o", "e"), 1.0);
    Candidate reply = byId.get("r");
    // Scores before the division: q 1.0, r 0 + 1.0, o 0.75, e 0.25 + 0.75; the best is 1.0.
    assertEquals(1.0, question.bm25, 1e-12);
    assertEquals(1.0, reply.bm25, 1e-12);
    assertEquals(1.0, echo.bm25, 1e-12);
    assertEquals(0.75, other.bm25, 1e-12);
    assertEquals(0, question.bm25Rank);
    assertEquals(0, reply.bm25Rank, "equal scores share a place");
    assertEquals(0, echo.bm25Rank);
    assertEquals(3, other.bm25Rank);
    assertTrue(Double.isNaN(reply.cosine), "a BM25 score only");
  }

  @Test
  void theBestIsDividedOutWhenAReplyOvertakesIt() {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    hit(byId, "a", 1.0, 0);
    Candidate b = hit(byId, "b", 0.5, 1); // answers "a"
    ReplyWords.lend(byId, List.of("a", "b"), Map.of("a", "b"), 1.0);
    assertEquals(1.0, b.bm25, 1e-12);
    assertEquals(0, b.bm25Rank);
    assertEquals(1.0 / 1.5, byId.get("a").bm25, 1e-12);
    assertEquals(1, byId.get("a").bm25Rank);
  }

  @Test
  void offOrWithoutNeighboursNothingMoves() {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    Candidate a = hit(byId, "a", 0.7, 0);
    ReplyWords.lend(byId, List.of("a"), Map.of("a", "b"), 0);
    ReplyWords.lend(byId, List.of("a"), Map.of(), 1.0);
    assertEquals(0.7, a.bm25, 1e-12);
    assertEquals(1, byId.size());
  }
}
