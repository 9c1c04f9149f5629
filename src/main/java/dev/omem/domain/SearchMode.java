package dev.omem.domain;

import java.util.Locale;

/**
 * Which retrievers a search uses. {@code HYBRID} is the product; the single-retriever modes exist
 * for the benchmark's ablations ({@code OMEM_SEARCH_MODE}).
 */
public enum SearchMode {
  HYBRID,
  BM25,
  VECTOR;

  public static SearchMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid("unknown search mode '" + s + "'; use hybrid, bm25 or vector");
    }
  }
}
