package dev.omem.cli;

import dev.omem.domain.OmemException;
import dev.omem.service.ExportRequest;
import dev.omem.service.ExportResult;
import dev.omem.service.MemoryService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omem export}: the memories as one file, on stdout (nothing else is) or in a file, copied
 * as it comes (from the store, or streamed from the daemon), never held whole.
 */
@Command(
    name = "export",
    description = "Write every memory (active and archived) as omem JSON, OMP or Markdown.")
final class ExportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-f", "--format"},
      description = "omem (default: every field, history, vectors), omp or markdown.")
  String format;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of stdout.")
  Path out;

  @Option(
      names = {"-s", "--scope"},
      description = "Only this scope (global, project, project:<name>); default: all.")
  String scope;

  @Override
  public Integer call() {
    try (MemoryService s = common.open(false)) {
      ExportRequest req = new ExportRequest(format, scope);
      PrintWriter w = spec.commandLine().getOut();
      if (out == null) {
        s.export(CommonOptions.caller(), req, w);
        w.flush();
        return 0;
      }
      ExportResult r;
      try (Writer file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        r = s.export(CommonOptions.caller(), req, file);
      } catch (IOException | UncheckedIOException e) {
        throw OmemException.invalid("cannot write " + out + ": " + e.getMessage());
      }
      w.println(
          "Exported "
              + (r.count() >= 0 ? r.count() + " memories " : "")
              + "as "
              + r.format()
              + " to "
              + out
              + (r.leftOut() > 0 ? " (" + r.leftOut() + " too long for the format left out)" : ""));
      w.flush();
    }
    return 0;
  }
}
