package dev.omem.index;

import dev.omem.bench.UpkeepBench;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Benchmark run by hand (not a test, issue 19): the merge policy under a store stream. Opens a COPY
 * of an index (it is written), adds {@code writes} documents with random unit vectors of 384
 * dimensions, reopening the reader every {@code every} writes (what the neighbour check's reopen
 * does), waits for the merges, and prints the process CPU and the segments left. Run it once with
 * {@code none} (no merges) to get the cost of the writes alone; the rest is merges.
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -XX:TieredStopAtLevel=1 -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.MergeReplayBench /tmp/ix FLOOR_MB|none|shipped|shipped-cfs WRITES EVERY [SEGMENTS_PER_TIER]
 * </pre>
 */
public final class MergeReplayBench {
  private MergeReplayBench() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int writes = Integer.parseInt(args[2]);
    int every = Integer.parseInt(args[3]);
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    if (args[1].equals("none")) {
      cfg.setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE);
    } else if (args[1].equals("shipped")) {
      cfg.setMergePolicy(MemoryIndex.mergePolicy());
      cfg.setUseCompoundFile(false); // as MemoryIndex.open
    } else if (args[1].equals("shipped-cfs")) {
      // session 13's: compound files for flushed segments and the small merged ones
      TieredMergePolicy p = MemoryIndex.mergePolicy();
      p.setNoCFSRatio(TieredMergePolicy.DEFAULT_NO_CFS_RATIO);
      cfg.setMergePolicy(p);
    } else {
      TieredMergePolicy p = new TieredMergePolicy();
      p.setFloorSegmentMB(Double.parseDouble(args[1]));
      if (args.length > 4) {
        p.setSegmentsPerTier(Double.parseDouble(args[4]));
      }
      cfg.setMergePolicy(p);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    Random rnd = new Random(1);
    try (Directory d = FSDirectory.open(dir)) {
      try (IndexWriter w = new IndexWriter(d, cfg)) {
        DirectoryReader r = DirectoryReader.open(w);
        for (int i = 0; i < writes; i++) {
          float[] v = UpkeepBench.unitVector(rnd);
          Document doc = new Document();
          doc.add(new StringField("id", "replay-" + i, Field.Store.YES));
          doc.add(new KnnFloatVectorField("vector", v, VectorSimilarityFunction.DOT_PRODUCT));
          w.updateDocument(new Term("id", "replay-" + i), doc);
          if ((i + 1) % every == 0) {
            DirectoryReader next = DirectoryReader.openIfChanged(r, w);
            if (next != null) {
              r.close();
              r = next;
            }
          }
        }
        r.close();
      } // close waits for running merges
      System.out.printf("process CPU %.2f s%n", (os.getProcessCpuTime() - cpu0) / 1e9);
      for (SegmentCommitInfo c : SegmentInfos.readLatestCommit(d)) {
        System.out.printf(
            "%s %d docs %.2f MB%n", c.info.name, c.info.maxDoc(), c.sizeInBytes() / 1e6);
      }
    }
  }
}
