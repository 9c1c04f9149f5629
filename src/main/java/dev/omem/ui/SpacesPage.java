package dev.omem.ui;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Invitation;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceType;
import dev.omem.service.MemoryService;
import dev.omem.service.SpaceRequest;
import java.io.IOException;
import java.util.List;

/**
 * Spaces: the caller's spaces with members, roles, pending invitations and auto-share rules; the
 * invitations waiting for the caller's answer; a new space; an invitation (naming a member invites
 * them: they become one by accepting).
 */
final class SpacesPage {
  private final MemoryService service;

  SpacesPage(MemoryService service) {
    this.service = service;
  }

  void handle(UiRequest r, boolean post) throws IOException {
    if (post) {
      act(r);
    } else {
      show(r);
    }
  }

  private void act(UiRequest r) {
    String action = r.param("action");
    String done;
    switch (action == null ? "" : action) {
      case "create" -> {
        service.createSpace(r.caller(), new SpaceRequest(r.param("name"), r.param("type"), null));
        done = "space-created";
      }
      case "invite" -> {
        service.putMember(r.caller(), r.param("space"), r.param("user"), r.param("role"));
        done = "invited";
      }
      case "accept" -> {
        service.acceptInvitation(r.caller(), r.param("invitation"));
        done = "accepted";
      }
      case "decline" -> {
        service.declineInvitation(r.caller(), r.param("invitation"));
        done = "declined";
      }
      default -> throw OmemException.invalid("unknown action");
    }
    r.seeOther("/ui/spaces?done=" + done);
  }

  private void show(UiRequest r) throws IOException {
    Html h = new Html();
    List<Invitation> mine = service.invitations(r.caller());
    h.raw("<section aria-labelledby=\"inv-h\"><h2 id=\"inv-h\">Invitations for you</h2>");
    if (mine.isEmpty()) {
      h.raw("<p>None.</p>");
    }
    h.raw("<ul class=\"invitations\">");
    for (Invitation i : mine) {
      h.raw("<li>")
          .text(i.invitedBy() + " invites you to " + i.spaceName() + " as " + i.role().wire());
      h.raw(" <form method=\"post\" action=\"/ui/spaces\" class=\"inline\">");
      h.hidden("csrf", r.csrf()).hidden("invitation", i.id());
      h.raw("<button type=\"submit\" name=\"action\" value=\"accept\">Accept</button> ");
      h.raw(
          "<button type=\"submit\" name=\"action\" value=\"decline\">Decline</button></form></li>");
    }
    h.raw("</ul></section>");

    h.raw("<section aria-labelledby=\"sp-h\"><h2 id=\"sp-h\">Your spaces</h2>");
    for (Space s : service.spaces(r.caller())) {
      space(h, r, s);
    }
    h.raw("</section>");

    h.raw("<section aria-labelledby=\"new-h\"><h2 id=\"new-h\">New space</h2>");
    h.raw("<form method=\"post\" action=\"/ui/spaces\">");
    h.hidden("csrf", r.csrf()).hidden("action", "create");
    h.raw("<label for=\"space-name\">Name</label> ");
    h.raw("<input id=\"space-name\" name=\"name\" required maxlength=\"100\"> ");
    Views.select(h, "type", "Type", "team", "team", "team", "organization", "organization");
    h.raw("<button type=\"submit\">Create space</button></form></section>");
    r.html(200, Layout.page(r, "Spaces", "/ui/spaces", Views.notice(r), h.toString()));
  }

  private void space(Html h, UiRequest r, Space s) {
    h.raw("<article class=\"space\"><h3>").text(s.name()).raw("</h3><p class=\"meta\">");
    h.text(s.type().wire() + " · " + s.id()).raw("</p><ul>");
    for (Space.Member m : s.members()) {
      h.raw("<li>").text(m.userId() + " (" + m.role().wire() + ")").raw("</li>");
    }
    h.raw("</ul>");
    List<Invitation> pending;
    try {
      pending =
          s.type() == SpaceType.PERSONAL ? null : service.spaceInvitations(r.caller(), s.id());
    } catch (OmemException notAdmin) {
      pending = null; // members who do not administer it see the members only
    }
    if (pending == null) {
      h.raw("</article>");
      return;
    }
    if (!pending.isEmpty()) {
      h.raw("<p>Invited, not answered yet:</p><ul>");
      for (Invitation i : pending) {
        h.raw("<li>").text(i.userId() + " as " + i.role().wire()).raw("</li>");
      }
      h.raw("</ul>");
    }
    List<AutoShareRule> rules = service.autoShareRules(r.caller(), s.id());
    if (!rules.isEmpty()) {
      h.raw("<p>Auto-share rules:</p><ul>");
      for (AutoShareRule rule : rules) {
        h.raw("<li>")
            .text(
                "from "
                    + rule.sourceSpace()
                    + ", categories "
                    + rule.categories()
                    + ", tags "
                    + rule.tags())
            .raw("</li>");
      }
      h.raw("</ul>");
    }
    String fid = "invite-" + Math.abs(s.id().hashCode());
    h.raw("<form method=\"post\" action=\"/ui/spaces\" class=\"inline\">");
    h.hidden("csrf", r.csrf()).hidden("action", "invite").hidden("space", s.id());
    h.raw("<label for=\"").text(fid).raw("\">Invite (user id)</label> ");
    h.raw("<input id=\"").text(fid).raw("\" name=\"user\" required> ");
    Views.select(
        h, "role", "Role", "member", "member", "member", "reader", "reader", "admin", "admin");
    h.raw("<button type=\"submit\">Invite</button></form></article>");
  }
}
