package dev.omem.cli;

import dev.omem.config.OmemConfig;
import dev.omem.domain.OmemException;
import dev.omem.mcp.McpStdioServer;
import dev.omem.service.LocalMemoryService;
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
    // stdout carries the protocol only: keep the real one for it, send stray prints to stderr.
    FirstWriteSignal protocol = new FirstWriteSignal(new FileOutputStream(FileDescriptor.out));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    OmemConfig config = OmemConfig.fromEnvironment(home);
    // Open the store (and load the model) in the background once initialize is answered: the
    // handshake never waits for it, nor shares the CPU with it (DESIGN.md decision 3).
    CompletableFuture<MemoryService> service =
        protocol.written().thenApplyAsync(v -> LocalMemoryService.open(config));
    Supplier<MemoryService> ready =
        () -> {
          try {
            return service.join();
          } catch (CompletionException e) {
            throw e.getCause() instanceof OmemException oe
                ? oe
                : new OmemException(
                    dev.omem.domain.ErrorCode.UNAVAILABLE,
                    "omem could not open its store in " + config.home() + ": " + e.getCause());
          }
        };
    try {
      McpStdioServer.serve(
          ready, Main.version(), Path.of("").toAbsolutePath(), System.in, protocol);
    } finally {
      service.thenAccept(MemoryService::close);
    }
    return 0;
  }
}
