package dev.omem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.OmemException;
import dev.omem.hooks.HookEvent;
import dev.omem.hooks.HookSettings;
import dev.omem.http.HookResponder;
import dev.omem.llm.AgentCliChatModel;
import dev.omem.remote.RemoteConfig;
import dev.omem.service.Caller;
import dev.omem.service.LocalAdministration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code omem hook <event>}: what a Claude Code hook runs when the hook script finds no daemon
 * answering. Reads the hook's JSON on stdin, finds or starts the local daemon, posts to its {@code
 * /v1/hooks/{event}} and prints the answer. Where no daemon can start ({@code OMEM_DAEMON=off}), it
 * answers with the store in this process. On any failure it prints {@code {}}, says why in one line
 * on stderr and exits 0: a hook never breaks the agent's session. stdout carries the protocol only.
 */
@Command(
    name = "hook",
    description =
        "Answer a Claude Code hook (SessionStart, UserPromptSubmit, Stop, PreCompact, SessionEnd):"
            + " its JSON on stdin, the answer on stdout.")
final class HookCommand implements Callable<Integer> {
  /** The daemon answers a hook in milliseconds; a freshly started one within a few seconds. */
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private static final int READ_TIMEOUT_MS = 10_000;

  /** In-process only: how long to wait for the model, so search is hybrid and scores calibrated. */
  private static final Duration MODEL_WAIT = Duration.ofSeconds(10);

  /** A hook's input is a small JSON object; a prompt pasted into it stays well below this. */
  private static final int MAX_INPUT_BYTES = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  // Lenient on purpose: a missing event or an unknown option must still answer {} (picocli would
  // exit 2 with nothing on stdout).
  @Parameters(index = "0", arity = "0..1", paramLabel = "EVENT", description = "The hook event.")
  String event;

  @Unmatched List<String> unmatched;

  @Option(names = "--home", paramLabel = "DIR", description = "Data directory.")
  String home;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String answer;
    try {
      answer = answer();
    } catch (Exception | LinkageError e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("omem hook " + event + ": " + reason(e));
      err.flush();
      answer = "{}";
    }
    out.println(answer);
    out.flush();
    return 0;
  }

  private String answer() throws IOException {
    HookEvent e =
        HookEvent.parse(event)
            .orElseThrow(
                () ->
                    OmemException.invalid(
                        "unknown hook event '" + event + "'; use one of " + HookEvent.names()));
    byte[] input = readInput(System.in);
    if ("off".equalsIgnoreCase(System.getenv(AgentCliChatModel.HOOKS_VARIABLE))) {
      // The agent-CLI extractor's own run (or a user's opt-out): answer nothing, capture nothing.
      return "{}";
    }
    // With OMEM_API_URL the memories are on that server and the transcript here: the daemon (or
    // this process) reads the transcript and talks to the server (issue 17).
    HookResponder.Server server =
        RemoteConfig.fromEnvironment(System.getenv())
            .map(c -> new HookResponder.Server(c.url().toString(), c.apiKey()))
            .orElse(null);
    OmemConfig config = OmemConfig.fromEnvironment(home);
    if (ServiceOpener.daemonAllowed(System.getenv())) {
      DaemonLauncher launcher = new DaemonLauncher(config.home());
      for (int attempt = 0; attempt < 2; attempt++) {
        Optional<DaemonFile> daemon = launcher.ensure();
        if (daemon.isEmpty()) {
          break;
        }
        Optional<String> a = post(daemon.get(), e, input, server);
        if (a.isPresent()) {
          return a.get();
        }
        // refused, or the token changed: the daemon was replaced meanwhile; find it again
      }
    }
    return inProcess(config, e, input, server);
  }

  /** The daemon's answer; empty when it could not be reached or did not know the token. */
  private static Optional<String> post(
      DaemonFile d, HookEvent e, byte[] input, HookResponder.Server server) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + d.port() + "/v1/hooks/" + e.wire())
                .toURL()
                .openConnection();
    c.setConnectTimeout(CONNECT_TIMEOUT_MS);
    c.setReadTimeout(READ_TIMEOUT_MS);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("X-API-Key", d.token());
    c.setRequestProperty("Content-Type", "application/json");
    if (server != null) {
      c.setRequestProperty(HookResponder.URL_HEADER, server.url());
      c.setRequestProperty(HookResponder.KEY_HEADER, server.apiKey());
    }
    try {
      try {
        c.getOutputStream().write(input);
      } catch (java.net.ConnectException refused) {
        return Optional.empty();
      }
      int status = c.getResponseCode();
      if (status == 401) {
        return Optional.empty();
      }
      if (status / 100 != 2) {
        InputStream es = c.getErrorStream();
        String body = es == null ? "" : new String(es.readAllBytes(), StandardCharsets.UTF_8);
        throw new IOException("the daemon answered " + status + " " + message(body));
      }
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return Optional.of(body.isEmpty() ? "{}" : body);
    } finally {
      c.disconnect();
    }
  }

  /** The store in this process (no daemon can run): the same handler, captures awaited. */
  private static String inProcess(
      OmemConfig config, HookEvent e, byte[] input, HookResponder.Server server)
      throws IOException {
    JsonNode in = input.length == 0 ? JSON.createObjectNode() : JSON.readTree(input);
    try (LocalAdministration local = LocalAdministration.open(config)) {
      if (server == null) {
        local.awaitModel(MODEL_WAIT); // a remote server embeds on its side
      }
      Object answer;
      // close() lets a queued capture finish before the store closes
      try (HookHandlers hooks =
          new HookHandlers(
              local,
              local.hookSessions(),
              HookSettings.resolve(config.home(), System.getenv()),
              config.home())) {
        answer = hooks.answer(e.wire(), new Caller(null, null, null, null), in, server);
      }
      return JSON.writeValueAsString(answer);
    }
  }

  private static byte[] readInput(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (b.size() + n > MAX_INPUT_BYTES) {
        throw OmemException.invalid("the hook's input is over " + MAX_INPUT_BYTES + " bytes");
      }
      b.write(buf, 0, n);
    }
    return b.toByteArray();
  }

  /** The message of an error envelope, or the body itself. */
  private static String message(String body) {
    try {
      JsonNode m = JSON.readTree(body).path("error").path("message");
      return m.isTextual() ? m.asText() : body;
    } catch (IOException e) {
      return body;
    }
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replace('\n', ' ');
  }
}
