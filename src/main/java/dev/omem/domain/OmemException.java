package dev.omem.domain;

/**
 * A failure a caller can act on. Every face turns it into its own error form: an MCP {@code
 * isError} result, the ourmem HTTP error envelope, or one line on stderr.
 */
public class OmemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public OmemException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public OmemException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static OmemException invalid(String message) {
    return new OmemException(ErrorCode.VALIDATION, message);
  }

  public static OmemException forbidden(String message) {
    return new OmemException(ErrorCode.FORBIDDEN, message);
  }

  public static OmemException notFound(String message) {
    return new OmemException(ErrorCode.NOT_FOUND, message);
  }
}
