package dev.omem.ingest;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cues reconciliation reads from a fact's wording: its content words, whether it negates,
 * whether it announces a change, whether it qualifies (only when, for tests, unless).
 */
final class FactText {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}+#._/-]*");

  /** Function words and stance words that say nothing about what a fact is about. */
  private static final Set<String> STOP =
      Set.of(
          "a",
          "an",
          "the",
          "i",
          "we",
          "you",
          "me",
          "my",
          "our",
          "us",
          "it",
          "its",
          "is",
          "are",
          "was",
          "were",
          "be",
          "been",
          "am",
          "to",
          "of",
          "in",
          "on",
          "for",
          "with",
          "and",
          "or",
          "that",
          "this",
          "these",
          "those",
          "as",
          "at",
          "by",
          "from",
          "so",
          "do",
          "does",
          "did",
          "have",
          "has",
          "had",
          "will",
          "would",
          "should",
          "can",
          "could",
          "let",
          "lets",
          "let's",
          "please",
          "all",
          "any",
          "also",
          "just",
          "really",
          "now",
          "actually",
          "always",
          "use",
          "using",
          "used",
          "prefer",
          "prefers",
          "preferred",
          "like",
          "likes",
          "want",
          "wants",
          "remember",
          "note",
          "then",
          "than",
          "there",
          "here",
          "what",
          "which",
          "who",
          "when",
          "if",
          "not",
          "no",
          "never",
          "don't",
          "dont",
          "doesn't",
          "instead",
          "rather",
          "over",
          "every",
          "each",
          "i'd",
          "i'm",
          "get",
          "make",
          "keep",
          "kept",
          "up");

  /** "no longer", "from now on", "switched to": the speaker says an earlier fact changed. */
  private static final Pattern CHANGE =
      Pattern.compile(
          "\\b(actually|instead|no longer|not anymore|any ?more|from now on|switch(ed|ing)? (to|from)"
              + "|changed?( my mind)?|moved (to|from)|migrat(ed|ing) (to|from)|now (prefer|use|want)"
              + "|these days|replac(e|ed|ing)|rather than|going forward|nowadays|never ?mind|stick(ing)? with"
              + "|renamed|go(ing)? back to)\\b",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern NEGATION =
      Pattern.compile(
          "\\b(not|never|no|don't|dont|doesn't|do not|does not|avoid|stop|without|nor|can't"
              + "|cannot|shouldn't|won't)\\b",
          Pattern.CASE_INSENSITIVE);

  /** Words that narrow a fact to a case: the new fact then qualifies the old one. */
  private static final Pattern QUALIFIER =
      Pattern.compile(
          "\\b(only|except|unless|when|whenever|if|but|for (tests|production|ci|local)"
              + "|in (tests|production|ci|staging)|on (ci|mac|macos|linux|windows))\\b",
          Pattern.CASE_INSENSITIVE);

  /**
   * Words that state a stance or a setting (a preference, a rule, a choice): two such facts of the
   * same shape with one value swapped say the setting changed. Without a stance, two facts of the
   * same shape ("note one", "note two") are simply two facts.
   */
  private static final Pattern STANCE =
      Pattern.compile(
          "\\b(prefer\\w*|use|uses|using|always|never|should|must|decided|default|convention"
              + "|standard|likes?|wants?|favou?rite|rather|runs? on)\\b",
          Pattern.CASE_INSENSITIVE);

  private FactText() {}

  /** The lower-cased content words of {@code text}, in order, without repeats. */
  static Set<String> contentWords(String text) {
    Set<String> out = new LinkedHashSet<>();
    var m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = withoutTrailingPunctuation(m.group());
      if ((w.length() > 1 || Character.isDigit(w.charAt(0))) && !STOP.contains(w)) {
        out.add(stem(w));
      }
    }
    return out;
  }

  /**
   * {@code word} without the dots, slashes, dashes and underscores it ends with ("build.gradle." is
   * "build.gradle"). A loop, not {@code replaceAll}: that compiled its pattern for every word, half
   * of the reconcile step's Java samples and 4% of a store's (issue 19, session 12 profile).
   */
  static String withoutTrailingPunctuation(String word) {
    int end = word.length();
    while (end > 0 && "._/-".indexOf(word.charAt(end - 1)) >= 0) {
      end--;
    }
    return word.substring(0, end);
  }

  /**
   * A crude English stem, enough for "committing" and "commit" or "projects" and "project" to count
   * as one word: -ing, -ed, -es, -s off words of five letters or more, and a doubled last consonant
   * undone.
   */
  static String stem(String w) {
    if (w.length() < 5 || !w.chars().allMatch(Character::isLetter)) {
      return w;
    }
    String s = w;
    if (s.endsWith("ing")) {
      s = s.substring(0, s.length() - 3);
    } else if (s.endsWith("ed")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("es") && !s.endsWith("ses")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s") && !s.endsWith("ss")) {
      s = s.substring(0, s.length() - 1);
    }
    int n = s.length();
    if (n > 3 && s.charAt(n - 1) == s.charAt(n - 2) && "aeiou".indexOf(s.charAt(n - 1)) < 0) {
      s = s.substring(0, n - 1);
    }
    return s;
  }

  private static final Pattern DIGITS = Pattern.compile("\\d+");

  /**
   * How many of the two texts' numbers differ, compared in order ("server 3 note 0" and "server 0
   * note 3" differ in two): one changed number is a changed value (a port, a version), several are
   * another instance of a numbered template.
   */
  static int numbersChanged(String a, String b) {
    java.util.List<String> x = DIGITS.matcher(a).results().map(r -> r.group()).toList();
    java.util.List<String> y = DIGITS.matcher(b).results().map(r -> r.group()).toList();
    int changed = Math.abs(x.size() - y.size());
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      if (!x.get(i).equals(y.get(i))) {
        changed++;
      }
    }
    return changed;
  }

  static boolean statesStance(String text) {
    return STANCE.matcher(text).find();
  }

  /** Jaccard overlap of the two texts' content words, in [0, 1]: a similarity without vectors. */
  static double overlap(String a, String b) {
    return overlap(contentWords(a), contentWords(b));
  }

  /** {@link #overlap(String, String)} of two texts' {@link #contentWords} already read. */
  static double overlap(Set<String> x, Set<String> y) {
    if (x.isEmpty() && y.isEmpty()) {
      return 1;
    }
    long shared = x.stream().filter(y::contains).count();
    return (double) shared / (x.size() + y.size() - shared);
  }

  static boolean announcesChange(String text) {
    return CHANGE.matcher(text).find();
  }

  static boolean negates(String text) {
    return NEGATION.matcher(text).find();
  }

  /** How many narrowing phrases {@code text} has ("only", "unless", "in CI", ...). */
  static long qualifiers(String text) {
    return QUALIFIER.matcher(text).results().count();
  }
}
