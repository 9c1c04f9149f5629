package dev.omem.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the pure-Java tokenizer id for id against the HuggingFace {@code tokenizers} library
 * (through DJL's binding) on the same tokenizer.json files.
 */
class WordPieceTokenizerTest {

  private static final String BGE = "bge-small-en-v1.5-q-tokenizer.json";
  private static final String MINILM = "all-minilm-l6-v2-q-tokenizer.json";

  /** Reference without truncation or padding; special tokens added (DJL's default). */
  private static final Map<String, String> UNTRUNCATED =
      Map.of("truncation", "false", "padding", "false");

  @TempDir static Path tmp;

  @BeforeAll
  static void quietDjl() {
    // DJL would otherwise phone home with usage statistics when it detects EC2.
    System.setProperty("OPT_OUT_TRACKING", "true");
  }

  @Test
  void corpusIsLargeAndVaried() {
    assertTrue(TokenizerCorpus.all().size() >= 300, "corpus has " + TokenizerCorpus.all().size());
  }

  @Test
  void bgeMatchesReferenceOnCorpus() throws IOException {
    assertMatchesReference(BGE);
  }

  @Test
  void miniLmMatchesReferenceOnCorpus() throws IOException {
    Assumptions.assumeTrue(
        ClassPathResources.exists(MINILM),
        MINILM + " not on the class path (run with -Pbench-models to include all-minilm)");
    assertMatchesReference(MINILM);
  }

  @Test
  void bgeMatchesReferenceOnEveryCodePoint() throws IOException {
    assertEveryCodePointMatches(resourceBytes(BGE));
  }

  @Test
  void matchesReferenceOnEveryCodePointWithoutAccentStripping() throws IOException {
    // Exercises the non-spacing-mark rules that accent stripping otherwise hides.
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(resourceBytes(BGE));
    ((ObjectNode) root.get("normalizer")).put("strip_accents", false);
    assertEveryCodePointMatches(json.writeValueAsBytes(root));
  }

  @Test
  void framesWithClsAndSep() {
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(BGE);
    WordPieceTokenizer.Encoding empty = tokenizer.encode("", 512);
    assertArrayEquals(new long[] {101, 102}, empty.ids());
    assertArrayEquals(new long[] {1, 1}, empty.attentionMask());
    assertArrayEquals(new long[] {0, 0}, empty.typeIds());
    assertEquals(0, tokenizer.padId());

    WordPieceTokenizer.Encoding two = tokenizer.encode("hello world and more words", 4);
    assertEquals(4, two.length());
    assertEquals(101, two.ids()[0]);
    assertEquals(102, two.ids()[3]);
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("x", 1));
  }

  @Test
  void rejectsOtherTokenizerTypes() {
    String bpe =
        "{\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\"},"
            + "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WordPieceTokenizer.fromJson(
                    new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("BPE"), e.getMessage());
  }

  @Test
  void isThreadSafe() throws Exception {
    WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(BGE);
    List<String> corpus = TokenizerCorpus.all();
    List<long[]> expected = new ArrayList<>();
    for (String text : corpus) {
      expected.add(tokenizer.encode(text, 512).ids());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < corpus.size(); i++) {
                      if (!Arrays.equals(
                          expected.get(i), tokenizer.encode(corpus.get(i), 512).ids())) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertMatchesReference(String resource) throws IOException {
    byte[] json = resourceBytes(resource);
    Path file = write(json);
    WordPieceTokenizer ours = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json));
    List<String> corpus = TokenizerCorpus.all();
    try (HuggingFaceTokenizer full = HuggingFaceTokenizer.newInstance(file, UNTRUNCATED);
        HuggingFaceTokenizer at512 = truncating(file, 512);
        HuggingFaceTokenizer at16 = truncating(file, 16)) {
      int truncated = 0;
      for (String text : corpus) {
        ai.djl.huggingface.tokenizers.Encoding reference = full.encode(text);
        WordPieceTokenizer.Encoding actual = ours.encode(text, Integer.MAX_VALUE);
        String context = describe(text, reference.getTokens());
        assertArrayEquals(reference.getIds(), actual.ids(), context);
        assertArrayEquals(reference.getAttentionMask(), actual.attentionMask(), context);
        assertArrayEquals(reference.getTypeIds(), actual.typeIds(), context);

        assertArrayEquals(at512.encode(text).getIds(), ours.encode(text, 512).ids(), context);
        assertArrayEquals(at16.encode(text).getIds(), ours.encode(text, 16).ids(), context);
        if (reference.getIds().length > 512) {
          truncated++;
        }
      }
      assertTrue(truncated >= 3, "corpus should exceed 512 tokens a few times, did " + truncated);
    }
  }

  /**
   * Every code point (surrogates aside), each inside a word as {@code a<cp>b}, 64 to a string:
   * covers the Unicode-version differences between Java's character data and the reference's.
   */
  private static void assertEveryCodePointMatches(byte[] json) throws IOException {
    WordPieceTokenizer ours = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json));
    try (HuggingFaceTokenizer reference =
        HuggingFaceTokenizer.newInstance(write(json), UNTRUNCATED)) {
      List<String> batch = new ArrayList<>();
      StringBuilder sb = new StringBuilder();
      int inString = 0;
      for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
          continue;
        }
        sb.append('a').appendCodePoint(cp).append("b ");
        if (++inString == 64 || cp == Character.MAX_CODE_POINT) {
          batch.add(sb.toString());
          sb.setLength(0);
          inString = 0;
        }
        if (batch.size() == 256 || cp == Character.MAX_CODE_POINT) {
          ai.djl.huggingface.tokenizers.Encoding[] expected = reference.batchEncode(batch);
          for (int i = 0; i < batch.size(); i++) {
            String text = batch.get(i);
            assertArrayEquals(
                expected[i].getIds(),
                ours.encode(text, Integer.MAX_VALUE).ids(),
                () -> describe(text, null));
          }
          batch.clear();
        }
      }
    }
  }

  private static HuggingFaceTokenizer truncating(Path file, int maxLength) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        file,
        Map.of("truncation", "true", "padding", "false", "maxLength", String.valueOf(maxLength)));
  }

  private static String describe(String text, String[] referenceTokens) {
    StringBuilder sb = new StringBuilder("text: ");
    text.codePoints()
        .limit(200)
        .forEach(
            cp -> {
              if (cp < 0x20 || cp > 0x7E) {
                sb.append(String.format("\\u{%X}", cp));
              } else {
                sb.appendCodePoint(cp);
              }
            });
    if (referenceTokens != null) {
      sb.append(" reference tokens: ")
          .append(
              Arrays.toString(
                  Arrays.copyOf(referenceTokens, Math.min(60, referenceTokens.length))));
    }
    return sb.toString();
  }

  private static byte[] resourceBytes(String resource) throws IOException {
    try (InputStream in = ClassPathResources.open(resource)) {
      return in.readAllBytes();
    }
  }

  private static Path write(byte[] json) throws IOException {
    Path file = Files.createTempFile(tmp, "tokenizer", ".json");
    Files.write(file, json);
    return file;
  }
}
