package dev.omem.store;

import dev.omem.domain.Memory;

/**
 * A memory row with its vector.
 *
 * @param vector the unit-length embedding, or null while it waits for the model
 * @param model the model id that made {@code vector}, or null
 */
public record StoredMemory(Memory memory, float[] vector, String model) {}
