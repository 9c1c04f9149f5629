package dev.omem.portable;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import java.util.List;

/**
 * A memory with everything the store keeps beside it: its history and its vector, which omem's own
 * export format carries so that an import restores the memory as it was without re-embedding.
 *
 * @param vector the stored embedding (unit length), or null when it had none
 * @param model the id of the model that made {@code vector}, or null
 */
public record PortableMemory(
    Memory memory, List<HistoryEntry> history, float[] vector, String model) {

  public PortableMemory {
    history = history == null ? List.of() : List.copyOf(history);
  }
}
