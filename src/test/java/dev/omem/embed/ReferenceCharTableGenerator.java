package dev.omem.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Run by hand (not a test) when the reference tokenizer or the JDK changes: classifies every code
 * point as the reference (DJL's HuggingFace tokenizers) and as {@link BertText} treat it, and
 * prints the Java source of the code points where they disagree, for {@code BertText}'s tables.
 * Prints nothing to add when the two agree. {@code WordPieceTokenizerTest} checks the same ground
 * in a pass/fail way.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.omem.embed.ReferenceCharTableGenerator
 * </pre>
 */
public final class ReferenceCharTableGenerator {

  private ReferenceCharTableGenerator() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("OPT_OUT_TRACKING", "true");
    byte[] json = ClassPathResources.read(ModelCatalog.DEFAULT.tokenizerResource());
    // A second tokenizer without accent stripping separates "control" from "non-spacing mark".
    String noStrip =
        new String(json, java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"strip_accents\":null", "\"strip_accents\":false")
            .replace("\"strip_accents\": null", "\"strip_accents\": false");
    Path strip = Files.createTempFile("strip", ".json");
    Path plain = Files.createTempFile("plain", ".json");
    Files.write(strip, json);
    Files.writeString(plain, noStrip);
    Map<String, String> options = Map.of("truncation", "false", "padding", "false");
    try (HuggingFaceTokenizer refStrip = HuggingFaceTokenizer.newInstance(strip, options);
        HuggingFaceTokenizer refPlain = HuggingFaceTokenizer.newInstance(plain, options)) {
      WordPieceTokenizer ourStrip = WordPieceTokenizer.fromJson(new ByteArrayInputStream(json));
      WordPieceTokenizer ourPlain =
          WordPieceTokenizer.fromJson(
              new ByteArrayInputStream(noStrip.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      List<Integer> ordinary = new ArrayList<>();
      List<String> other = new ArrayList<>();
      for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
          continue;
        }
        String reference =
            classify(t -> refStrip.encode(t).getIds(), t -> refPlain.encode(t).getIds(), cp);
        String ours =
            classify(
                t -> ourStrip.encode(t, Integer.MAX_VALUE).ids(),
                t -> ourPlain.encode(t, Integer.MAX_VALUE).ids(),
                cp);
        if (reference.equals(ours)) {
          continue;
        }
        if (reference.equals("ORDINARY")) {
          ordinary.add(cp);
        } else {
          other.add(String.format("U+%04X: reference %s, ours %s", cp, reference, ours));
        }
      }
      System.out.println("// Add to REFERENCE_ORDINARY (inclusive ranges):");
      System.out.println(ranges(ordinary));
      System.out.println("// Handle by hand:");
      other.forEach(System.out::println);
    } finally {
      Files.delete(strip);
      Files.delete(plain);
    }
  }

  /** How a tokenizer treats {@code cp} inside the word {@code a<cp>b}. */
  private static String classify(
      Function<String, long[]> strip, Function<String, long[]> plain, int cp) {
    String c = new String(Character.toChars(cp));
    long[] joined = plain.apply("ab");
    long[] split = plain.apply("a b");
    long[] result = plain.apply("a" + c + "b");
    if (Arrays.equals(result, joined)) {
      return "CONTROL"; // removed before anything else
    }
    if (Arrays.equals(result, split)) {
      return "WHITESPACE";
    }
    if (result.length == 5 && result[1] == split[1] && result[3] == split[2]) {
      return "PUNCTUATION"; // or a CJK ideograph: those are spaced out by fixed ranges
    }
    if (Arrays.equals(strip.apply("a" + c + "b"), strip.apply("ab"))) {
      return "NON_SPACING_MARK";
    }
    return "ORDINARY";
  }

  private static String ranges(List<Integer> points) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < points.size()) {
      int start = points.get(i);
      int end = start;
      while (i + 1 < points.size() && points.get(i + 1) == end + 1) {
        end = points.get(++i);
      }
      i++;
      sb.append(String.format("0x%04X, 0x%04X,%n", start, end));
    }
    return sb.toString();
  }
}
