package dev.omem.service;

import java.util.List;

/** Changes to a memory; null fields stay as they are, {@code tags} replaces the list. */
public record UpdateRequest(
    String id,
    String content,
    List<String> tags,
    String category,
    Double importance,
    String state) {}
