package dev.omem.http;

import dev.omem.service.ImportRequest;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The body size limit of a request: the server's ({@link ServeSettings#maxBodyBytes}), except for
 * an upload to {@code POST /v1/imports}, which may be as large as {@link #IMPORT_BYTES} (an omem
 * export carries each memory's vector, about 2 KB, so a store of a few hundred memories is over a
 * MiB), or as {@link ImportRequest#MAX_UPLOAD_BYTES} when the file is the body itself ({@link
 * #rawUpload}: copied to disk as it arrives, never held).
 */
final class BodyLimit {
  /** 32 MiB: an omem export of about ten thousand memories. */
  static final int IMPORT_BYTES = 32 << 20;

  private BodyLimit() {}

  /** The raw body's content type: the file's bytes, its name and type in the query. */
  static final String RAW_TYPE = "application/octet-stream";

  static int of(HttpServletRequest req, ServeSettings settings) {
    if (rawUpload(req)) {
      return (int) Math.max(ImportRequest.MAX_UPLOAD_BYTES, settings.maxBodyBytes());
    }
    boolean upload =
        "POST".equals(req.getMethod())
            && (imports(req) || req.getRequestURI().equals("/ui/imports/upload")); // the UI's
    return upload ? Math.max(IMPORT_BYTES, settings.maxBodyBytes()) : settings.maxBodyBytes();
  }

  /** {@code POST /v1/imports} whose body is the file itself ({@value #RAW_TYPE}). */
  static boolean rawUpload(HttpServletRequest req) {
    String type = req.getContentType();
    return "POST".equals(req.getMethod())
        && imports(req)
        && type != null
        && type.toLowerCase(java.util.Locale.ROOT).startsWith(RAW_TYPE);
  }

  private static boolean imports(HttpServletRequest req) {
    return req.getRequestURI().replaceAll("/+$", "").equals("/v1/imports");
  }
}
