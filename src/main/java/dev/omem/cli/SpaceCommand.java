package dev.omem.cli;

import dev.omem.domain.Invitation;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import dev.omem.service.MemoryService;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omem space list|invitations|accept ID|decline ID}: the spaces of the caller and its
 * answers to invitations. An invitee whose clients speak only ourmem's dialect (which has no
 * invitations) accepts here, with {@code OMEM_API_URL} and {@code OMEM_API_KEY} set.
 */
@Command(
    name = "space",
    description =
        "Your spaces and invitations: list, invitations [--space ID], accept ID, decline ID.")
final class SpaceCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      description = "list, invitations, accept or decline.")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The invitation's id.")
  String id;

  @Option(
      names = "--space",
      description = "With invitations: the pending invitations of a space you administer.")
  String space;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryService s = common.open(false)) {
      switch (action) {
        case "list" -> {
          List<Space> spaces = s.spaces(CommonOptions.caller());
          if (common.json) {
            Output.json(out, spaces.stream().map(SpaceJson::of).toList());
          } else {
            spaces.forEach(
                x -> out.println(x.id() + "  " + x.name() + "  (" + x.members().size() + ")"));
          }
        }
        case "invitations" -> {
          List<Invitation> list =
              space == null
                  ? s.invitations(CommonOptions.caller())
                  : s.spaceInvitations(CommonOptions.caller(), space);
          if (common.json) {
            Output.json(out, list.stream().map(SpaceJson::of).toList());
          } else if (list.isEmpty()) {
            out.println("No pending invitations.");
          } else {
            for (Invitation i : list) {
              out.println(
                  i.id()
                      + "  "
                      + i.spaceId()
                      + "  \""
                      + i.spaceName()
                      + "\"  "
                      + i.role().wire()
                      + (space == null ? "  from " + i.invitedBy() : "  for " + i.userId()));
            }
          }
        }
        case "accept" -> {
          Space joined = s.acceptInvitation(CommonOptions.caller(), required());
          if (common.json) {
            Output.json(out, SpaceJson.of(joined));
          } else {
            out.println("Joined " + joined.id() + " \"" + joined.name() + "\"");
          }
        }
        case "decline" -> {
          s.declineInvitation(CommonOptions.caller(), required());
          if (common.json) {
            Output.json(out, Map.of("status", "declined"));
          } else {
            out.println("Declined " + id);
          }
        }
        default ->
            throw OmemException.invalid(
                "unknown action '" + action + "'; use list, invitations, accept ID or decline ID");
      }
    }
    out.flush();
    return 0;
  }

  private String required() {
    if (id == null || id.isBlank()) {
      throw OmemException.invalid(action + " needs the invitation's id (omem space invitations)");
    }
    return id;
  }
}
