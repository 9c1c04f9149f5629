package dev.omem.http;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;

/**
 * {@code POST /v1/hooks/{event}} (an extension of ourmem's dialect, docs/rest-api.md): a Claude
 * Code hook's JSON in, the JSON the hook prints out. The hook script posts here with curl, so a
 * hook costs a request to the warm daemon rather than a JVM start (DESIGN.md decision 3).
 */
final class HookRoutes {
  private final HookResponder hooks;

  HookRoutes(HookResponder hooks) {
    this.hooks = hooks;
  }

  void register(Router r) {
    r.add("POST", "/v1/hooks/{event}", this::handle);
  }

  private Reply handle(ApiRequest req) {
    // Capture reads the transcript file the hook names, as the daemon's user: only the machine's
    // owner (the daemon's token) may ask that, never a tenant of a shared server.
    if (req.caller().tenantId() != null) {
      throw new OmemException(
          ErrorCode.UNAUTHORIZED,
          "hooks are served to the local daemon's token only: they read files on this machine");
    }
    return Reply.ok(hooks.answer(req.path("event"), req.caller(), req.object(), server(req)));
  }

  /** The remote server the hook names, or null for the local store; both headers or neither. */
  private static HookResponder.Server server(ApiRequest req) {
    String url = blankToNull(req.header(HookResponder.URL_HEADER));
    String key = blankToNull(req.header(HookResponder.KEY_HEADER));
    if (url == null && key == null) {
      return null;
    }
    if (url == null || key == null) {
      throw OmemException.invalid(
          "a remote hook needs both "
              + HookResponder.URL_HEADER
              + " and "
              + HookResponder.KEY_HEADER
              + " (OMEM_API_URL and OMEM_API_KEY)");
    }
    return new HookResponder.Server(url.strip(), key.strip());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
