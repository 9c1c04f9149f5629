package dev.omem.cli;

import dev.omem.domain.OmemException;
import dev.omem.service.ImportProgress;
import dev.omem.service.ImportRecord;
import dev.omem.service.ImportRequest;
import dev.omem.service.MemoryService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem import FILE}, {@code omem import --list}, {@code omem import --rollback ID}. Progress
 * goes to stderr, as a line rewritten in place, only when stderr is a terminal (no progress-bar
 * library: one line of text does it without a dependency).
 */
@Command(
    name = "import",
    description =
        "Import memories from a file (omem JSON, OMP, Markdown such as CLAUDE.md or Cursor .mdc"
            + " rules, ourmem memory JSON, JSONL, or a session of messages); list or roll back"
            + " imports.")
final class ImportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "The file to import.")
  Path file;

  @Option(
      names = {"-t", "--type"},
      description =
          "memory, jsonl, session, markdown, omem or omp (default: guessed from the name and"
              + " content).")
  String type;

  @Option(names = "--force", description = "Import even what is already stored.")
  boolean force;

  @Option(
      names = "--strategy",
      description =
          "Markdown: atomic (a memory per bullet or paragraph; default), section, document.")
  String strategy;

  @Option(names = "--rollback", paramLabel = "ID", description = "Undo import ID.")
  String rollback;

  @Option(names = "--list", description = "List the imports.")
  boolean list;

  @Override
  public Integer call() {
    int modes = (file != null ? 1 : 0) + (rollback != null ? 1 : 0) + (list ? 1 : 0);
    if (modes != 1) {
      throw OmemException.invalid("give one of: FILE, --rollback ID, --list");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryService s = common.open(file != null)) {
      if (list) {
        List<ImportRecord> all = s.imports(CommonOptions.caller());
        if (common.json) {
          Output.json(out, all.stream().map(ImportRecord::toJson).toList());
        } else {
          all.forEach(r -> out.println(summary(r)));
          out.flush();
        }
        return 0;
      }
      if (rollback != null) {
        print(out, s.rollbackImport(CommonOptions.caller(), rollback));
        return 0;
      }
      // Sent as a stream and read from disk (issue 19): the file is never held whole.
      ImportRecord r =
          s.importFile(
              CommonOptions.caller(),
              ImportRequest.ofFile(file, type, force, strategy),
              progress());
      print(out, r);
      return r.status().equals("failed") ? 1 : 0;
    }
  }

  private void print(PrintWriter out, ImportRecord r) {
    if (common.json) {
      Output.json(out, r.toJson());
      return;
    }
    out.println(summary(r));
    for (ImportRecord.ImportError e : r.errors()) {
      out.println("  " + (e.index() >= 0 ? "item " + (e.index() + 1) + ": " : "") + e.message());
    }
    out.flush();
  }

  private static String summary(ImportRecord r) {
    return "Import "
        + r.id()
        + " ("
        + r.fileType()
        + (r.fileName() == null ? "" : ", " + r.fileName())
        + "): "
        + r.status()
        + ", "
        + r.imported()
        + " imported, "
        + r.skipped()
        + " skipped, "
        + r.errors().size()
        + " errors of "
        + r.totalItems();
  }

  /** A line on stderr rewritten in place, when stderr is a terminal; else nothing. */
  private ImportProgress progress() {
    if (!stderrIsTerminal()) {
      return ImportProgress.NONE;
    }
    PrintWriter err = spec.commandLine().getErr();
    return r -> {
      int total = Math.max(1, r.totalItems());
      int width = 30;
      int done = Math.min(width, r.processed() * width / total);
      err.print(
          "\r["
              + "#".repeat(done)
              + " ".repeat(width - done)
              + "] "
              + r.processed()
              + "/"
              + r.totalItems()
              + (r.finished() ? "\n" : ""));
      err.flush();
    };
  }

  static boolean stderrIsTerminal() {
    try {
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.exists(fd2)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux: no progress
    }
    return false;
  }
}
