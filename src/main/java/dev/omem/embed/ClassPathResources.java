package dev.omem.embed;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** Finds and reads model files on the class path of the jar that holds this package. */
final class ClassPathResources {

  private ClassPathResources() {}

  /** Whether {@code name} (as for {@link ClassLoader#getResource}) is on the class path. */
  static boolean exists(String name) {
    return loader().getResource(strip(name)) != null;
  }

  /**
   * Opens {@code name} for reading.
   *
   * @throws FileNotFoundException if it is not on the class path
   */
  static InputStream open(String name) throws IOException {
    InputStream in = loader().getResourceAsStream(strip(name));
    if (in == null) {
      throw new FileNotFoundException("class-path resource not found: " + name);
    }
    return in;
  }

  /** Reads all of {@code name}. */
  static byte[] read(String name) throws IOException {
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    }
  }

  // Our own loader, not the thread's context loader: the models ship in the same jar (or on the
  // same class path) as this code, and the loader thread's context loader is not ours to rely on.
  private static ClassLoader loader() {
    ClassLoader own = ClassPathResources.class.getClassLoader();
    return own != null ? own : ClassLoader.getSystemClassLoader();
  }

  // ClassLoader names have no leading slash; accept one anyway, as Class.getResource users write.
  private static String strip(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }
}
