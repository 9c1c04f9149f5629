package dev.omem.cli;

import dev.omem.install.Client;
import dev.omem.install.InstallContext;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.LocalAdministration;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code omem doctor}: is everything where it should be, and healthy. */
@Command(
    name = "doctor",
    description =
        "Check the data dir, schema, model and index (or the remote server), and which clients"
            + " (Claude Code, Cursor, Claude Desktop, Codex) have omem configured.")
final class DoctorCommand implements Callable<Integer> {
  /** How long doctor waits for a damaged index to be rebuilt (10k memories take seconds). */
  private static final Duration INDEX_REPAIR_WAIT = Duration.ofSeconds(120);

  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Optional<RemoteConfig> remote = CommonOptions.remote();
    if (remote.isPresent()) {
      try (RemoteMemoryService s = new RemoteMemoryService(remote.get())) {
        Map<String, Object> h = withClients(s.health());
        print(h);
        return "ok".equals(h.get("status")) && "accepted".equals(h.get("api_key")) ? 0 : 1;
      }
    }
    DoctorPermissions permissions = DoctorPermissions.check(common.config().home());
    try (LocalAdministration s = LocalAdministration.open(common.config())) {
      boolean modelOk = s.awaitModel(Duration.ofSeconds(60));
      // Checksums first: a damaged index is rebuilt before the health figures are read.
      Map<String, Object> index = s.checkIndex(INDEX_REPAIR_WAIT);
      Map<String, Object> h = new LinkedHashMap<>(s.health());
      h.putAll(index);
      h.put("permissions", permissions.report());
      print(withClients(h));
      return modelOk && "ok".equals(index.get("index_check")) && !permissions.stillLoose() ? 0 : 1;
    }
  }

  /** The health report, then which clients have omem configured (read-only). */
  private Map<String, Object> withClients(Map<String, Object> health) {
    Map<String, Object> h = new LinkedHashMap<>(health);
    InstallContext ctx = InstallContext.of(common.config().home(), System.getenv());
    for (Client c : Client.all()) {
      h.put("client_" + c.id().replace('-', '_'), c.status(ctx));
    }
    return h;
  }

  private void print(Map<String, Object> h) {
    PrintWriter w = spec.commandLine().getOut();
    if (common.json) {
      Output.json(w, h);
    } else {
      h.forEach((k, v) -> w.printf("%-24s %s%n", k, v));
      w.flush();
    }
  }
}
