package dev.omem.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The body size limit of a request: the server's ({@link ServeSettings#maxBodyBytes}), except for
 * an upload to {@code POST /v1/imports}, which may be as large as {@link #IMPORT_BYTES} (an omem
 * export carries each memory's vector, about 2 KB, so a store of a few hundred memories is over a
 * MiB).
 */
final class BodyLimit {
  /** 32 MiB: an omem export of about ten thousand memories. */
  static final int IMPORT_BYTES = 32 << 20;

  private BodyLimit() {}

  static int of(HttpServletRequest req, ServeSettings settings) {
    boolean upload =
        "POST".equals(req.getMethod())
            && (req.getRequestURI().replaceAll("/+$", "").equals("/v1/imports")
                || req.getRequestURI().equals("/ui/imports/upload")); // the web UI's upload
    return upload ? Math.max(IMPORT_BYTES, settings.maxBodyBytes()) : settings.maxBodyBytes();
  }
}
