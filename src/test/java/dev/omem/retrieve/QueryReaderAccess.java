package dev.omem.retrieve;

import java.util.Set;

/**
 * The benchmarks' (dev.omem.bench) way to the package's text readers, to compute as a search does.
 */
public final class QueryReaderAccess {
  private QueryReaderAccess() {}

  /** {@link QueryReader#keywords}: the words a search reads from a prompt. */
  public static String keywords(String query) {
    return QueryReader.keywords(query);
  }

  /** {@link RelevanceFeatures#contentWords}: stemmed content words, as the features read them. */
  public static Set<String> contentWords(String text, boolean dropStopWords) {
    return RelevanceFeatures.contentWords(text, dropStopWords);
  }
}
