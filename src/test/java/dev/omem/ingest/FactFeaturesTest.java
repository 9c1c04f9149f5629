package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces' context and the keep rule on fixed cases written for this test: the assistant turn a
 * piece answers travels with it, the context features read its vectors, and the per-turn cap keeps
 * the most probable pieces of one turn only.
 */
class FactFeaturesTest {
  private static final List<FactExtractor.Turn> TURNS =
      List.of(
          new FactExtractor.Turn("user", "Build a shop. It sells coffee."),
          new FactExtractor.Turn("assistant", "Done. Should orders keep the price at purchase?"),
          new FactExtractor.Turn(
              "user", "Yes, keep the price at purchase time; no stock tracking."));

  @Test
  void eachPieceKnowsItsTurnItsPlaceAndTheAssistantTurnItAnswers() {
    List<LearnedExtractor.Sentence> s = LearnedExtractor.sentences(TURNS);
    assertEquals(
        List.of(
            "Build a shop.",
            "It sells coffee.",
            "Keep the price at purchase time",
            "No stock tracking."),
        s.stream().map(LearnedExtractor.Sentence::text).toList());
    assertEquals("", s.get(0).before());
    assertFalse(s.get(0).answers());
    assertEquals("Done. Should orders keep the price at purchase?", s.get(2).before());
    assertTrue(s.get(2).answers());
    assertEquals(List.of(0, 1, 0, 1), s.stream().map(LearnedExtractor.Sentence::index).toList());
    assertEquals(List.of(2, 2, 2, 2), s.stream().map(LearnedExtractor.Sentence::inTurn).toList());
  }

  @Test
  void theContextFeaturesReadTheVectors() {
    List<LearnedExtractor.Sentence> s = LearnedExtractor.sentences(TURNS);
    float[] a = {1, 0, 0};
    float[] b = {0, 1, 0};
    float[] q = {0.6f, 0.8f, 0};
    List<double[]> f = FactFeatures.of(s, List.of(a, a, b, b), Arrays.asList(null, null, q, q));
    assertEquals(FactFeatures.COUNT, f.get(0).length);
    // Asked: no assistant turn before the first piece; the third is 0.8 near the question.
    assertEquals(0, f.get(0)[7], 1e-9);
    assertEquals(0.8, f.get(2)[7], 1e-6);
    // Common: the first piece is like one of the three others (its twin) and unlike two.
    assertEquals(1.0 / 3, f.get(0)[8], 1e-6);
    // Place in the turn: first 0, last 1.
    assertEquals(0, f.get(2)[5], 1e-9);
    assertEquals(1, f.get(3)[5], 1e-9);
  }

  @Test
  void eachPieceKnowsTheStartOfTheReplyToItsTurn() {
    List<LearnedExtractor.Sentence> s = LearnedExtractor.sentences(TURNS);
    assertEquals("Done. Should orders keep the price at purchase?", s.get(0).after());
    assertEquals("Done. Should orders keep the price at purchase?", s.get(1).after());
    assertEquals("", s.get(2).after()); // the conversation ends on the user's turn
  }

  @Test
  void repeatIsTheNearestPieceOfAnotherTurn() {
    List<LearnedExtractor.Sentence> s = LearnedExtractor.sentences(TURNS);
    float[] a = {1, 0, 0};
    float[] b = {0, 1, 0};
    float[] q = {0.6f, 0.8f, 0};
    List<double[]> f = FactFeatures.of(s, List.of(a, a, q, b), Arrays.asList(null, null, q, q));
    // The first two pieces share a turn: their cosine of 1 is not a repeat; q in the next is 0.6.
    assertEquals(0.6, f.get(0)[9], 1e-6);
    assertEquals(0.6, f.get(2)[9], 1e-6);
    assertEquals(0, f.get(3)[9], 1e-6);
  }

  @Test
  void echoedIsTheShareOfAPiecesContentWordsTheReplyTakesUp() {
    assertEquals(1, FactFeatures.echoed("Fix the header colour", "I'll fix the header colour."));
    assertEquals(0.5, FactFeatures.echoed("The footer colour", "The colour is set."), 1e-9);
    assertEquals(0, FactFeatures.echoed("Workers never touch the database", "Done."));
    assertEquals(0, FactFeatures.echoed("Fix the header", ""));
    assertEquals(0, FactFeatures.echoed("Yes, it is.", "It is done.")); // no content words
  }

  @Test
  void theOneOffFormIsARequestOpenerOrAPointerToTheMoment() {
    assertEquals(1, oneOff("Can you fix the header?"));
    assertEquals(1, oneOff("Please commit and push."));
    assertEquals(1, oneOff("Let's try 3600."));
    assertEquals(1, oneOff("Look at the error above"));
    assertEquals(0, oneOff("Workers never touch the database."));
    assertEquals(0, oneOff("We always use pnpm for JavaScript projects."));
  }

  private static double oneOff(String text) {
    LearnedExtractor.Sentence s = new LearnedExtractor.Sentence(text, 0, 1, false, "", 0, 1, "");
    return FactFeatures.of(s, 0, 0, 0)[11];
  }

  @Test
  void thePerTurnCapKeepsTheMostProbablePiecesOfATurn() {
    List<LearnedExtractor.Sentence> s = LearnedExtractor.sentences(TURNS);
    double[] p = {0.9, 0.5, 0.3, 0.6};
    assertArrayEquals(
        new boolean[] {true, false, false, true}, LearnedExtractor.keep(s, p, 0.4, 1));
    assertArrayEquals(new boolean[] {true, true, false, true}, LearnedExtractor.keep(s, p, 0.4, 0));
    assertArrayEquals(new boolean[] {true, true, true, true}, LearnedExtractor.keep(s, p, 0.2, 2));
  }

  @Test
  void aRepeatInOneCaptureIsMergedIntoItsMoreProbableTwin() {
    // Pieces 0 and 2 say one fact (cosine 0.96), piece 1 another (cosine 0.28 to both).
    List<float[]> v =
        List.of(
            new float[] {1, 0, 0}, new float[] {0.28f, 0.96f, 0}, new float[] {0.96f, 0.28f, 0});
    boolean[] kept = {true, true, true};
    LearnedExtractor.merge(v, new double[] {0.5, 0.7, 0.9}, kept, 0.9);
    assertArrayEquals(new boolean[] {false, true, true}, kept, "the less probable twin goes");
    boolean[] none = {true, true, true};
    LearnedExtractor.merge(v, new double[] {0.5, 0.7, 0.9}, none, ExtractionModel.NO_MERGE);
    assertArrayEquals(new boolean[] {true, true, true}, none);
    boolean[] dropped = {true, true, false};
    LearnedExtractor.merge(v, new double[] {0.5, 0.7, 0.9}, dropped, 0.9);
    assertArrayEquals(
        new boolean[] {true, true, false}, dropped, "a piece not kept merges nothing away");
  }
}
