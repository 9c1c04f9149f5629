package dev.omem.domain;

import java.util.Locale;

/** Error kinds, named and numbered as in ourmem's error envelope. */
public enum ErrorCode {
  VALIDATION(400),
  UNAUTHORIZED(401),
  /** A known caller without the right: a reader writing, a member managing a space. */
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  RATE_LIMITED(429),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The envelope's {@code code} string, e.g. {@code validation_error}. */
  public String wire() {
    return switch (this) {
      case VALIDATION -> "validation_error";
      case INTERNAL -> "internal_error";
      default -> name().toLowerCase(Locale.ROOT);
    };
  }
}
