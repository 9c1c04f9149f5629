package dev.omem.portable;

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
}
