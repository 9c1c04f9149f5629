package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Space;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SpaceRequest;
import dev.omem.service.Tenants;
import dev.omem.testing.BuiltJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invitee whose clients speak only ourmem's dialect answers invitations with the CLI: the built
 * jar in remote mode ({@code OMEM_API_URL}, {@code OMEM_API_KEY}) against a real {@code omem
 * serve}.
 */
class SpaceCliIT {
  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  @Test
  void anInviteeListsAcceptsAndDeclinesInvitationsFromTheTerminal() throws Exception {
    try (LocalMemoryService s =
            LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
        OmemHttpServer server =
            OmemHttpServer.start(
                s, s.tenants(), ServeSettings.defaults("127.0.0.1", 0), "space-cli")) {
      Tenants.NewTenant a = s.tenants().create("alice");
      Tenants.NewTenant b = s.tenants().create("bob");
      Caller alice = new Caller(a.id(), null, "test", null);
      Space platform =
          s.createSpace(
              alice,
              new SpaceRequest(
                  "platform", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "reader"))));
      Space ops =
          s.createSpace(
              alice,
              new SpaceRequest(
                  "ops", "team", List.of(new SpaceRequest.MemberRequest(b.id(), "member"))));
      String url = "http://127.0.0.1:" + server.port();

      Run listed = omem(url, b.apiKey(), "space", "invitations", "--json");
      assertEquals(0, listed.code(), listed.err());
      JsonNode invitations = new ObjectMapper().readTree(listed.out());
      assertEquals(2, invitations.size(), listed.out());
      String toPlatform = null;
      String toOps = null;
      for (JsonNode i : invitations) {
        assertEquals(a.id(), i.path("invited_by").asText());
        if (i.path("space_id").asText().equals(platform.id())) {
          toPlatform = i.path("id").asText();
        } else {
          toOps = i.path("id").asText();
        }
      }
      Run text = omem(url, b.apiKey(), "space", "invitations");
      assertTrue(
          text.out().contains(toPlatform) && text.out().contains("\"platform\""), text.out());

      // alice cannot answer bob's invitation: one line on stderr, non-zero exit.
      Run notHers = omem(url, a.apiKey(), "space", "accept", toPlatform);
      CliIT.assertOneLineError(
          new CliIT.Run(notHers.code(), notHers.out(), notHers.err()), "no invitation");

      Run accepted = omem(url, b.apiKey(), "space", "accept", toPlatform);
      assertEquals(0, accepted.code(), accepted.err());
      assertTrue(accepted.out().startsWith("Joined " + platform.id()), accepted.out());
      Run declined = omem(url, b.apiKey(), "space", "decline", toOps);
      assertEquals(0, declined.code(), declined.err());

      Run spaces = omem(url, b.apiKey(), "space", "list", "--json");
      List<String> ids = new ArrayList<>();
      new ObjectMapper().readTree(spaces.out()).forEach(x -> ids.add(x.path("id").asText()));
      assertEquals(List.of("personal/" + b.id(), platform.id()), ids);
      Run none = omem(url, b.apiKey(), "space", "invitations");
      assertEquals("No pending invitations.", none.out().strip());
      Run missingId = omem(url, b.apiKey(), "space", "accept");
      CliIT.assertOneLineError(
          new CliIT.Run(missingId.code(), missingId.out(), missingId.err()), "invitation's id");
    }
  }

  Run omem(String url, String key, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", BuiltJar.path().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMEM_API_URL", url);
    pb.environment().put("OMEM_API_KEY", key);
    pb.environment().put("OMEM_HOME", work.resolve("client-home").toString());
    Process p =
        pb.directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "omem " + String.join(" ", args) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
