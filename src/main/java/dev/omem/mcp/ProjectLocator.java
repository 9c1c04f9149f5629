package dev.omem.mcp;

import dev.omem.project.ProjectResolver;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Finds the caller's project: from the client's first {@code file://} root when the client offers
 * roots, else from the server's working directory (where the client started it). Cached per
 * session; a roots-changed notification clears the cache.
 */
final class ProjectLocator {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectLocator.class);

  /**
   * How long a tool waits for the client's roots before using the working directory: listing roots
   * must never stall a tool (the session allows server-to-client requests longer, for sampling).
   */
  static final Duration ROOTS_TIMEOUT = Duration.ofSeconds(5);

  private final Path workingDir;
  private final Map<String, Optional<String>> bySession = new ConcurrentHashMap<>();

  ProjectLocator(Path workingDir) {
    this.workingDir = workingDir;
  }

  String project(McpSyncServerExchange ex) {
    return project(ex, workingDir);
  }

  /** As {@link #project(McpSyncServerExchange)}, with the session's own working directory. */
  String project(McpSyncServerExchange ex, Path dir) {
    String key = ex.sessionId() == null ? "" : ex.sessionId();
    return bySession.computeIfAbsent(key, k -> locate(ex, dir)).orElse(null);
  }

  void rootsChanged(McpSyncServerExchange ex) {
    bySession.remove(ex.sessionId() == null ? "" : ex.sessionId());
  }

  private Optional<String> locate(McpSyncServerExchange ex, Path dir) {
    McpSchema.ClientCapabilities caps = ex.getClientCapabilities();
    if (caps != null && caps.roots() != null) {
      try {
        McpSchema.ListRootsResult roots =
            Mono.fromCallable(ex::listRoots)
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(ROOTS_TIMEOUT)
                .block();
        for (McpSchema.Root root : roots.roots()) {
          if (root.uri() != null && root.uri().startsWith("file:")) {
            Optional<String> key = ProjectResolver.projectKey(Path.of(URI.create(root.uri())));
            if (key.isPresent()) {
              return key;
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.debug("client roots unavailable, using the working directory", e);
      }
    }
    return ProjectResolver.projectKey(dir);
  }
}
