package dev.omem.http;

import dev.omem.domain.OmemException;
import dev.omem.service.ServerProbe;
import java.nio.file.Path;
import java.util.Map;

/**
 * The operations side of a server: {@code /ready} over {@code probe}, {@code /metrics} when {@code
 * metrics}, and a JSON line per request when {@code requestLog} is set.
 *
 * @param probe the store behind the server; null: no {@code /ready}, no store gauges
 * @param metrics whether {@code /metrics} is served
 * @param readyMaxLag {@code /ready} answers 503 while the index trails the change log by more
 * @param requestLog where request lines go; null: none
 */
public record Operations(
    ServerProbe probe, boolean metrics, long readyMaxLag, RequestLog requestLog) {

  /** Nothing beyond {@code /health} (tests and embedders that start a bare server). */
  public static final Operations NONE = new Operations(null, false, 0, null);

  /**
   * 100 changes: the follower applies up to 1,000 a round and stores reach about 200/s on this
   * machine (BENCHMARKS.md), so a node within 100 is within half a second of the log.
   */
  public static final long DEFAULT_READY_MAX_LAG = 100;

  /**
   * From the environment: {@code OMEM_METRICS} ({@code on}/{@code off}; on by default on a team
   * server, off on the daemon), {@code OMEM_READY_MAX_LAG}, {@code OMEM_LOG_FORMAT=json} (request
   * lines on stderr, or in {@code OMEM_REQUEST_LOG_FILE}).
   */
  public static Operations resolve(Map<String, String> env, boolean daemon, ServerProbe probe) {
    boolean metrics = flag(env, "OMEM_METRICS", !daemon);
    long maxLag = DEFAULT_READY_MAX_LAG;
    String lag = value(env, "OMEM_READY_MAX_LAG");
    if (lag != null) {
      try {
        maxLag = Long.parseLong(lag);
      } catch (NumberFormatException e) {
        maxLag = -1;
      }
      if (maxLag < 0) {
        throw OmemException.invalid(
            "OMEM_READY_MAX_LAG must be a whole number of changes, got '" + lag + "'");
      }
    }
    String format = value(env, "OMEM_LOG_FORMAT");
    RequestLog log = null;
    if (format != null && !format.equalsIgnoreCase("text")) {
      if (!format.equalsIgnoreCase("json")) {
        throw OmemException.invalid("OMEM_LOG_FORMAT must be json or text, got '" + format + "'");
      }
      String file = value(env, "OMEM_REQUEST_LOG_FILE");
      log = file == null ? RequestLog.toStderr() : RequestLog.toFile(Path.of(file));
    }
    return new Operations(probe, metrics, maxLag, log);
  }

  private static boolean flag(Map<String, String> env, String name, boolean dflt) {
    String v = value(env, name);
    if (v == null) {
      return dflt;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "1", "yes" -> true;
      case "off", "false", "0", "no" -> false;
      default -> throw OmemException.invalid(name + " must be on or off, got '" + v + "'");
    };
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
