package dev.omem.service;

/**
 * One file to import. The agent and session of the memories it creates come from the {@link
 * Caller}.
 *
 * @param fileType memory, jsonl, session, markdown, omem or omp
 * @param content the file's text (UTF-8)
 * @param fileName the file's name, or null (Markdown memories take it as their source)
 * @param force import even what the store already holds (same text, same id, same OMP id)
 * @param strategy Markdown only: auto (atomic), atomic, section or document
 * @param spaceId null, or the caller's personal space {@code personal/<tenant id>}
 * @param upload the file's bytes instead of {@code content}, or null: copied to the store's spool
 *     directory and read from there, so an import's heap does not grow with the file (issue 19: the
 *     daemon's heap is capped)
 */
public record ImportRequest(
    String fileType,
    String content,
    String fileName,
    boolean force,
    String strategy,
    String spaceId,
    Upload upload) {

  /** Opens the file's bytes: each call from the start (a client may send them twice). */
  @FunctionalInterface
  public interface Upload {
    java.io.InputStream open() throws java.io.IOException;
  }

  /**
   * The largest upload: 1 GiB, an omem export of about 300,000 memories (3.4 KB each at 10k,
   * BENCHMARKS.md "Session 12: an export streams"); only omem files are read from the spool memory
   * by memory, the other formats are read whole and stay under {@link #WHOLE_FILE_BYTES}.
   */
  public static final long MAX_UPLOAD_BYTES = 1L << 30;

  /** 32 MiB: the largest file read whole (every format but omem), as the HTTP body limit was. */
  public static final long WHOLE_FILE_BYTES = 32L << 20;

  /** A file given as its text. */
  public ImportRequest(
      String fileType,
      String content,
      String fileName,
      boolean force,
      String strategy,
      String spaceId) {
    this(fileType, content, fileName, force, strategy, spaceId, null);
  }

  /**
   * The file type of a file given without one, from its name and content (see {@link
   * dev.omem.portable.FileType#guess}); for faces, which know the service only.
   */
  public static String guessType(String fileName, String content) {
    return dev.omem.portable.FileType.guess(fileName, content).wire();
  }

  /**
   * A file on disk to import, sent as an upload (never read whole): checked to be UTF-8 text to its
   * end first, its type guessed from its name and start ({@link #guessType}) when {@code fileType}
   * is null. Errors name the file as given.
   */
  public static ImportRequest ofFile(
      java.nio.file.Path file, String fileType, boolean force, String strategy) {
    String head = dev.omem.portable.FileHead.of(file, file.toString());
    String name = file.getFileName().toString();
    return new ImportRequest(
        fileType != null ? fileType : guessType(file.toString(), head),
        null,
        name,
        force,
        strategy,
        null,
        () -> java.nio.file.Files.newInputStream(file));
  }
}
