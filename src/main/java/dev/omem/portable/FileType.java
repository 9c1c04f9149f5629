package dev.omem.portable;

import dev.omem.domain.OmemException;
import java.util.Locale;

/**
 * The kinds of file an import reads: ourmem's {@code memory}, {@code jsonl}, {@code session} and
 * {@code markdown}, and omem's extensions {@code omem} (every field, restored as it was) and {@code
 * omp} (an Open Memory Protocol export).
 */
public enum FileType {
  MEMORY,
  JSONL,
  SESSION,
  MARKDOWN,
  OMEM,
  OMP;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The file type named {@code s}; an unknown name is a validation error listing the known. */
  public static FileType parse(String s) {
    if (s == null || s.isBlank()) {
      throw OmemException.invalid(
          "file_type is required: memory, jsonl, session, markdown, omem or omp");
    }
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid(
          "unknown file_type '" + s + "'; use memory, jsonl, session, markdown, omem or omp");
    }
  }

  /**
   * A guess from the file's name and first characters, for {@code omem import FILE} without {@code
   * --type}: {@code .md}/{@code .mdc} → markdown, {@code .jsonl} → jsonl, JSON naming {@code
   * omp_version} → omp, {@code "format":"omem"} → omem, a JSON array of {@code role} messages →
   * session, other JSON → memory, anything else → markdown.
   */
  public static FileType guess(String fileName, String content) {
    String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".md") || name.endsWith(".mdc") || name.endsWith(".markdown")) {
      return MARKDOWN;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    String head = content.strip();
    if (head.startsWith("{") || head.startsWith("[")) {
      String start = head.substring(0, Math.min(head.length(), 4096)).replaceAll("\\s+", "");
      if (start.contains("\"omp_version\"")) {
        return OMP;
      }
      if (start.contains("\"format\":\"omem\"")) {
        return OMEM;
      }
      int firstEnd = start.indexOf('}');
      String first = firstEnd < 0 ? start : start.substring(0, firstEnd);
      if ((start.startsWith("[{") && first.contains("\"role\":"))
          || start.startsWith("{\"messages\":")) {
        return SESSION;
      }
      return MEMORY;
    }
    return MARKDOWN;
  }
}
