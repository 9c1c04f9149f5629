package dev.omem.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP over stdio: one JSON-RPC message per line each way. omem's own, in place of the SDK's {@code
 * StdioServerTransportProvider}, which (2.1.0) drops a response when two tool calls finish at the
 * same moment ("Failed to enqueue message": it emits into a unicast sink from both handler threads)
 * and stops reading stdin for good after any message it fails to handle (a line that is not
 * JSON-RPC, a cancellation). Here each line is decoded and handled on its own, a failure costs that
 * message only, and writes are serialised.
 */
final class StdioTransport implements McpServerTransportProvider {
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);

  /**
   * One line is one JSON-RPC message; the largest real one is a {@code memory_ingest} of 500
   * messages (the daemon's HTTP face takes 1 MiB of it): 4 MiB leaves room, and a 64 MB line is
   * refused without being held in memory.
   */
  static final int MAX_LINE_BYTES = 4 << 20;

  private final McpJsonMapper json;
  private final InputStream in;
  private final OutputStream out;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile McpServerSession session;

  StdioTransport(McpJsonMapper json, InputStream in, OutputStream out) {
    this.json = json;
    this.in = in;
    this.out = out;
  }

  /** Called once by the server: creates the session and starts reading stdin. */
  @Override
  public void setSessionFactory(McpServerSession.Factory factory) {
    session = factory.create(new SessionTransport());
    Thread reader = new Thread(this::readLoop, "omem-stdin");
    reader.setDaemon(true);
    reader.start();
  }

  /** Blocks until the client closes stdin. */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  private void readLoop() {
    try {
      StdioLines lines = new StdioLines(in, MAX_LINE_BYTES);
      for (StdioLines.Line line; (line = lines.next()) != null; ) {
        if (line.tooLong()) {
          LOG.warn("refused a {}-byte line on stdin", line.bytes());
          refuse(JsonRpcLines.tooLong(line, MAX_LINE_BYTES));
        } else if (!line.text().isBlank()) {
          dispatch(line.text());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("stdin closed", e);
    } finally {
      ended.countDown();
    }
  }

  private void dispatch(String line) {
    JsonRpcLines.Checked checked = JsonRpcLines.check(line);
    if (checked.refusal() != null) {
      // The line's length, never its text: a refused line may hold what a memory would have.
      LOG.warn(
          "refused a {}-character line on stdin (JSON-RPC {})",
          line.length(),
          checked.refusal().code());
      refuse(checked.refusal());
      return;
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, checked.text());
    } catch (IOException | RuntimeException e) {
      LOG.warn("refused a {}-character line on stdin: not a JSON-RPC message", line.length());
      refuse(
          new JsonRpcLines.Refusal(
              JsonRpcLines.lenientId(line),
              JsonRpcLines.INVALID_REQUEST,
              "Invalid Request: not a JSON-RPC request, notification or response"));
      return;
    }
    // Handlers run on the SDK's worker threads; this thread goes back to reading at once.
    session
        .handle(message)
        .onErrorResume(
            e -> {
              LOG.warn("could not handle a message from the client: {}", e.toString());
              if (message instanceof McpSchema.JSONRPCRequest r) {
                refuse(
                    new JsonRpcLines.Refusal(
                        r.id(), JsonRpcLines.INTERNAL_ERROR, "could not handle " + r.method()));
              }
              return Mono.empty();
            })
        .subscribe();
  }

  /** Answers a line that the session will not see. */
  private void refuse(JsonRpcLines.Refusal refusal) {
    try {
      writeLine(refusal.json());
    } catch (IOException e) {
      LOG.debug("cannot answer on stdout", e);
    }
  }

  private void writeLine(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
      out.write('\n');
      out.flush();
    }
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    McpServerSession s = session;
    return s == null ? Mono.empty() : s.sendNotification(method, params);
  }

  @Override
  public Mono<Void> closeGracefully() {
    McpServerSession s = session;
    return s == null ? Mono.empty() : s.closeGracefully();
  }

  /** The session's side: writes whole messages, one at a time. */
  private final class SessionTransport implements McpServerTransport {
    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
      return Mono.fromRunnable(
          () -> {
            try {
              writeLine(json.writeValueAsBytes(message));
            } catch (IOException e) {
              throw new UncheckedIOException("cannot write to stdout", e);
            }
          });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
      return json.convertValue(data, type);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.empty();
    }
  }
}
