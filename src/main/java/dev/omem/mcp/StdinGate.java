package dev.omem.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between stdin and the SDK's stdio transport: passes on each line that is a JSON object and
 * drops any other line with a warning on stderr. The SDK stops reading for good after one line it
 * cannot decode, which would leave a hung server; this keeps it serving. Also reports end of input,
 * so the server can exit when the client goes away.
 */
final class StdinGate {
  private static final Logger LOG = LoggerFactory.getLogger(StdinGate.class);

  /** Pipe buffer: one 32 KiB memory plus JSON framing fits without blocking the reader. */
  private static final int PIPE_BYTES = 64 * 1024;

  private final ObjectMapper json = new ObjectMapper();
  private final CountDownLatch eof = new CountDownLatch(1);
  private final PipedInputStream forSdk;
  private final PipedOutputStream toSdk;

  StdinGate(InputStream stdin) {
    try {
      this.forSdk = new PipedInputStream(PIPE_BYTES);
      this.toSdk = new PipedOutputStream(forSdk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(() -> pump(stdin), "omem-stdin");
    t.setDaemon(true);
    t.start();
  }

  /** What the SDK reads: only well-formed JSON object lines. */
  InputStream input() {
    return forSdk;
  }

  /** Waits until the client closes stdin. */
  void awaitEnd() throws InterruptedException {
    eof.await();
  }

  private void pump(InputStream stdin) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        PipedOutputStream out = toSdk) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (!isJsonObject(line)) {
          LOG.warn("ignored a line on stdin that is not a JSON-RPC message: {}", abbreviate(line));
          continue;
        }
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("stdin closed", e);
    } finally {
      eof.countDown();
    }
  }

  private boolean isJsonObject(String line) {
    try {
      JsonNode n = json.readTree(line);
      // The shapes the SDK decodes: a request or notification (method), or a response.
      return n != null
          && n.isObject()
          && n.has("jsonrpc")
          && (n.has("method") || n.has("result") || n.has("error"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
