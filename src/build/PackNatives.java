import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Build step (pom.xml, prepare-package; run by Java's source launcher, with xz on the class path):
 * copies the native libraries of the ONNX Runtime and sqlite-jdbc jars into target/classes as
 * {@code <name>.xz}, and writes {@code omem-natives.properties} (each library's resource path and
 * its unpacked size). The shade plugin leaves the jars' own copies out.
 *
 * <p>Why: deflate packs the four ONNX Runtime libraries into 39 MB; xz with the branch filter of
 * each library's processor (x86 or ARM64) into 23 MB (issue 19: the jar under 70 MB). omem unpacks
 * a library once per version into {@code <data dir>/cache/native} (NativeLibraries), where it
 * already went.
 *
 * <p>Usage: {@code java -cp xz.jar PackNatives.java <classes dir> (<jar> <prefix>[,<prefix>...])...}:
 * the libraries under those resource folders of each jar.
 * A library already packed from the same bytes (its stamp in target/packed-natives) is skipped (xz at preset 9 takes about a minute
 * for all of them on two cores).
 */
public final class PackNatives {
  private record Job(ZipFile zip, ZipEntry entry, Path target, Path stamp, String source) {}

  /** Where a packed library's source is noted: beside the classes dir, so it stays out of the jar. */
  private static Path stampOf(Path classes, String name) {
    return classes.resolveSibling("packed-natives").resolve(name + ".src");
  }

  public static void main(String[] args) throws Exception {
    Path classes = Path.of(args[0]);
    List<Job> jobs = new ArrayList<>();
    Properties sizes = new Properties();
    List<ZipFile> zips = new ArrayList<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      Path jar = Path.of(args[i]);
      List<String> prefixes = List.of(args[i + 1].split(","));
      ZipFile zip = new ZipFile(jar.toFile());
      zips.add(zip);
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || prefixes.stream().noneMatch(name::startsWith) || !isLibrary(name)) {
          continue;
        }
        sizes.setProperty(name, Long.toString(entry.getSize()));
        // The unpacked bytes' CRC-32 (the zip's own): NativeLibraries checks a cached file by it.
        sizes.setProperty(name + ".crc32", Long.toHexString(entry.getCrc()));
        Path target = classes.resolve(name + ".xz");
        // Up to date when packed from these very bytes: a file time would keep a newer version's
        // library after a switch to an older jar (ONNX Runtime 1.29 -> 1.20, issue 19).
        // The dictionary size is part of the stamp: a library packed with another one is packed again.
        String source =
            jar.getFileName()
                + " crc "
                + Long.toHexString(entry.getCrc())
                + " dict "
                + dictionaryFor(entry.getSize());
        Path stamp = stampOf(classes, name);
        if (Files.isRegularFile(target)
            && Files.isRegularFile(stamp)
            && Files.readString(stamp).equals(source)) {
          continue;
        }
        Files.deleteIfExists(stamp);
        jobs.add(new Job(zip, entry, target, stamp, source));
      }
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    List<Future<?>> done = new ArrayList<>();
    for (Job job : jobs) {
      done.add(
          pool.submit(
              () -> {
                pack(job);
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    for (ZipFile zip : zips) {
      zip.close();
    }
    // Sorted, without the date line: the same jars give the same bytes.
    StringBuilder text =
        new StringBuilder("# unpacked sizes and CRC-32s of the .xz native libraries\n");
    new TreeMap<>(sizes).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(classes.resolve("omem-natives.properties"), text);
    System.out.println(
        "PackNatives: " + jobs.size() + " packed, " + (sizes.size() / 2 - jobs.size()) + " up to date");
  }

  /** Libraries only: ONNX Runtime's jar also holds debug symbols (.dSYM, .pdb), never shipped. */
  private static boolean isLibrary(String name) {
    return !name.contains(".dSYM/")
        && (name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll"));
  }

  /** The largest dictionary: the biggest library shipped (ONNX Runtime for macOS x64, 28.6 MB) fits it. */
  static final int MAX_DICTIONARY = 32 << 20;

  /**
   * The xz dictionary for a library of {@code size} bytes: the library's own size, at most {@link
   * #MAX_DICTIONARY} (the stream's header rounds it up to 2^n or 3 * 2^(n-1): 24 MiB for ONNX
   * Runtime's 16.6 MB Linux x64 library). Preset 9's 64 MiB packs the same bytes (xz never looks
   * further back than the input), but the decoder allocates the header's whole dictionary on the
   * heap: a daemon with -Xmx64m died unpacking (BENCHMARKS.md, session 12), and every first start
   * of a version put a 64 MiB array through the heap (issue 19).
   */
  static int dictionaryFor(long size) {
    return (int) Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(size, MAX_DICTIONARY));
  }

  private static void pack(Job job) throws IOException {
    Files.createDirectories(job.target().getParent());
    LZMA2Options lzma = new LZMA2Options(9);
    lzma.setDictSize(dictionaryFor(job.entry().getSize()));
    String name = job.entry().getName();
    boolean arm = name.contains("aarch64") || name.contains("arm64");
    boolean x86 = name.contains("x64") || name.contains("x86_64");
    FilterOptions[] filters =
        arm
            ? new FilterOptions[] {new ARM64Options(), lzma}
            : x86 ? new FilterOptions[] {new X86Options(), lzma} : new FilterOptions[] {lzma};
    Path part = job.target().resolveSibling(job.target().getFileName() + ".part");
    try (InputStream in = job.zip().getInputStream(job.entry());
        OutputStream out =
            new XZOutputStream(new BufferedOutputStream(Files.newOutputStream(part)), filters)) {
      in.transferTo(out);
    }
    Files.move(part, job.target(), StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(job.stamp().getParent());
    Files.writeString(job.stamp(), job.source());
    System.out.println("PackNatives: " + name + " -> " + Files.size(job.target()) + " bytes");
  }
}
