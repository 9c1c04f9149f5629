package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a listing and the number of memories that match in all; bound by Jackson as ourmem's
 * list answer, each memory as {@link MemoryWire}.
 */
public record MemoryPage(
    @JsonProperty("memories") List<Memory> memories,
    @JsonProperty(MemoryPage.TOTAL_COUNT) long totalCount,
    @JsonProperty(MemoryPage.LIMIT) int limit,
    @JsonProperty("offset") int offset) {
  /** Read back as the page's size when a server leaves them out. */
  static final String TOTAL_COUNT = "total_count";

  static final String LIMIT = "limit";

  public MemoryPage {
    memories = memories == null ? List.of() : memories;
  }
}
