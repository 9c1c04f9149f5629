package dev.omem.ingest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Character-trigram counts of a text and their cosine: a text similarity that needs no model and
 * costs microseconds, good enough to tell that "running the unit tests now" is close to "running
 * the tests now". Letters and digits are kept, everything else becomes one space, and each word is
 * padded by a space on both sides so that word starts and ends count.
 */
final class Trigrams {
  private Trigrams() {}

  /** The normalised text the trigrams are taken from: lower case, words separated by a space. */
  static String normalise(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append(' ');
    boolean space = true;
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
        space = false;
      } else if (!space) {
        b.append(' ');
        space = true;
      }
    }
    if (!space) {
      b.append(' ');
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /** Trigram → count of the normalised {@code text}. */
  static Map<String, Integer> of(String text) {
    String n = normalise(text);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i + 3 <= n.length(); i++) {
      counts.merge(n.substring(i, i + 3), 1, Integer::sum);
    }
    return counts;
  }

  /** The Euclidean norm of a count vector. */
  static double norm(Map<String, Integer> v) {
    double s = 0;
    for (int c : v.values()) {
      s += (double) c * c;
    }
    return Math.sqrt(s);
  }

  /** Cosine of two texts' trigram vectors, in [0, 1]; 0 when either has none. */
  static double cosine(String a, String b) {
    Map<String, Integer> va = of(a);
    Map<String, Integer> vb = of(b);
    double na = norm(va);
    double nb = norm(vb);
    if (na == 0 || nb == 0) {
      return 0;
    }
    double dot = 0;
    for (Map.Entry<String, Integer> e : va.entrySet()) {
      Integer c = vb.get(e.getKey());
      if (c != null) {
        dot += (double) e.getValue() * c;
      }
    }
    return dot / (na * nb);
  }
}
