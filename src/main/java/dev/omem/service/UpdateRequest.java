package dev.omem.service;

import java.util.List;

/**
 * Changes to a memory; null fields stay as they are, {@code tags} replaces the list. {@code
 * confirm} true confirms a candidate (issue 14); false is refused (a memory is not unconfirmed).
 */
public record UpdateRequest(
    String id,
    String content,
    List<String> tags,
    String category,
    Double importance,
    String state,
    Boolean confirm) {

  /** An update without a confirmation. */
  public UpdateRequest(
      String id,
      String content,
      List<String> tags,
      String category,
      Double importance,
      String state) {
    this(id, content, tags, category, importance, state, null);
  }
}
