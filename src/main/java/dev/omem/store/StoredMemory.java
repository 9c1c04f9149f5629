package dev.omem.store;

import dev.omem.domain.Memory;

/**
 * A memory row with its vector.
 *
 * @param vector the unit-length embedding, or null while it waits for the model
 * @param model the model id that made {@code vector}, or null
 * @param duplicateAllowed whether the row may repeat an active memory's text in its partition and
 *     scope (a shared copy, an import with {@code force}): outside {@link UniqueActive}'s index
 */
public record StoredMemory(Memory memory, float[] vector, String model, boolean duplicateAllowed) {
  /** A row that takes part in the uniqueness of active text (every ordinary write). */
  public StoredMemory(Memory memory, float[] vector, String model) {
    this(memory, vector, model, false);
  }
}
