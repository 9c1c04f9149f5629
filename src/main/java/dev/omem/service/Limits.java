package dev.omem.service;

/** Input limits every face enforces the same way (they are named in the tool schemas). */
public final class Limits {
  private Limits() {}

  /** 32 KiB of UTF-8: room for a long design note, not for a pasted log file. */
  public static final int MAX_CONTENT_BYTES = 32 * 1024;

  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG_LENGTH = 64;
  public static final int DEFAULT_SEARCH_LIMIT = 10;
  public static final int MAX_SEARCH_LIMIT = 100;
  public static final int DEFAULT_LIST_LIMIT = 20;
  public static final int MAX_LIST_LIMIT = 200;
  public static final int MAX_QUERY_CHARS = 4_000;
  public static final int MAX_INGEST_MESSAGES = 500;
}
