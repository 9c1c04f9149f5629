package dev.omem.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code privacy/secrets.txt}: generated fake secrets that must go, look-alikes that must stay. */
public final class PrivacyCorpus {
  /** A text holding {@code secret}, which must be replaced by {@code [REDACTED:kind]}. */
  public record Secret(String kind, String secret, String text) {
    @Override
    public String toString() {
      return kind + ": " + text.replace("\n", "\\n");
    }
  }

  private PrivacyCorpus() {}

  public static List<Secret> secrets() {
    List<Secret> out = new ArrayList<>();
    for (String[] f : rows()) {
      if (f[0].equals("redact")) {
        String secret = unescape(f[2]);
        out.add(new Secret(f[1], secret, unescape(f[3]).replace("{}", secret)));
      }
    }
    return out;
  }

  public static List<String> lookAlikes() {
    List<String> out = new ArrayList<>();
    for (String[] f : rows()) {
      if (f[0].equals("keep")) {
        out.add(unescape(f[1]));
      }
    }
    return out;
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n");
  }

  private static List<String[]> rows() {
    try (InputStream in = PrivacyCorpus.class.getResourceAsStream("/privacy/secrets.txt")) {
      if (in == null) {
        throw new IllegalStateException("privacy/secrets.txt is not on the test class path");
      }
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
