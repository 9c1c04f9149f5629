package dev.omem.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The Claude Desktop bundle: {@code mcpb/pack} validates the manifest and packs {@code
 * target/omem.mcpb} with the mcpb CLI from the npm registry; the bundle holds that manifest, the
 * launcher and the built jar (same bytes); {@code src/test/node/mcpb-bundle.mjs} then starts it as
 * Claude Desktop would and talks MCP to it.
 */
class McpbBundleIT {
  static final Path BASE =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();

  @Test
  void packValidatesAndTheBundleHoldsTheBuiltJar() throws Exception {
    NodeRunner.requireNode("the mcpb bundle test");
    Path jar = BuiltJar.path();
    Path bundle = BASE.resolve("target/omem.mcpb");
    Files.deleteIfExists(bundle);
    NodeRunner.Run pack =
        NodeRunner.run(
            List.of(BASE.resolve("mcpb/pack").toString()),
            BASE,
            env -> env.put("OMEM_JAR", jar.toString()),
            10);
    assertEquals(0, pack.exitCode(), "mcpb/pack failed:\n" + pack.output());
    assertTrue(
        pack.output().contains("== mcpb validate\nManifest schema validation passes!"),
        "mcpb validate passed:\n" + pack.output());
    assertTrue(Files.isRegularFile(bundle), "packed " + bundle);

    ObjectMapper json = new ObjectMapper();
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      Set<String> names = new TreeSet<>();
      Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
      assertEquals(
          Set.of("LICENSE", "bin/omem-bridge.js", "bin/omem-mcp.js", "manifest.json", "omem.jar"),
          names);

      byte[] manifestBytes = bytes(zip, "manifest.json");
      assertArrayEquals(Files.readAllBytes(BASE.resolve("mcpb/manifest.json")), manifestBytes);
      JsonNode m = json.readTree(manifestBytes);
      assertEquals("omem", m.get("name").asText());
      assertEquals(implementationVersion(jar), m.get("version").asText(), "bundle version = jar's");
      assertEquals("node", m.at("/server/type").asText());
      assertNotNull(zip.getEntry(m.at("/server/entry_point").asText()), "entry point is packed");
      JsonNode env = m.at("/server/mcp_config/env");
      assertEquals("${user_config.data_dir}", env.get("OMEM_HOME").asText());
      assertEquals("${user_config.api_url}", env.get("OMEM_API_URL").asText());
      assertEquals("${user_config.api_key}", env.get("OMEM_API_KEY").asText());
      assertTrue(m.at("/user_config/api_key/sensitive").asBoolean(), "the key is sensitive");
      assertEquals("directory", m.at("/user_config/data_dir/type").asText());
      assertArrayEquals(
          Files.readAllBytes(BASE.resolve("scripts/npm/bin/omem-mcp.js")),
          bytes(zip, "bin/omem-mcp.js"));

      ZipEntry packedJar = zip.getEntry("omem.jar");
      assertEquals(Files.size(jar), packedJar.getSize(), "same size as the built jar");
      assertEquals(sha256(Files.newInputStream(jar)), sha256(zip.getInputStream(packedJar)));
    }

    NodeRunner.runTestScript(
        "mcpb-bundle.mjs",
        "the mcpb bundle test",
        env -> env.put("OMEM_MCPB", bundle.toString()),
        5);
  }

  static byte[] bytes(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return in.readAllBytes();
    }
  }

  static String implementationVersion(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (DigestInputStream d = new DigestInputStream(in, md)) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}
