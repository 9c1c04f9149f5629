package dev.omem.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One JSON object per line for each request ({@code OMEM_LOG_FORMAT=json}), on stderr or appended
 * to a file: what a log shipper reads. Never stdout, which is protocol for {@code omem mcp}.
 */
public final class RequestLog implements AutoCloseable {
  private final ObjectMapper json = new ObjectMapper();
  private final OutputStream out;
  private final boolean owned;

  private RequestLog(OutputStream out, boolean owned) {
    this.out = out;
    this.owned = owned;
  }

  public static RequestLog toStderr() {
    return new RequestLog(System.err, false);
  }

  /** Appends to {@code file} (created 0600 if missing: paths may name tenants' ids). */
  public static RequestLog toFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      }
      return new RequestLog(
          Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE), true);
    } catch (IOException | UnsupportedOperationException e) {
      throw OmemException.invalid("cannot write the request log " + file + ": " + e.getMessage());
    }
  }

  /** Writes one line; a failing log never fails the request it describes. */
  void write(Map<String, Object> line) {
    byte[] bytes;
    try {
      bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      return;
    }
    synchronized (this) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // a full disk or a closed stderr: the request was answered all the same
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (owned) {
      out.close();
    }
  }
}
