package dev.omem.ingest;

import static dev.omem.embed.UnitVectors.dot;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The few rule and context features the extraction classifier reads beside a sentence's embedding.
 * Each is a signal the embedding of one sentence lacks or blurs: its length, whether it asks
 * something, whether it names concrete things (code, paths, numbers), where in the conversation and
 * in its turn it was said, how near it is to the assistant turn it answers (a "yes, track the
 * price" to a question is durable; a new request is not), and how near it is to the rest of the
 * conversation (one-off task text tends to be specific). Their weights are learned ({@link
 * ExtractionModel}); nothing here decides on its own.
 */
public final class FactFeatures {
  /** How many features {@link #of} returns. */
  public static final int COUNT = 12;

  /** How many of them are the sentence's own (the first ones); the rest read its context. */
  public static final int OWN = 5;

  /** The index of the cosine to the assistant turn a piece answers (0 when there is none). */
  public static final int ASKED = 7;

  private static final Pattern ASKS =
      Pattern.compile(
          "(?i)^(?:can|could|would|will|do|does|did|is|are|was|what|why|how|where|when|which|who"
              + "|any idea|shall)\\b");
  private static final Pattern CONCRETE =
      Pattern.compile("\\d|`|/|_|\\w\\.\\w|\\b[a-z]+[A-Z]\\w*|\\b[A-Z]{2,}\\b");

  /**
   * A piece addressed to the agent as a task of the moment: it opens as a request, or points at
   * something of this turn ("this", "that", "here", "now", "above"). Session 17's cue for one-off
   * requests; its weight is learned, and the fit's cross-validation chooses whether it is read.
   */
  private static final Pattern ONE_OFF =
      Pattern.compile(
          "(?i)^(?:please|pls|can you|could you|would you|will you|let'?s|lets|go ahead)\\b"
              + "|\\b(?:this|that|these|those|here|now|above)\\b");

  private FactFeatures() {}

  /**
   * The features of piece {@code s}: log word count, asks (a question), concrete (code, path,
   * number, name), place (0 first user turn .. 1 last), answers (the assistant turn before asked
   * something); then its place in its turn (0 first piece .. 1 last), log pieces in its turn, the
   * cosine of its vector to the assistant turn before ({@code asked}, 0 when none) and the mean
   * cosine to the conversation's other pieces ({@code common}, 0 when none); then the highest
   * cosine to a piece of another user turn ({@code repeat}: said again, 0 when none), the share of
   * its content words the assistant's reply starts with (echoed: taken up as the task of the turn)
   * and whether it reads as a one-off request ({@link #ONE_OFF}).
   */
  public static double[] of(
      LearnedExtractor.Sentence s, double asked, double common, double repeat) {
    String t = s.text().strip();
    int words = t.isEmpty() ? 0 : t.split("\\s+").length;
    boolean asks = t.endsWith("?") || ASKS.matcher(t.toLowerCase(Locale.ROOT)).find();
    return new double[] {
      Math.log1p(words),
      asks ? 1 : 0,
      CONCRETE.matcher(t).find() ? 1 : 0,
      s.turns() <= 1 ? 0 : (double) s.turn() / (s.turns() - 1),
      s.answers() ? 1 : 0,
      s.inTurn() <= 1 ? 0 : (double) s.index() / (s.inTurn() - 1),
      Math.log(Math.max(1, s.inTurn())),
      asked,
      common,
      repeat,
      echoed(t, s.after()),
      ONE_OFF.matcher(t).find() ? 1 : 0
    };
  }

  /** The share of {@code text}'s content words found in {@code reply} (0 when it has none). */
  static double echoed(String text, String reply) {
    List<String> words = ContentWords.words(text).stream().filter(ContentWords::isContent).toList();
    if (words.isEmpty() || reply.isEmpty()) {
      return 0;
    }
    Set<String> in = new HashSet<>(ContentWords.words(reply));
    return (double) words.stream().filter(in::contains).count() / words.size();
  }

  /**
   * The features of every piece of one conversation, in order: {@code vectors} are the pieces'
   * embeddings, {@code before} the embedding of each piece's preceding assistant turn (null: none).
   */
  public static java.util.List<double[]> of(
      java.util.List<LearnedExtractor.Sentence> pieces,
      java.util.List<float[]> vectors,
      java.util.List<float[]> before) {
    java.util.List<double[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      double sum = 0;
      int n = 0;
      double repeat = 0;
      for (int j = 0; j < pieces.size(); j++) {
        if (j != i && !pieces.get(j).text().equalsIgnoreCase(pieces.get(i).text())) {
          sum += dot(vectors.get(i), vectors.get(j));
          n++;
        }
        if (pieces.get(j).turn() != pieces.get(i).turn()) {
          repeat = Math.max(repeat, dot(vectors.get(i), vectors.get(j)));
        }
      }
      float[] b = before.get(i);
      out.add(
          of(pieces.get(i), b == null ? 0 : dot(vectors.get(i), b), n == 0 ? 0 : sum / n, repeat));
    }
    return out;
  }

  /** The dot product of two unit vectors: their cosine. */
}
