package dev.omem.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * An output stream that completes {@link #written()} once its first bytes are flushed: for {@code
 * omem mcp}, the moment the initialize answer is on its way, so heavy start-up work can wait until
 * the handshake no longer competes with it for the CPU.
 */
final class FirstWriteSignal extends FilterOutputStream {
  private final CompletableFuture<Void> written = new CompletableFuture<>();

  FirstWriteSignal(OutputStream out) {
    super(out);
  }

  CompletableFuture<Void> written() {
    return written;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len); // FilterOutputStream would write byte by byte
  }

  @Override
  public void flush() throws IOException {
    super.flush();
    written.complete(null);
  }
}
