package dev.omem.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The 413 answer to a body past the limit. HTTP/1.1 leaves the rest of such a body on the
 * connection: closing it under a client that is still sending makes the client fail with a broken
 * pipe before it reads the answer, and keeping it without reading the rest makes the client's next
 * request on it go unanswered. So a body up to {@link #DRAIN_BYTES} is read and dropped (memory
 * stays flat) and the connection stays usable; past that it is closed, and the answer says so.
 */
final class OversizeBody {
  /** 8 MiB: a mistaken upload is read to its end; a flood is cut off. */
  static final long DRAIN_BYTES = 8L << 20;

  private OversizeBody() {}

  static void answer(HttpServletRequest req, HttpServletResponse resp, ObjectMapper json, int limit)
      throws IOException {
    long declared = req.getContentLengthLong();
    boolean drained = declared <= DRAIN_BYTES && drain(req.getInputStream());
    if (!drained) {
      resp.setHeader("Connection", "close");
    }
    ApiError.payloadTooLarge(limit).write(resp, json, Dialect.of(req));
  }

  /** Reads the body to its end; false when it goes past {@link #DRAIN_BYTES}. */
  private static boolean drain(InputStream in) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      if (total > DRAIN_BYTES) {
        return false;
      }
    }
    return true;
  }
}
