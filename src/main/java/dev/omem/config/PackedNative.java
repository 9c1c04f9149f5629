package dev.omem.config;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * One native library on the class path: as the library's own jar ships it, or packed by the build
 * ({@code <name>.xz}, its unpacked size in {@code omem-natives.properties}; see
 * src/build/PackNatives.java): xz with the processor's branch filter packs ONNX Runtime's four
 * libraries into 23 MB where the jar's deflate took 39 MB.
 */
record PackedNative(URL url, boolean xz, long size, long crc32) {
  /** No CRC-32 known (a resource of a jar that is not a zip entry). */
  static final long NO_CRC = -1;

  static PackedNative find(String resource) throws IOException {
    URL plain = PackedNative.class.getResource(resource);
    if (plain != null) {
      URLConnection c = plain.openConnection();
      c.setUseCaches(false);
      long size = c.getContentLengthLong();
      long crc = NO_CRC;
      if (c instanceof java.net.JarURLConnection jar) {
        crc = jar.getJarEntry() == null ? NO_CRC : jar.getJarEntry().getCrc();
        jar.getJarFile().close();
      }
      return new PackedNative(plain, false, size, crc);
    }
    URL packed = PackedNative.class.getResource(resource + ".xz");
    String size = packedSizes().getProperty(resource.substring(1));
    String crc = packedSizes().getProperty(resource.substring(1) + ".crc32");
    if (packed == null || size == null) {
      return null;
    }
    return new PackedNative(
        packed, true, Long.parseLong(size), crc == null ? NO_CRC : Long.parseLong(crc, 16));
  }

  /**
   * Whether {@code file} holds this library: its size, and its CRC-32 where the build recorded one.
   * A size alone would accept a file of the right length with other bytes (a damaged disk, a copy
   * cut short and padded), which the loader would then map and run.
   */
  boolean matches(Path file) throws IOException {
    if (!Files.isRegularFile(file) || (size >= 0 && Files.size(file) != size)) {
      return false;
    }
    if (crc32 == NO_CRC) {
      return true;
    }
    try (InputStream in = new CheckedInputStream(Files.newInputStream(file), new CRC32())) {
      in.transferTo(OutputStream.nullOutputStream());
      return ((CheckedInputStream) in).getChecksum().getValue() == crc32;
    }
  }

  /**
   * Unpacks the library into {@code part} (a name no other process writes) and checks what was
   * written, so only a complete, verified file is ever renamed to the name processes load.
   */
  void unpackTo(Path part) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = new CheckedInputStream(open(), crc)) {
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
    }
    if ((size >= 0 && Files.size(part) != size) || (crc32 != NO_CRC && crc.getValue() != crc32)) {
      Files.deleteIfExists(part);
      throw new IOException(
          "unpacked " + url + " does not match the size and CRC-32 the build recorded");
    }
  }

  InputStream open() throws IOException {
    URLConnection c = url.openConnection();
    c.setUseCaches(false);
    InputStream in = c.getInputStream();
    return xz ? new XZInputStream(new BufferedInputStream(in, 1 << 16)) : in;
  }

  private static Properties packedSizes;

  private static synchronized Properties packedSizes() throws IOException {
    if (packedSizes == null) {
      Properties p = new Properties();
      try (InputStream in = PackedNative.class.getResourceAsStream("/omem-natives.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      packedSizes = p;
    }
    return packedSizes;
  }
}
