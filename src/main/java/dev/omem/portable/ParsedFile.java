package dev.omem.portable;

import java.util.List;

/**
 * A file read for import: what it holds, and the items it could not read (each an error entry of
 * the import, never a reason to drop the others).
 *
 * @param restores memories of an omem file, restored as they were (same ids): read from the file as
 *     the import asks for them (OmemFileReader), not held
 * @param items memories to create (every other format)
 * @param messages the turns of a {@code session} file, for the ingest path
 * @param errors the items that could not be read
 * @param total how many items the file holds, readable or not
 */
public record ParsedFile(
    Restores restores,
    List<ImportItem> items,
    List<Message> messages,
    List<ItemError> errors,
    int total) {

  /** The readable memories of an omem file, in its order; iterated once per import. */
  public interface Restores extends Iterable<PortableMemory> {
    /** How many there are. */
    int size();

    Restores NONE =
        new Restores() {
          @Override
          public int size() {
            return 0;
          }

          @Override
          public java.util.Iterator<PortableMemory> iterator() {
            return java.util.Collections.emptyIterator();
          }
        };
  }

  /** One turn of a session file. */
  public record Message(String role, String content) {}

  /** An item that could not be imported: its position in the file (from 0) and why. */
  public record ItemError(int index, String message) {}

  public ParsedFile {
    items = List.copyOf(items);
    messages = List.copyOf(messages);
    errors = List.copyOf(errors);
  }

  static ParsedFile items(List<ImportItem> items, List<ItemError> errors, int total) {
    return new ParsedFile(Restores.NONE, items, List.of(), errors, total);
  }
}
