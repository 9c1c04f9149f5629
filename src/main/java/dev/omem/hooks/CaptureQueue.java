package dev.omem.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.HomePermissions;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.IngestRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.RedactedMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures on their way to a remote server (issue 17): each chunk of turns is written here first,
 * redacted, then sent; a chunk leaves the queue only once the server took it. So a capture made
 * while the server is down or the network is gone is sent later, by the next hook run or by the
 * local daemon, and none is lost.
 *
 * <p>One file per chunk in {@code <home>/capture-queue/} (0700; files 0600, written to a temporary
 * name and moved, so a reader never sees half a file), named by the time it was queued so they are
 * sent in order. Each carries an {@code Idempotency-Key} made when it was queued: a chunk resent
 * after its answer was lost is applied once by an omem server ({@code IdempotentWrites}). A server
 * that speaks only ourmem's dialect has no such key; there a resent chunk's exact duplicates are
 * not stored twice, but new facts of it may be.
 *
 * <p>A chunk names the server it is for by {@link #serverId} (a hash of the URL and the key, never
 * the key itself): it goes only where it was meant to, with the credential of the hook that sends
 * it.
 */
public final class CaptureQueue {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureQueue.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The queue's folder in the data dir. */
  public static final String DIR = "capture-queue";

  private static final String SUFFIX = ".json";

  private final Path dir;

  public CaptureQueue(Path home) {
    this.dir = home.resolve(DIR);
  }

  /** The folder the chunks are in. */
  public Path dir() {
    return dir;
  }

  /**
   * Who a chunk is for: the first 32 hex digits of SHA-256 over the URL and the key. A file in the
   * queue never holds the key.
   */
  public static String serverId(String url, String apiKey) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest((url + "\n" + apiKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Queues one chunk of turns for {@code server}, redacted; returns false when nothing was left to
   * send (every turn was private).
   */
  public boolean add(String server, Caller caller, List<IngestRequest.Message> messages) {
    List<IngestRequest.Message> clean = RedactedMessages.of(messages);
    if (clean.stream().noneMatch(m -> m.role().equals("user"))) {
      return false;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("server", server);
    o.put("idempotency_key", UUID.randomUUID().toString());
    o.put("queued_at", Instant.now().toString());
    o.put("project", caller.project());
    o.put("agent_id", caller.agentId());
    o.put("session_id", caller.sessionId());
    ArrayNode turns = o.putArray("messages");
    for (IngestRequest.Message m : clean) {
      turns.addObject().put("role", m.role()).put("content", m.content());
    }
    try {
      HomePermissions.createPrivateDir(dir);
      String name = String.format("%020d-%s", System.currentTimeMillis(), UUID.randomUUID());
      Path tmp = dir.resolve(name + ".tmp");
      HomePermissions.createPrivateFile(tmp);
      Files.write(tmp, JSON.writeValueAsBytes(o), StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.move(tmp, dir.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(name + SUFFIX));
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot queue a capture in " + dir, e);
    }
  }

  /** How many chunks wait for {@code server}. */
  public int pending(String server) {
    int n = 0;
    for (Path f : files()) {
      JsonNode o = read(f);
      if (o != null && server.equals(o.path("server").asText())) {
        n++;
      }
    }
    return n;
  }

  /** Whether any chunk waits, for any server (a look at the folder, no file read). */
  public boolean isEmpty() {
    return files().isEmpty();
  }

  /**
   * Sends the chunks queued for {@code server} through {@code service}, oldest first, each with its
   * idempotency key, and removes each the server took. Stops at the first the server could not take
   * (down, slow, refusing the key): the rest waits for the next drain. A chunk the server refuses
   * as invalid would be refused forever: it is dropped, with a warning. Two processes never drain
   * at once (a file lock). Returns how many chunks were delivered.
   */
  public int drain(String server, MemoryService service) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (FileChannel ch =
            FileChannel.open(lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock()) {
      if (lock == null) {
        return 0; // another process is draining
      }
      int delivered = 0;
      for (Path f : files()) {
        JsonNode o = read(f);
        if (o == null || !server.equals(o.path("server").asText())) {
          continue;
        }
        try {
          send(o, service);
          delivered++;
        } catch (OmemException e) {
          if (e.code() != ErrorCode.VALIDATION) {
            LOG.info("hooks: the server did not take a queued capture yet: {}", e.getMessage());
            return delivered;
          }
          LOG.warn("hooks: the server refused a queued capture; dropped: {}", e.getMessage());
        }
        Files.deleteIfExists(f);
      }
      return delivered;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot drain the capture queue in " + dir, e);
    }
  }

  private static void send(JsonNode o, MemoryService service) {
    List<IngestRequest.Message> messages = new ArrayList<>();
    for (JsonNode m : o.path("messages")) {
      messages.add(new IngestRequest.Message(m.path("role").asText(), m.path("content").asText()));
    }
    Caller caller =
        new Caller(null, text(o, "project"), text(o, "agent_id"), text(o, "session_id"));
    service.ingest(
        caller, new IngestRequest(messages, "smart"), o.path("idempotency_key").asText());
  }

  private Path lockFile() throws IOException {
    Path lock = dir.resolve(".lock");
    HomePermissions.createPrivateFile(lock);
    return lock;
  }

  /** The queued chunks, oldest first. */
  private List<Path> files() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      s.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the capture queue " + dir, e);
    }
    out.sort(null);
    return out;
  }

  /** A chunk's JSON; null (and logged) for a file that cannot be read: it is left for a look. */
  private static JsonNode read(Path f) {
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      LOG.warn("hooks: cannot read the queued capture {}: {}", f, e.toString());
      return null;
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || !n.isTextual() ? null : n.asText();
  }
}
