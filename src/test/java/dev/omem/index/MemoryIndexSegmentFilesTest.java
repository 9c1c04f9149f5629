package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.MemoryFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segments a reader reopen flushes, and those merged from them, are written as plain files,
 * never packed into a compound file (a copy of every file per reopen: issue 19, session 14), and
 * every memory stays searchable through flushes and merges.
 */
class MemoryIndexSegmentFilesTest {
  @TempDir Path dir;

  @Test
  void flushedAndMergedSegmentsAreNotCompoundFiles() throws IOException {
    int reopens = 30; // more than a tier (10 segments), so that merges run
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      for (int i = 0; i < reopens; i++) {
        index.upsert(MemoryIndexConcurrencyTest.stored("gadget number " + i), "m");
        index.markApplied(i + 1);
        index.refresh(); // a reopen: flushes a one-document segment
      }
      assertEquals(reopens, index.count());
      assertEquals(1, index.searchText("gadget 17", MemoryFilter.activeOf("t"), 1).size());
    } // close commits and waits for the merges in progress
    try (Stream<Path> files = Files.list(dir)) {
      List<String> compound =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".cfs") || n.endsWith(".cfe"))
              .toList();
      assertEquals(List.of(), compound);
    }
    try (FSDirectory d = FSDirectory.open(dir)) {
      SegmentInfos segments = SegmentInfos.readLatestCommit(d);
      assertTrue(segments.size() < reopens, "no merge ran: " + segments.size() + " segments");
      for (SegmentCommitInfo s : segments) {
        assertTrue(!s.info.getUseCompoundFile(), s.info.name + " is a compound file");
      }
    }
  }
}
