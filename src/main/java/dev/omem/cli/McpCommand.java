package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.mcp.McpStdioServer;
import dev.omem.mcp.SamplingSetting;
import dev.omem.service.MemoryService;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code omem mcp}: the MCP server over stdio, for Claude Code, Cursor and Claude Desktop. */
@Command(name = "mcp", description = "Serve MCP over stdio (what agents start).")
final class McpCommand implements Callable<Integer> {
  @Option(names = "--home", paramLabel = "DIR", description = "Data directory.")
  String home;

  @Override
  public Integer call() throws Exception {
    exitWithParent(System.getenv(EXIT_WITH_PID));
    // stdout carries the protocol only: keep the real one for it, send stray prints to stderr.
    FirstWriteSignal protocol = new FirstWriteSignal(new FileOutputStream(FileDescriptor.out));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    // Open the service in the background once initialize is answered: the handshake never
    // waits for it, nor shares the CPU with it (DESIGN.md decision 3). Usually it is a thin
    // client of the local daemon or of a remote server (no store, no model in this process). A
    // setting that is wrong fails every tool call with its message, which the agent shows.
    CompletableFuture<MemoryService> service = protocol.written().thenApplyAsync(v -> open(home));
    // Read with the service, off the handshake's path; the first memory_ingest waits for it.
    CompletableFuture<Boolean> sampling =
        protocol
            .written()
            .thenApplyAsync(
                v ->
                    SamplingSetting.enabled(
                        OmemConfig.fromEnvironment(home).home(), System.getenv()));
    CompletableFuture<RerankSetting.Mode> rerank =
        protocol
            .written()
            .thenApplyAsync(
                v ->
                    RerankSetting.resolve(
                        OmemConfig.fromEnvironment(home).home(), System.getenv()));
    Supplier<MemoryService> ready =
        () -> {
          try {
            return service.join();
          } catch (CompletionException e) {
            throw e.getCause() instanceof OmemException oe
                ? oe
                : new OmemException(
                    ErrorCode.UNAVAILABLE, "omem could not open its store: " + e.getCause());
          }
        };
    try {
      McpStdioServer.serve(
          ready,
          Main.version(),
          Path.of("").toAbsolutePath(),
          System.in,
          protocol,
          () -> sampling.exceptionally(e -> false).join(),
          () -> rerank.exceptionally(e -> RerankSetting.Mode.OFF).join());
    } finally {
      service.thenAccept(MemoryService::close);
    }
    return 0;
  }

  /**
   * Set by the daemon for the stdio server it runs to make its start-up archive: that server ends
   * with the daemon, even one killed with SIGKILL (which closes no pipe the child would notice
   * while it waits on a call).
   */
  static final String EXIT_WITH_PID = "OMEM_EXIT_WITH_PID";

  static void exitWithParent(String pid) {
    if (pid == null || pid.isBlank()) {
      return;
    }
    try {
      ProcessHandle.of(Long.parseLong(pid.trim()))
          .ifPresentOrElse(h -> h.onExit().thenRun(McpCommand::dieNow), McpCommand::dieNow);
    } catch (NumberFormatException e) {
      // not a pid: nothing to follow
    }
  }

  /**
   * Ends this archive-making process at once. Not {@code halt}: the JVM would first write its class
   * archive, seconds of CPU taken from the daemon that restarts after a kill (seen: the warm-up
   * daemon outlived its killed parent by 10 s at load 20); a SIGKILL writes nothing.
   */
  private static void dieNow() {
    try {
      new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.io.IOException e) {
      // no kill command: halt below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(1);
  }

  /** The service {@link ServiceOpener} picks; the store's own failures keep their data dir. */
  private static MemoryService open(String home) {
    OmemConfig config = OmemConfig.fromEnvironment(home);
    try {
      return ServiceOpener.openForSession(config);
    } catch (OmemException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new OmemException(
          ErrorCode.UNAVAILABLE, "omem could not open its store in " + config.home() + ": " + e);
    }
  }
}
