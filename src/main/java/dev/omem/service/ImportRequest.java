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
 */
public record ImportRequest(
    String fileType,
    String content,
    String fileName,
    boolean force,
    String strategy,
    String spaceId) {

  /**
   * The file type of a file given without one, from its name and content (see {@link
   * dev.omem.portable.FileType#guess}); for faces, which know the service only.
   */
  public static String guessType(String fileName, String content) {
    return dev.omem.portable.FileType.guess(fileName, content).wire();
  }
}
