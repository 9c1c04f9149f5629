package dev.omem.retrieve;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a query the way people and agents write them: as questions and requests. For the keyword
 * retriever it drops the question's grammar (interrogatives, auxiliaries, pronouns), which Lucene's
 * English stop list keeps and which match nearly every conversational memory; the vector retriever
 * still sees the whole question.
 */
final class QueryReader {
  /**
   * A word, or an identifier kept whole: {@code getUserById}, {@code ERR_MODULE_NOT_FOUND}, {@code
   * src/main/App.tsx}, {@code v1.2.3}, {@code --no-verify} (the index's analyzer splits it too).
   */
  private static final Pattern WORD =
      Pattern.compile("[\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_'’]|[-./:@]+(?=[\\p{L}\\p{N}_]))*");

  /**
   * How a request is framed, not what it is about: "please add a new column to the bookings table"
   * is about a column of the bookings table. Generic verbs of making something are dropped with it;
   * verbs that name a different task (remove, rename, deploy, test) stay. Only in requests: in a
   * wh-question they are its topic. A judgment call.
   */
  private static final Set<String> REQUEST_WORDS =
      Set.of(
          "please",
          "let's",
          "lets",
          "let",
          "want",
          "need",
          "help",
          "try",
          "add",
          "new",
          "create",
          "make",
          "implement",
          "write");

  /**
   * Question grammar: carries no topic. Lucene's English stop words are dropped by its analyzer.
   */
  private static final Set<String> QUESTION_WORDS =
      Set.of(
          "what",
          "when",
          "where",
          "which",
          "who",
          "whom",
          "whose",
          "why",
          "how",
          "did",
          "do",
          "does",
          "done",
          "was",
          "were",
          "is",
          "are",
          "am",
          "be",
          "been",
          "has",
          "have",
          "had",
          "can",
          "could",
          "would",
          "should",
          "will",
          "shall",
          "may",
          "might",
          "must",
          "i",
          "me",
          "my",
          "you",
          "your",
          "we",
          "our",
          "us",
          "he",
          "she",
          "his",
          "her",
          "him",
          "they",
          "them",
          "their",
          "it",
          "its",
          "there",
          "any",
          "some",
          "kind",
          "type",
          "sort",
          "much",
          "many",
          "ever",
          "also",
          "like",
          "likely",
          "something",
          "anything",
          "thing",
          "things");

  private QueryReader() {}

  /** A wh-question: its verbs are its topic ("what does his dance make him?"). */
  private static final Pattern WH_QUESTION =
      Pattern.compile(
          "^\\W*(what|when|where|which|who|whom|whose|why|how)\\b", Pattern.CASE_INSENSITIVE);

  /** The query's topic words for BM25, or the whole query when nothing else is left. */
  static String keywords(String query) {
    boolean request = !WH_QUESTION.matcher(query).find();
    StringBuilder out = new StringBuilder();
    var m = WORD.matcher(query);
    while (m.find()) {
      String w = m.group();
      String lower = w.toLowerCase(Locale.ROOT).replace('’', '\'');
      if (!QUESTION_WORDS.contains(lower) && !(request && REQUEST_WORDS.contains(lower))) {
        out.append(w).append(' ');
      }
    }
    return out.length() == 0 ? query : out.toString().strip();
  }
}
