package dev.omem.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of stdin with a size limit: a line longer than {@code maxBytes} is not held in memory (a 64
 * MB line would be, whole, by {@code BufferedReader}); its first {@link #HEAD_BYTES} are kept,
 * enough to find the request's id and answer it, and the rest is skipped up to the line break.
 */
final class StdioLines {
  /** What is kept of an over-long line: its id is near the start of any JSON-RPC request. */
  static final int HEAD_BYTES = 4096;

  /** One line: its text, or the head of a line that was {@code bytes} long, over the limit. */
  record Line(String text, long bytes, boolean tooLong) {}

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int end;

  StdioLines(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its line break (and a trailing CR), or null at the end of input. */
  Line next() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long size = 0;
    boolean any = false;
    while (true) {
      if (pos == end) {
        end = in.read(buf, 0, buf.length);
        pos = 0;
        if (end <= 0) {
          end = 0;
          return any ? finish(line, size) : null;
        }
      }
      any = true;
      int start = pos;
      while (pos < end && buf[pos] != '\n') {
        pos++;
      }
      int n = pos - start;
      long keep = (size <= maxBytes ? maxBytes + 1L : HEAD_BYTES) - line.size();
      if (keep > 0) {
        line.write(buf, start, (int) Math.min(n, keep));
      }
      size += n;
      if (pos < end) { // found the line break
        pos++;
        return finish(line, size);
      }
    }
  }

  private Line finish(ByteArrayOutputStream line, long size) {
    byte[] b = line.toByteArray();
    int len = b.length;
    if (size > maxBytes) {
      return new Line(
          new String(b, 0, Math.min(len, HEAD_BYTES), StandardCharsets.UTF_8), size, true);
    }
    if (len > 0 && b[len - 1] == '\r') {
      len--;
    }
    return new Line(new String(b, 0, len, StandardCharsets.UTF_8), size, false);
  }
}
