package dev.omem.install;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code omem install <client>}: plans every file it would write (the jar, the launcher and the
 * hook script under the data dir, then the client's configuration), prints each change, and writes
 * them only when the whole plan could be made (a configuration it cannot read stops it before
 * anything is written) and this is not a dry run.
 */
public final class Installer {
  private final InstallContext ctx;
  private final PrintWriter out;

  public Installer(InstallContext ctx, PrintWriter out) {
    this.ctx = ctx;
    this.out = out;
  }

  /** The client called {@code id}. */
  public static Client client(String id) {
    for (Client c : Client.all()) {
      if (c.id().equals(id.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw OmemException.invalid(
        "unknown client '"
            + id
            + "': use one of "
            + String.join(", ", Client.all().stream().map(Client::id).toList()));
  }

  /**
   * Plans the installation for {@code client} from the jar at {@code jar}.
   *
   * @throws OmemException when a configuration file cannot be edited (nothing was written)
   */
  public List<FileEdit> plan(Client client, Path jar) throws IOException {
    return plan(client, jar, false);
  }

  /**
   * As {@link #plan(Client, Path)}; with {@code agentExtractor}, also the setting that turns on the
   * agent-CLI extractor ({@link AgentExtractorSetting}).
   */
  public List<FileEdit> plan(Client client, Path jar, boolean agentExtractor) throws IOException {
    List<FileEdit> edits = new ArrayList<>();
    if (agentExtractor) {
      edits.add(AgentExtractorSetting.plan(ctx, client));
    }
    edits.add(Artifacts.jar(ctx, jar));
    if (ctx.os() != InstallContext.Os.WINDOWS) {
      edits.add(Artifacts.launcher(ctx));
      Artifacts.bridge(ctx).ifPresent(edits::add);
      Artifacts.hookScript(ctx).ifPresent(edits::add);
    }
    edits.addAll(client.plan(ctx));
    return edits;
  }

  /**
   * Installs omem for {@code client}: plans, prints, and (unless {@code dryRun}) writes.
   *
   * @return the edits that changed something
   */
  public List<FileEdit> install(Client client, Path jar, boolean dryRun) throws IOException {
    return install(client, jar, dryRun, false);
  }

  /** As {@link #install(Client, Path, boolean)}, with the agent-CLI extractor turned on or not. */
  public List<FileEdit> install(Client client, Path jar, boolean dryRun, boolean agentExtractor)
      throws IOException {
    List<FileEdit> edits = plan(client, jar, agentExtractor);
    List<FileEdit> changing = edits.stream().filter(FileEdit::changes).toList();
    out.println(
        "omem install "
            + client.id()
            + (dryRun ? " --dry-run (nothing is written)" : "")
            + ": data dir "
            + ctx.dataHome());
    for (FileEdit e : edits) {
      for (FileEdit.KeyChange k : e.keys()) {
        if (k.changes()) {
          out.println(
              "  " + (dryRun ? "would change " : "changed ") + e.file() + "  " + k.key() + ":");
          out.println("      before: " + k.before());
          out.println("      after:  " + k.after());
        } else {
          out.println("  unchanged " + e.file() + "  " + k.key());
        }
      }
    }
    if (!dryRun) {
      for (FileEdit e : changing) {
        e.apply();
      }
    }
    if (changing.isEmpty()) {
      out.println("Nothing to change: omem is already installed for " + client.displayName() + ".");
    }
    for (String note : client.notes(ctx)) {
      out.println(note);
    }
    out.flush();
    return changing;
  }
}
