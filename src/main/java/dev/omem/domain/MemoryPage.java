package dev.omem.domain;

import java.util.List;

/** One page of a listing and the number of memories that match in all. */
public record MemoryPage(List<Memory> memories, long totalCount, int limit, int offset) {}
