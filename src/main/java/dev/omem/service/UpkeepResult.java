package dev.omem.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one upkeep pass did.
 *
 * @param backup the backup it took, or null when the newest was recent enough
 * @param backupsDeleted old backups deleted beyond {@link Limits#BACKUPS_KEPT}
 * @param purged deleted memories purged after their retention
 * @param bytesBefore the database's size before the pass
 * @param bytesAfter its size after (free pages returned)
 */
public record UpkeepResult(
    BackupInfo backup, int backupsDeleted, long purged, long bytesBefore, long bytesAfter) {
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backup", backup == null ? null : backup.toJson());
    out.put("backups_deleted", backupsDeleted);
    out.put("purged", purged);
    out.put("bytes_before", bytesBefore);
    out.put("bytes_after", bytesAfter);
    return out;
  }
}
