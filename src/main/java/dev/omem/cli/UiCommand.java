package dev.omem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.daemon.DaemonFile;
import dev.omem.daemon.DaemonLauncher;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.remote.RemoteConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omem ui}: opens the web UI in the browser, signed in. On this machine it finds or starts
 * the daemon and asks it (with the daemon's token) for a one-time sign-in link, which the browser
 * trades for a session cookie; the link works once, within a minute. With {@code OMEM_API_URL} it
 * opens the team server's sign-in page instead, where the API key is typed.
 */
@Command(name = "ui", description = "Open the web UI in the browser, signed in.")
final class UiCommand implements Callable<Integer> {
  @Option(names = "--home", paramLabel = "DIR", description = "Data directory.")
  String home;

  @Option(
      names = "--no-open",
      description = "Print the one-time sign-in link instead of opening a browser.")
  boolean noOpen;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Optional<RemoteConfig> remote = RemoteConfig.fromEnvironment(System.getenv());
    String url;
    if (remote.isPresent()) {
      url = remote.get().url().resolve("/ui/login").toString();
    } else {
      DaemonFile d =
          new DaemonLauncher(dev.omem.config.OmemConfig.fromEnvironment(home).home())
              .ensure()
              .orElseThrow(
                  () ->
                      new OmemException(
                          ErrorCode.UNAVAILABLE,
                          "no daemon could start here; run `omem serve` and try again"));
      url = "http://127.0.0.1:" + d.port() + loginPath(d);
    }
    if (noOpen || !open(url)) {
      spec.commandLine().getOut().println(url);
    } else {
      System.err.println("omem ui: opened your browser (the link works once, for a minute)");
    }
    return 0;
  }

  /** Asks the daemon for a one-time sign-in path. */
  private static String loginPath(DaemonFile d) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/ui/login-link"))
            .header("X-API-Key", d.token())
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new OmemException(
          ErrorCode.UNAVAILABLE,
          "the daemon on port " + d.port() + " gave no sign-in link (" + resp.statusCode() + ")");
    }
    JsonNode j = new ObjectMapper().readTree(resp.body());
    return j.path("path").asText();
  }

  /** Opens the URL with $BROWSER or the desktop's opener; false when none worked. */
  private static boolean open(String url) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String browser = System.getenv("BROWSER");
    List<List<String>> tries =
        browser != null && !browser.isBlank()
            ? List.of(List.of(browser, url))
            : os.contains("mac")
                ? List.of(List.of("open", url))
                : os.contains("win")
                    ? List.of(List.of("rundll32", "url.dll,FileProtocolHandler", url))
                    : List.of(List.of("xdg-open", url));
    for (List<String> cmd : tries) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return true;
      } catch (IOException e) {
        // next
      }
    }
    return false;
  }
}
