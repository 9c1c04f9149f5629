package dev.omem.config;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.Properties;
import org.tukaani.xz.XZInputStream;

/**
 * One native library on the class path: as the library's own jar ships it, or packed by the build
 * ({@code <name>.xz}, its unpacked size in {@code omem-natives.properties}; see
 * src/build/PackNatives.java): xz with the processor's branch filter packs ONNX Runtime's four
 * libraries into 23 MB where the jar's deflate took 39 MB.
 */
record PackedNative(URL url, boolean xz, long size) {
  static PackedNative find(String resource) throws IOException {
    URL plain = PackedNative.class.getResource(resource);
    if (plain != null) {
      URLConnection c = plain.openConnection();
      c.setUseCaches(false);
      long size = c.getContentLengthLong();
      if (c instanceof java.net.JarURLConnection jar) {
        jar.getJarFile().close();
      }
      return new PackedNative(plain, false, size);
    }
    URL packed = PackedNative.class.getResource(resource + ".xz");
    String size = packedSizes().getProperty(resource.substring(1));
    if (packed == null || size == null) {
      return null;
    }
    return new PackedNative(packed, true, Long.parseLong(size));
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
