package dev.omem.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The few rule features the extraction classifier reads beside a sentence's embedding. Each is a
 * signal the embedding of one sentence lacks or blurs: its length, whether it asks something,
 * whether it names concrete things (code, paths, numbers), and where in the conversation it was
 * said. Their weights are learned ({@link ExtractionModel}); nothing here decides on its own.
 */
public final class FactFeatures {
  /** How many rule features {@link #of} returns. */
  public static final int COUNT = 5;

  private static final Pattern ASKS =
      Pattern.compile(
          "(?i)^(?:can|could|would|will|do|does|did|is|are|was|what|why|how|where|when|which|who"
              + "|any idea|shall)\\b");
  private static final Pattern CONCRETE =
      Pattern.compile("\\d|`|/|_|\\w\\.\\w|\\b[a-z]+[A-Z]\\w*|\\b[A-Z]{2,}\\b");

  private FactFeatures() {}

  /**
   * The rule features of {@code sentence}, said in user turn {@code turn} of {@code turns}: log
   * word count, asks (a question), concrete (code, path, number, name), place (0 first turn .. 1
   * last), answers (the assistant turn before asked something).
   */
  public static double[] of(String sentence, int turn, int turns, boolean answers) {
    String s = sentence.strip();
    int words = s.isEmpty() ? 0 : s.split("\\s+").length;
    boolean asks = s.endsWith("?") || ASKS.matcher(s.toLowerCase(Locale.ROOT)).find();
    return new double[] {
      Math.log1p(words),
      asks ? 1 : 0,
      CONCRETE.matcher(s).find() ? 1 : 0,
      turns <= 1 ? 0 : (double) turn / (turns - 1),
      answers ? 1 : 0
    };
  }
}
