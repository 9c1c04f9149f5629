package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's merge policy under a stream of stores: small flushed segments wait until twenty of
 * them are there, so a store stream does not soon merge (and re-insert into an HNSW graph) what a
 * 10k index holds (issue 19, session 12; figures in BENCHMARKS.md).
 */
class MergePolicyTest {
  @TempDir Path dir;

  @Test
  void fifteenFlushedSegmentsAreNotMerged() throws Exception {
    assertEquals(15, segmentsAfterFlushes(15));
  }

  @Test
  void pastTwentyTheSmallSegmentsAreMerged() throws Exception {
    assertTrue(segmentsAfterFlushes(30) < 30);
  }

  /** Segments left after {@code flushes} one-document flushes, merges run as they are chosen. */
  private int segmentsAfterFlushes(int flushes) throws Exception {
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    cfg.setMergePolicy(MemoryIndex.mergePolicy());
    cfg.setMergeScheduler(new SerialMergeScheduler()); // merges in the flushing thread: no timing
    try (Directory d = FSDirectory.open(dir.resolve("f" + flushes));
        IndexWriter w = new IndexWriter(d, cfg)) {
      for (int i = 0; i < flushes; i++) {
        Document doc = new Document();
        doc.add(new StringField("id", "m" + i, Field.Store.YES));
        w.addDocument(doc);
        w.flush();
        w.maybeMerge();
      }
      try (DirectoryReader r = DirectoryReader.open(w)) {
        return r.leaves().size();
      }
    }
  }
}
