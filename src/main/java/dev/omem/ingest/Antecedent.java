package dev.omem.ingest;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A kept piece that names its subject only by a pronoun ("Let's try setting <b>it</b> to start at
 * 3600.") is stored after the earlier sentence of its turn it is about ("Let's set vite to run on a
 * different starting port in this project."): a memory must say what it is about, or a search on
 * its topic cannot find it and a change of mind cannot be matched to the fact it replaces. The
 * referent is often not the sentence right before (a reason may sit between), so it is the earlier
 * piece nearest the pronoun piece by the shipped model (docs/extraction/supersede-rule.md, session
 * 21, step 3). The pronouns are English's closed class of third-person ones; nothing here is tuned.
 */
final class Antecedent {
  private static final Pattern REFERS_BACK =
      Pattern.compile("(?i)\\b(?:it|its|they|them|their)\\b");

  /** The longest joined text: the bound on a memory that states one fact. */
  static final int MAX_JOINED = 250;

  private Antecedent() {}

  /** Whether {@code text} refers back by a third-person pronoun. */
  static boolean refersBack(String text) {
    return REFERS_BACK.matcher(text).find();
  }

  /**
   * The text to store for piece {@code i} of {@code pieces} (their vectors {@code vectors}): joined
   * after its antecedent when it refers back, the antecedent being the earlier piece of the same
   * turn, neither a question nor pasted output, with the highest cosine to it; else the piece.
   */
  static String withAntecedent(
      List<LearnedExtractor.Sentence> pieces, List<float[]> vectors, int i) {
    String piece = pieces.get(i).text();
    if (!refersBack(piece) || vectors.get(i) == null) {
      return piece;
    }
    String best = null;
    double top = Double.NEGATIVE_INFINITY;
    for (int j = i - 1; j >= 0 && pieces.get(j).turn() == pieces.get(i).turn(); j--) {
      String t = pieces.get(j).text();
      if (t.isBlank() || t.contains("?") || PastedForm.pasted(t) || vectors.get(j) == null) {
        continue;
      }
      double c = FactFeatures.dot(vectors.get(j), vectors.get(i));
      if (c > top) {
        top = c;
        best = t;
      }
    }
    if (best == null) {
      return piece;
    }
    String joined = best.strip() + " " + piece.strip();
    return joined.length() <= MAX_JOINED ? joined : piece;
  }
}
