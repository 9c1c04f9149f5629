package dev.omem.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a statement that carry its content: what is left after grammar words, fillers and
 * chat words. The noise filter calls a text without any of them noise; the admission scorer counts
 * them as one part of a fact's utility.
 *
 * <p>The list (duplicates allowed: it is copied into a set) is Lucene's English stop words widened
 * by the pronouns, auxiliaries, fillers and acknowledgements of chat ("ok", "thanks", "hmm"), which
 * say nothing about a project or a person.
 */
final class ContentWords {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}+#_'.-]*");

  private static final Set<String> STOP =
      Set.copyOf(
          List.of(
              // Lucene's English stop words
              "a",
              "an",
              "and",
              "are",
              "as",
              "at",
              "be",
              "but",
              "by",
              "for",
              "if",
              "in",
              "into",
              "is",
              "it",
              "no",
              "not",
              "of",
              "on",
              "or",
              "such",
              "that",
              "the",
              "their",
              "then",
              "there",
              "these",
              "they",
              "this",
              "to",
              "was",
              "will",
              "with",
              // pronouns and determiners
              "i",
              "me",
              "my",
              "mine",
              "we",
              "us",
              "our",
              "ours",
              "you",
              "your",
              "yours",
              "he",
              "him",
              "his",
              "she",
              "her",
              "its",
              "them",
              "those",
              "what",
              "which",
              "who",
              "whom",
              "whose",
              "some",
              "any",
              "all",
              "each",
              "every",
              "both",
              "other",
              "another",
              "one",
              "here",
              // auxiliaries and their contractions
              "am",
              "were",
              "been",
              "being",
              "have",
              "has",
              "had",
              "do",
              "does",
              "did",
              "done",
              "can",
              "could",
              "would",
              "should",
              "shall",
              "may",
              "might",
              "must",
              "i'm",
              "i've",
              "i'll",
              "i'd",
              "we're",
              "we've",
              "we'll",
              "you're",
              "you've",
              "you'll",
              "it's",
              "that's",
              "there's",
              "let's",
              "don't",
              "doesn't",
              "didn't",
              "isn't",
              "aren't",
              "wasn't",
              "won't",
              "can't",
              "cannot",
              "couldn't",
              "shouldn't",
              // adverbs and fillers
              "so",
              "too",
              "very",
              "just",
              "also",
              "now",
              "again",
              "still",
              "yet",
              "already",
              "only",
              "about",
              "from",
              "up",
              "down",
              "out",
              "over",
              "off",
              "than",
              "when",
              "where",
              "why",
              "how",
              "because",
              "while",
              "after",
              "before",
              "some",
              "more",
              "most",
              "much",
              "many",
              "really",
              "actually",
              "maybe",
              "perhaps",
              "probably",
              "quite",
              "pretty",
              "bit",
              "thing",
              "things",
              "stuff",
              "way",
              "lot",
              "lots",
              "kind",
              "sort",
              // chat words
              "ok",
              "okay",
              "yes",
              "yeah",
              "yep",
              "nope",
              "sure",
              "hi",
              "hello",
              "hey",
              "thanks",
              "thank",
              "thx",
              "ty",
              "please",
              "pls",
              "cool",
              "nice",
              "great",
              "good",
              "fine",
              "awesome",
              "perfect",
              "hmm",
              "hmmm",
              "oh",
              "ah",
              "uh",
              "um",
              "well",
              "right",
              "lol",
              "wow",
              "oops",
              "sorry",
              "bye",
              "cheers",
              "alright",
              "got",
              "get",
              "let",
              "go",
              "see",
              "look",
              "looks",
              "like",
              "think",
              "know",
              "want",
              "need",
              "try",
              "make",
              "take"));

  private ContentWords() {}

  /** The lower-cased words of {@code text}, in order, grammar and chat words included. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      while (w.endsWith(".") || w.endsWith("'") || w.endsWith("-")) {
        w = w.substring(0, w.length() - 1);
      }
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** Whether {@code word} (lower case) carries content. */
  static boolean isContent(String word) {
    return word.length() > 1 && !STOP.contains(word);
  }

  /** How many words of {@code text} carry content. */
  static int count(String text) {
    int n = 0;
    for (String w : words(text)) {
      if (isContent(w)) {
        n++;
      }
    }
    return n;
  }
}
