package dev.omem.service;

import java.util.List;

/**
 * Changes to a memory; null fields stay as they are, {@code tags} replaces the list. {@code
 * confirm} true confirms a candidate (issue 14); false is refused (a memory is not unconfirmed).
 * {@code expectedVersion}, when given, is the version the caller read: the edit is refused with a
 * {@link VersionConflict} if the memory has moved on since (optimistic concurrency, issue 17); null
 * writes whatever the version, as ourmem does. {@code tier} moves the memory to a decay tier: the
 * web UI's pin is tier {@code core} (the slowest-fading tier; the lifecycle's rules still apply).
 */
public record UpdateRequest(
    String id,
    String content,
    List<String> tags,
    String category,
    Double importance,
    String state,
    Boolean confirm,
    Long expectedVersion,
    String tier) {

  /** An update without a tier change. */
  public UpdateRequest(
      String id,
      String content,
      List<String> tags,
      String category,
      Double importance,
      String state,
      Boolean confirm,
      Long expectedVersion) {
    this(id, content, tags, category, importance, state, confirm, expectedVersion, null);
  }

  /** An update without a version check. */
  public UpdateRequest(
      String id,
      String content,
      List<String> tags,
      String category,
      Double importance,
      String state,
      Boolean confirm) {
    this(id, content, tags, category, importance, state, confirm, null, null);
  }

  /** An update without a confirmation. */
  public UpdateRequest(
      String id,
      String content,
      List<String> tags,
      String category,
      Double importance,
      String state) {
    this(id, content, tags, category, importance, state, null, null, null);
  }

  /** A soft delete (state {@code deleted}) only while the memory is at {@code expectedVersion}. */
  public static UpdateRequest forget(String id, Long expectedVersion) {
    return new UpdateRequest(id, null, null, null, null, "deleted", null, expectedVersion);
  }
}
