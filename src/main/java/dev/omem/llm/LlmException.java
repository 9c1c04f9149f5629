package dev.omem.llm;

/**
 * A call to an LLM provider that gave no usable answer: an HTTP error, a timeout, no connection, or
 * an answer not in the provider's format. The message names the provider and, for an HTTP error,
 * the status and the provider's own error message; it never holds the prompt, the answer or the
 * key, so it may be logged.
 */
public class LlmException extends RuntimeException {
  private final int status;

  public LlmException(int status, String message) {
    super(message);
    this.status = status;
  }

  public LlmException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status of the answer, 0 when there was none (timeout, no connection). */
  public int status() {
    return status;
  }
}
