package dev.omem.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backup that was written.
 *
 * @param path the file, absolute, on the machine of the service that wrote it
 * @param sizeBytes its size
 * @param createdAt when the snapshot was taken
 */
public record BackupInfo(String path, long sizeBytes, Instant createdAt) {
  /** The JSON object {@code POST /v1/backups} answers and {@code omem backup --json} prints. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", path);
    out.put("size_bytes", sizeBytes);
    out.put("created_at", createdAt.toString());
    return out;
  }
}
