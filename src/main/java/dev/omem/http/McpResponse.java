package dev.omem.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The response to an MCP request as the SDK's servlet transport writes it, with two changes: the
 * session id it hands out is reported (so that {@link ApiGate} knows which key opened it), and its
 * error answers become ourmem's error envelope with the same status and message. (The SDK writes an
 * error as the serialised Java exception: class names, line numbers and library versions in a stack
 * trace, to anyone with a key.) Successful answers, streams included, pass untouched.
 */
final class McpResponse extends HttpServletResponseWrapper {
  private static final int MAX_MESSAGE = 500;

  private final ObjectMapper json;
  private final Consumer<String> onSession;
  private int errorStatus;
  private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
  private String errorMessage;
  private boolean errorWritten;

  McpResponse(HttpServletResponse resp, ObjectMapper json, Consumer<String> onSession) {
    super(resp);
    this.json = json;
    this.onSession = onSession;
  }

  @Override
  public void setHeader(String name, String value) {
    record(name, value);
    super.setHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    record(name, value);
    super.addHeader(name, value);
  }

  private void record(String name, String value) {
    if (ApiGate.SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
      onSession.accept(value);
    }
  }

  @Override
  public void setStatus(int sc) {
    if (sc >= 400) {
      errorStatus = sc; // the body that follows is the SDK's error; it is rewritten on flush
    } else {
      super.setStatus(sc);
    }
  }

  @Override
  public int getStatus() {
    return errorStatus != 0 ? errorStatus : super.getStatus();
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    errorStatus = sc;
    errorMessage = msg;
    writeError();
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (errorStatus == 0) {
      return super.getWriter();
    }
    return new PrintWriter(new OutputStreamWriter(errorStream(), StandardCharsets.UTF_8));
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    return errorStatus == 0 ? super.getOutputStream() : errorStream();
  }

  /** Writes the envelope if the SDK answered an error it has not flushed (call after the chain). */
  void complete() throws IOException {
    if (errorStatus != 0) {
      writeError();
    }
  }

  /** Collects the SDK's error body; its flush or close writes the envelope in its place. */
  private ServletOutputStream errorStream() {
    return new ServletOutputStream() {
      @Override
      public void write(int b) {
        errorBody.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        errorBody.write(b, off, len);
      }

      @Override
      public void flush() {
        try {
          writeError();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void close() {
        flush();
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {
        throw new UnsupportedOperationException("error answers are written at once");
      }
    };
  }

  private synchronized void writeError() throws IOException {
    if (errorWritten) {
      return;
    }
    errorWritten = true;
    new ApiError(errorStatus, code(errorStatus), message())
        .write((HttpServletResponse) getResponse(), json);
  }

  /** The SDK's own message (of its JSON-RPC error), else a plain one. */
  private String message() {
    String m = errorMessage;
    if (m == null && errorBody.size() > 0) {
      try {
        JsonNode j = json.readTree(errorBody.toByteArray());
        JsonNode rpc = j.path("jsonRpcError").path("message");
        JsonNode plain = j.path("message");
        m = rpc.isTextual() ? rpc.asText() : plain.isTextual() ? plain.asText() : null;
      } catch (IOException e) {
        m = null;
      }
    }
    if (m == null || m.isBlank()) {
      m = "the MCP request was refused (HTTP " + errorStatus + ")";
    }
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
  }

  private static String code(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> status < 500 ? "validation_error" : "internal_error";
    };
  }
}
