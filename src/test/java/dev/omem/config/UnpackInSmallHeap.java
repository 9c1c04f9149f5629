package dev.omem.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child of {@link PackedNativeSmallHeapTest}: unpacks each packed library named (a resource
 * path) into a directory, or, given {@code --allocate-64-mib}, allocates what preset 9's dictionary
 * took.
 */
public final class UnpackInSmallHeap {
  private UnpackInSmallHeap() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--allocate-64-mib")) {
        byte[] dictionary = new byte[64 << 20];
        System.out.println("allocated " + dictionary.length);
        continue;
      }
      PackedNative n = PackedNative.find(args[i]);
      if (n == null || !n.xz()) {
        throw new IllegalStateException("not packed: " + args[i]);
      }
      Path part = dir.resolve(Path.of(args[i]).getFileName() + ".part");
      n.unpackTo(part);
      System.out.println("unpacked " + args[i] + " " + Files.size(part));
      Files.delete(part);
    }
  }
}
