package dev.omem.service;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;

/**
 * An update that named the version it read ({@link UpdateRequest#expectedVersion}) while the memory
 * is at another: someone else changed it meanwhile. Carries the current version so that every face
 * can report it (HTTP 409 or 412, an MCP error telling the agent to re-read).
 */
public final class VersionConflict extends OmemException {
  private static final long serialVersionUID = 1L;

  private final String memoryId;
  private final long expected;
  private final long current;

  public VersionConflict(String memoryId, long expected, long current, String message) {
    super(ErrorCode.CONFLICT, message);
    this.memoryId = memoryId;
    this.expected = expected;
    this.current = current;
  }

  public VersionConflict(String memoryId, long expected, long current) {
    this(
        memoryId,
        expected,
        current,
        "memory "
            + memoryId
            + " is at version "
            + current
            + ", not the expected version "
            + expected
            + ": it was changed since it was read; read it again and apply the change to the"
            + " current version");
  }

  /** Throws when {@code expected} is given and differs from {@code current}. */
  static void check(String memoryId, Long expected, long current) {
    if (expected != null && expected != current) {
      throw new VersionConflict(memoryId, expected, current);
    }
  }

  public String memoryId() {
    return memoryId;
  }

  public long expected() {
    return expected;
  }

  public long current() {
    return current;
  }
}
