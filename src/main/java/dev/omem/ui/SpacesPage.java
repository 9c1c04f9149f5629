package dev.omem.ui;

import dev.omem.domain.AutoShareRule;
import dev.omem.domain.Category;
import dev.omem.domain.Invitation;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.SpaceRole;
import dev.omem.domain.SpaceType;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.MemoryService;
import dev.omem.service.SpaceRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spaces: the caller's spaces with members, roles, pending invitations and auto-share rules; the
 * invitations waiting for the caller's answer; a new space; an invitation (naming a member invites
 * them: they become one by accepting). An admin changes roles, removes members, withdraws
 * invitations and adds or deletes auto-share rules, each through the service's own call.
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
      case "role" -> {
        service.putMember(r.caller(), r.param("space"), r.param("user"), r.param("role"));
        done = "role-changed";
      }
      case "remove" -> {
        service.removeMember(r.caller(), r.param("space"), r.param("user"));
        done = "member-removed";
      }
      case "revoke" -> {
        service.revokeInvitation(r.caller(), r.param("space"), r.param("invitation"));
        done = "member-removed";
      }
      case "add-rule" -> {
        service.addAutoShareRule(r.caller(), r.param("space"), rule(r));
        done = "rule-added";
      }
      case "delete-rule" -> {
        service.deleteAutoShareRule(r.caller(), r.param("space"), r.param("rule"));
        done = "rule-deleted";
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

  /** An auto-share rule from the form: one category or any, comma-separated tags, a floor. */
  private static AutoShareRuleRequest rule(UiRequest r) {
    String category = r.param("category");
    List<String> tags = MemoryView.tags(r.rawParam("tags"));
    Double min = null;
    if (r.param("min_importance") != null) {
      try {
        min = Double.valueOf(r.param("min_importance"));
      } catch (NumberFormatException e) {
        throw OmemException.invalid("minimum importance must be a number from 0 to 1");
      }
    }
    return new AutoShareRuleRequest(
        null,
        category == null ? null : List.of(category),
        tags == null || tags.isEmpty() ? null : tags,
        min,
        null);
  }

  private void space(Html h, UiRequest r, Space s) {
    h.raw("<article class=\"space\"><h3>").text(s.name()).raw("</h3><p class=\"meta\">");
    h.text(s.type().wire() + " · " + s.id()).raw("</p>");
    List<Invitation> pending;
    try {
      pending =
          s.type() == SpaceType.PERSONAL ? null : service.spaceInvitations(r.caller(), s.id());
    } catch (OmemException notAdmin) {
      pending = null; // members who do not administer it see the members only
    }
    boolean admin = pending != null;
    h.raw("<h4>Members</h4><ul class=\"members\">");
    for (Space.Member m : s.members()) {
      h.raw("<li>").text(m.userId() + " (" + m.role().wire() + ")");
      if (admin) {
        memberForm(h, r, s, m);
      }
      h.raw("</li>");
    }
    h.raw("</ul>");
    if (!admin) {
      h.raw("</article>");
      return;
    }
    if (!pending.isEmpty()) {
      h.raw("<p>Invited, not answered yet:</p><ul class=\"pending\">");
      for (Invitation i : pending) {
        h.raw("<li>").text(i.userId() + " as " + i.role().wire()).raw(" ");
        form(h, r, s, "revoke").hidden("invitation", i.id());
        h.raw("<button type=\"submit\">Withdraw<span class=\"sr-only\"> the invitation of ");
        h.text(i.userId()).raw("</span></button></form></li>");
      }
      h.raw("</ul>");
    }
    rules(h, r, s);
    String fid = "invite-" + Math.abs(s.id().hashCode());
    form(h, r, s, "invite");
    h.raw("<label for=\"").text(fid).raw("\">Invite (user id)</label> ");
    h.raw("<input id=\"").text(fid).raw("\" name=\"user\" required> ");
    Views.select(
        h, "role", "Role", "member", "member", "member", "reader", "reader", "admin", "admin");
    h.raw("<button type=\"submit\">Invite</button></form></article>");
  }

  /** A member's role, changeable, and their removal (an admin's view). */
  private static void memberForm(Html h, UiRequest r, Space s, Space.Member m) {
    h.raw(" ");
    form(h, r, s, null).hidden("user", m.userId());
    // The label names the member for screen readers; on screen the row already does.
    h.raw("<label>Role<span class=\"sr-only\"> of ").text(m.userId());
    h.raw("</span> <select name=\"role\">");
    for (SpaceRole role : SpaceRole.values()) {
      h.raw("<option value=\"").text(role.wire()).raw(role == m.role() ? "\" selected>" : "\">");
      h.text(role.wire()).raw("</option>");
    }
    h.raw("</select></label> ");
    h.raw("<button type=\"submit\" name=\"action\" value=\"role\">Change role");
    h.raw("<span class=\"sr-only\"> of ").text(m.userId()).raw("</span></button> ");
    h.raw("<button type=\"submit\" name=\"action\" value=\"remove\">Remove");
    h.raw("<span class=\"sr-only\"> ").text(m.userId()).raw("</span></button></form>");
  }

  /** The space's auto-share rules, each deletable, and a form for a new one. */
  private void rules(Html h, UiRequest r, Space s) {
    List<AutoShareRule> rules = service.autoShareRules(r.caller(), s.id());
    h.raw("<h4>Auto-share rules</h4>");
    if (rules.isEmpty()) {
      h.raw("<p>None: members share into this space by hand.</p>");
    }
    h.raw("<ul class=\"rules\">");
    for (AutoShareRule rule : rules) {
      String words = ruleWords(rule);
      h.raw("<li>").text(words).raw(" ");
      form(h, r, s, "delete-rule").hidden("rule", rule.id());
      h.raw("<button type=\"submit\">Delete<span class=\"sr-only\"> the rule ").text(words);
      h.raw("</span></button></form></li>");
    }
    h.raw("</ul>");
    form(h, r, s, "add-rule");
    h.raw("<fieldset><legend>New rule: share each new memory of a member that has</legend>");
    List<String> cats = new ArrayList<>(List.of("", "any category"));
    for (Category c : Category.values()) {
      cats.add(c.wire());
      cats.add(c.wire());
    }
    Views.select(h, "category", "Category", null, cats.toArray(String[]::new));
    h.raw("<label>Tags (comma-separated, all needed) <input name=\"tags\" size=\"14\"></label> ");
    h.raw("<label>Importance at least <input name=\"min_importance\" type=\"number\"");
    h.raw(" min=\"0\" max=\"1\" step=\"0.05\"></label> ");
    h.raw("<button type=\"submit\">Add rule</button></fieldset></form>");
  }

  static String ruleWords(AutoShareRule rule) {
    List<String> parts = new ArrayList<>();
    parts.add(
        rule.categories().isEmpty()
            ? "any category"
            : "category "
                + String.join(" or ", rule.categories().stream().map(Category::wire).toList()));
    if (!rule.tags().isEmpty()) {
      parts.add("tags " + String.join(", ", rule.tags()));
    }
    if (rule.minImportance() != null) {
      parts.add("importance at least " + rule.minImportance());
    }
    if (rule.sourceSpace() != null) {
      parts.add("written to " + rule.sourceSpace());
    }
    return "Shares: " + String.join("; ", parts);
  }

  /** Opens a POST form of this page for {@code s} (with the CSRF token), its action if given. */
  private static Html form(Html h, UiRequest r, Space s, String action) {
    h.raw("<form method=\"post\" action=\"/ui/spaces\" class=\"inline\">");
    h.hidden("csrf", r.csrf()).hidden("space", s.id());
    return action == null ? h : h.hidden("action", action);
  }
}
