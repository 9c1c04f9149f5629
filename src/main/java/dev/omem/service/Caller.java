package dev.omem.service;

/**
 * Who is asking: the context every face passes with each call.
 *
 * @param tenantId the tenant, or null for the local store's own tenant
 * @param project the caller's project key (DESIGN.md decision 6), or null when unknown
 * @param agentId the calling agent (e.g. {@code claude-code}), or null
 * @param sessionId the agent's session, or null
 */
public record Caller(String tenantId, String project, String agentId, String sessionId) {
  /**
   * The servlet request attribute under which the HTTP face leaves the authenticated caller for the
   * MCP transport it mounts.
   */
  public static final String REQUEST_ATTRIBUTE = "omem.caller";

  public static Caller local(String project) {
    return new Caller(null, project, null, null);
  }
}
