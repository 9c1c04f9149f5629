package dev.omem.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.OmemException;
import dev.omem.project.ProjectResolver;
import dev.omem.service.Caller;
import dev.omem.service.HookSessions;
import dev.omem.service.MemoryService;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What omem does for each Claude Code hook, in the daemon, next to the store (issue 5, DESIGN.md
 * decision 7): reads the hook's input and hands the event to the part that answers it. The answer
 * is the JSON the hook prints ({@link HookAnswer}).
 *
 * <ul>
 *   <li>SessionStart: {@link SessionStartInjection}.
 *   <li>UserPromptSubmit: {@link PromptInjection}.
 *   <li>Stop, PreCompact, SessionEnd: answer {@code {}} at once; {@link TranscriptCapture} captures
 *       the transcript's new turns on a background thread.
 * </ul>
 */
public final class HookHandler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HookHandler.class);

  /** The {@code agent_id} of what the hooks capture. */
  public static final String AGENT = "claude-code";

  /** How long a remote SessionStart waits on its server at most (issue 17). */
  public static final Duration SESSION_START_BUDGET = HookBudget.SESSION_START;

  /** How long a remote UserPromptSubmit waits on its server at most (issue 17). */
  public static final Duration PROMPT_BUDGET = HookBudget.PROMPT;

  /** What a capture did. */
  public record Capture(int turns, int stored, long offset) {}

  private final SessionStartInjection sessionStart;
  private final PromptInjection prompt;
  private final TranscriptCapture capture;
  private final HookBudget budget;

  /** The hooks over the local store: nothing to wait on, nothing to queue. */
  public HookHandler(MemoryService service, HookSessions sessions, HookSettings settings) {
    this(service, sessions, settings, HookBudget.NONE, new TranscriptCapture(service, sessions));
  }

  /**
   * The hooks over a remote server (issue 17): {@code service} is the server's client; the session
   * state stays in {@code sessions} (the local store); captures go through {@code queue} under
   * {@code server} ({@link CaptureQueue#serverId}); injection waits on the server only within
   * {@link HookBudget}'s budgets.
   */
  public static HookHandler remote(
      MemoryService service,
      HookSessions sessions,
      HookSettings settings,
      CaptureQueue queue,
      String server) {
    return remote(
        service, sessions, settings, queue, server, HookBudget.SESSION_START, HookBudget.PROMPT);
  }

  /**
   * {@link #remote} with other budgets than the 2 s and 1 s (tests on a loaded machine,
   * where recall is the point and not the wait).
   */
  public static HookHandler remote(
      MemoryService service,
      HookSessions sessions,
      HookSettings settings,
      CaptureQueue queue,
      String server,
      Duration sessionStartBudget,
      Duration promptBudget) {
    return new HookHandler(
        service,
        sessions,
        settings,
        HookBudget.remote(sessionStartBudget, promptBudget),
        new TranscriptCapture(service, sessions, queue, server));
  }

  private HookHandler(
      MemoryService service,
      HookSessions sessions,
      HookSettings settings,
      HookBudget budget,
      TranscriptCapture capture) {
    ShownMemories shown = new ShownMemories(service, sessions);
    this.budget = budget;
    this.sessionStart = new SessionStartInjection(service, shown, settings, budget);
    this.prompt = new PromptInjection(service, shown, settings, budget);
    this.capture = capture;
    try {
      int pruned = sessions.prune();
      if (pruned > 0) {
        LOG.info("hooks: forgot the state of {} quiet sessions", pruned);
      }
    } catch (RuntimeException e) {
      LOG.warn("hooks: pruning old session state failed: {}", e.toString());
    }
  }

  /**
   * {@link #handle(HookEvent, Caller, JsonNode)} for an event named as Claude Code or a URL names
   * it; an unknown name is a {@code NOT_FOUND} error.
   */
  public Map<String, Object> handle(String eventName, Caller base, JsonNode input) {
    HookEvent event =
        HookEvent.parse(eventName)
            .orElseThrow(
                () ->
                    OmemException.notFound(
                        "unknown hook event '"
                            + eventName
                            + "'; omem answers "
                            + HookEvent.names()));
    return handle(event, base, input);
  }

  /**
   * The answer to one hook call. {@code base} is who called (the daemon's token: the local tenant);
   * the project, agent and session come from the hook's input.
   */
  public Map<String, Object> handle(HookEvent event, Caller base, JsonNode input) {
    String sessionId = blankToNull(text(input, "session_id"));
    Caller caller = new Caller(base.tenantId(), project(text(input, "cwd")), AGENT, sessionId);
    return switch (event) {
      case SESSION_START -> {
        capture.drainLater(); // what an earlier run could not send (a remote server's queue)
        yield sessionStart.answer(caller, sessionId);
      }
      case USER_PROMPT_SUBMIT -> prompt.answer(caller, sessionId, text(input, "prompt"));
      case STOP, PRE_COMPACT, SESSION_END -> {
        capture.later(caller, sessionId, text(input, "transcript_path"));
        yield HookAnswer.NOTHING;
      }
    };
  }

  /**
   * Captures what the transcript gained since the last capture of this session, on the caller's
   * thread (the benchmark; hooks queue it): see {@link TranscriptCapture#capture}.
   */
  public Capture capture(Caller caller, String sessionId, Path file) {
    return capture.capture(caller, sessionId, file);
  }

  /**
   * Waits until every capture queued so far is done (tests); false when {@code timeout} passed
   * first.
   */
  public boolean awaitCaptures(Duration timeout) {
    return capture.await(timeout);
  }

  /** The project key of the hook's {@code cwd}; null when it names no directory. */
  private static String project(String cwd) {
    if (cwd == null || cwd.isBlank()) {
      return null;
    }
    try {
      return ProjectResolver.projectKey(Path.of(cwd)).orElse(null);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static String text(JsonNode input, String field) {
    JsonNode n = input == null ? null : input.get(field);
    return n == null || !n.isTextual() ? null : n.asText();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /**
   * Sends what the capture queue holds for this handler's server, on the capture thread (the
   * daemon's timer); nothing in-process.
   */
  public void drainQueueLater() {
    capture.drainLater();
  }

  /** Lets queued captures finish; later ones are refused. */
  @Override
  public void close() {
    capture.close();
    budget.close();
  }
}
