package dev.omem.hooks;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.HookSessions;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.Limits;
import dev.omem.service.MemoryService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stop, PreCompact, SessionEnd: the transcript's new turns captured on a background thread
 * (DESIGN.md decision 7): read from the offset saved for this session, ingested, the new offset
 * saved.
 */
final class TranscriptCapture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TranscriptCapture.class);

  /**
   * How long a capture waits for its extraction: the local rules take milliseconds, an LLM's two
   * attempts at most twice its 20 s timeout; past that the queue finishes it anyway.
   */
  private static final Duration EXTRACTION_WAIT = Duration.ofSeconds(45);

  /** An assistant reply is context for ingest, not a memory (only user turns are kept as raw). */
  private static final int ASSISTANT_CHARS = 4_000;

  /** A capture still queued when the daemon stops gets this long to finish. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final MemoryService service;
  private final HookSessions sessions;

  /** Null in-process; for a remote server, the queue every chunk goes through, and the server. */
  private final CaptureQueue queue;

  private final String server;

  /**
   * One thread: captures of one session run in order (offset read, ingest, offset saved), and two
   * cores gain nothing from more. Embedding a few turns takes tens of milliseconds.
   */
  private final ExecutorService captures =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "omem-hook-capture");
            t.setDaemon(true);
            return t;
          });

  /** Transcripts with a capture queued and not yet started: a Stop then adds nothing. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  TranscriptCapture(MemoryService service, HookSessions sessions) {
    this(service, sessions, null, null);
  }

  /**
   * A capture for a remote server: chunks are queued ({@link CaptureQueue}, redacted) before they
   * are sent, so one that cannot be sent waits for the next drain.
   */
  TranscriptCapture(
      MemoryService service, HookSessions sessions, CaptureQueue queue, String server) {
    this.service = service;
    this.sessions = sessions;
    this.queue = queue;
    this.server = server;
  }

  /**
   * Sends what the queue holds for this server, on the capture thread, when it holds anything: a
   * hook run (or the daemon's timer) delivers what an earlier one could not.
   */
  void drainLater() {
    if (queue == null || queue.isEmpty()) {
      return;
    }
    try {
      captures.execute(
          () -> {
            try {
              queue.drain(server, service);
            } catch (RuntimeException e) {
              LOG.warn("hooks: sending queued captures failed: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      // stopping: the queue waits for the next run
    }
  }

  /**
   * Queues a capture of the transcript and returns at once. One queued capture reads to the end of
   * the file, so a Stop that finds one queued adds nothing.
   */
  void later(Caller caller, String sessionId, String transcriptPath) {
    Path file = transcript(transcriptPath);
    if (file == null) {
      return;
    }
    String session = sessionId == null ? "" : sessionId;
    String key = caller.tenantId() + "\n" + session + "\n" + file;
    if (!queued.add(key)) {
      return;
    }
    try {
      captures.execute(
          () -> {
            queued.remove(key); // from here on, what a later Stop adds needs another run
            try {
              capture(caller, session, file);
            } catch (RuntimeException e) {
              LOG.warn("hooks: capturing {} failed: {}", file, e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      queued.remove(key); // stopping: the next capture of this session reads from the saved offset
    }
  }

  /**
   * The transcript a hook names, when it is one: an absolute path to a {@code .jsonl} file. The
   * daemon reads it as its user, so it reads nothing else on a caller's word.
   */
  private static Path transcript(String path) {
    if (path == null || path.isBlank()) {
      return null;
    }
    try {
      Path p = Path.of(path);
      if (!p.isAbsolute() || !p.getFileName().toString().endsWith(".jsonl")) {
        LOG.warn("hooks: not a transcript path, ignored: {}", path);
        return null;
      }
      return p.normalize();
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * Captures what the transcript gained since the last capture of this session: its turns go to
   * ingest, then the new offset is saved. A failed ingest leaves the offset where it was, so the
   * next capture tries again; exact duplicates are never stored twice, so a retry after a crash
   * between the two steps stores nothing new.
   */
  HookHandler.Capture capture(Caller caller, String sessionId, Path file) {
    String path = file.toString();
    long from = sessions.offset(caller, sessionId, path);
    TranscriptReader.Read read;
    try {
      read = TranscriptReader.read(file, from);
    } catch (IOException e) {
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "cannot read the transcript " + file + ": " + e, e);
    }
    List<IngestRequest.Message> messages = messages(read.turns());
    if (queue != null) {
      return queued(caller, sessionId, path, from, read, messages);
    }
    int stored = 0;
    boolean anyUser = messages.stream().anyMatch(m -> m.role().equals("user"));
    try {
      for (int i = 0; anyUser && i < messages.size(); i += Limits.MAX_INGEST_MESSAGES) {
        stored +=
            ingest(
                caller,
                messages.subList(i, Math.min(messages.size(), i + Limits.MAX_INGEST_MESSAGES)));
      }
    } catch (OmemException e) {
      if (e.code() != ErrorCode.VALIDATION) {
        throw e;
      }
      // Input ingest refuses would be refused on every retry: skip it rather than stall.
      LOG.warn("hooks: ingest refused part of {}: {}", file, e.getMessage());
    }
    if (read.offset() != from) {
      sessions.saveOffset(caller, sessionId, path, read.offset());
    }
    LOG.debug(
        "hooks: captured {} turns, {} stored, from {} ({} to {})",
        read.turns().size(),
        stored,
        file,
        from,
        read.offset());
    return new HookHandler.Capture(read.turns().size(), stored, read.offset());
  }

  /**
   * The remote capture: every chunk queued first, then the offset saved (a queued chunk is as good
   * as sent), then the queue drained. A server that is down leaves the chunks queued; the offset
   * still moves on, so they are never queued twice. Returns the chunks delivered as {@code stored}.
   */
  private HookHandler.Capture queued(
      Caller caller,
      String sessionId,
      String path,
      long from,
      TranscriptReader.Read read,
      List<IngestRequest.Message> messages) {
    for (int i = 0; i < messages.size(); i += Limits.MAX_INGEST_MESSAGES) {
      queue.add(
          server,
          caller,
          messages.subList(i, Math.min(messages.size(), i + Limits.MAX_INGEST_MESSAGES)));
    }
    if (read.offset() != from) {
      sessions.saveOffset(caller, sessionId, path, read.offset());
    }
    int delivered = queue.drain(server, service);
    return new HookHandler.Capture(read.turns().size(), delivered, read.offset());
  }

  /**
   * Extracts and stores one chunk of turns, waiting for the extraction; returns how many memories
   * the ingest stored. The one place where capture chooses its extractor: today smart ingest, so
   * the service's own (the learned extractor, or the configured LLM).
   */
  private int ingest(Caller caller, List<IngestRequest.Message> chunk) {
    IngestResult r = service.ingest(caller, new IngestRequest(chunk, "smart"));
    // Capture runs off the hook's path already: wait here, so awaitCaptures means extracted.
    service.awaitTask(caller, r.taskId(), EXTRACTION_WAIT);
    return r.storedCount();
  }

  /**
   * The turns as ingest messages. A user turn over the content limit is a paste (a log, a file),
   * not a statement: dropped. Assistant replies are context only: cut short.
   */
  private static List<IngestRequest.Message> messages(List<TranscriptReader.Turn> turns) {
    List<IngestRequest.Message> out = new ArrayList<>();
    for (TranscriptReader.Turn t : turns) {
      String text = t.text();
      if (t.role().equals("user")) {
        if (text.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_CONTENT_BYTES) {
          continue;
        }
      } else if (text.length() > ASSISTANT_CHARS) {
        text = text.substring(0, ASSISTANT_CHARS);
      }
      out.add(new IngestRequest.Message(t.role(), text));
    }
    return out;
  }

  /**
   * Waits until every capture queued so far is done (the single capture thread runs them in order);
   * false when {@code timeout} passed first.
   */
  boolean await(Duration timeout) {
    try {
      CompletableFuture.runAsync(() -> {}, captures).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | RejectedExecutionException e) {
      return false;
    }
  }

  /** Lets queued captures finish (up to {@link #CLOSE_WAIT}); later ones are refused. */
  @Override
  public void close() {
    captures.shutdown();
    try {
      if (!captures.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("hooks: a capture was still running at shutdown; it resumes from its offset");
        captures.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      captures.shutdownNow();
    }
  }
}
