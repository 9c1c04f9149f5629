package dev.omem.service;

/** Told each time a batch of an import commits (and once at the end), on the importing thread. */
@FunctionalInterface
public interface ImportProgress {
  ImportProgress NONE = r -> {};

  void progress(ImportRecord record);
}
