package dev.omem.http;

import dev.omem.domain.OmemException;
import dev.omem.service.VersionConflict;

/**
 * The {@code If-Match} header of an update (RFC 9110 13.1.1) read as a memory version: {@code "3"},
 * {@code W/"3"} or a bare {@code 3}; {@code *} (any current version) is no check. A mismatch is a
 * 412, where the same mismatch given as {@code version} in the body is a 409 ({@link
 * PreconditionFailed}).
 */
final class IfMatch {
  private IfMatch() {}

  /** The version the header names; null when there is no header or it is {@code *}. */
  static Long version(String header) {
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return null;
    }
    String v = header.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // described below
    }
    // A list of tags, or one this server never sent: a clear 400 rather than a silent write.
    throw OmemException.invalid(
        "If-Match must name one memory version, like \"3\" (the memory's version field), got "
            + header.trim());
  }

  /** The version to expect: the header's or the body's; both given, they must agree. */
  static Long expected(Long header, Long body) {
    if (header != null && body != null && !header.equals(body)) {
      throw OmemException.invalid(
          "If-Match (" + header + ") and version in the body (" + body + ") disagree; give one");
    }
    return header != null ? header : body;
  }

  /** A version conflict found for an {@code If-Match} request: answered 412, not 409. */
  static final class PreconditionFailed extends OmemException {
    private static final long serialVersionUID = 1L;

    private final long current;

    PreconditionFailed(VersionConflict c) {
      super(c.code(), c.getMessage(), c);
      this.current = c.current();
    }

    long current() {
      return current;
    }
  }
}
