package dev.omem.portable;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an import file of any {@link FileType}: the one switch over the formats. */
public final class Formats {
  private Formats() {}

  public static ParsedFile read(FileType type, String content, String fileName, Strategy strategy) {
    return switch (type) {
      case OMEM -> OmemFormat.read(content);
      case OMP -> OmpFormat.read(content);
      case MARKDOWN -> MarkdownFormat.read(content, fileName, strategy);
      case MEMORY -> OurmemFormat.readMemories(content);
      case JSONL -> OurmemFormat.readJsonl(content);
      case SESSION -> OurmemFormat.readSession(content);
    };
  }

  /**
   * {@link #read(FileType, String, String, Strategy)} of a UTF-8 file on disk whose text is not
   * blank ({@link FileHead}): an omem file is read memory by memory as the import goes; the other
   * formats are read whole, so they must be at most {@code wholeFileBytes}.
   */
  public static ParsedFile read(
      FileType type, Path file, String fileName, Strategy strategy, long wholeFileBytes) {
    if (type == FileType.OMEM) {
      return OmemFormat.read(file);
    }
    try {
      long size = Files.size(file);
      if (size > wholeFileBytes) {
        throw OmemException.invalid(
            "a "
                + type.wire()
                + " file is read whole and may be at most "
                + (wholeFileBytes >> 20)
                + " MiB; this one is "
                + (size >> 20)
                + " MiB");
      }
      return read(type, Files.readString(file, StandardCharsets.UTF_8), fileName, strategy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
