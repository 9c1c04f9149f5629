package dev.omem.profile;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.Profile;
import dev.omem.domain.Trust;
import dev.omem.store.ListSort;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Builds the user's profile ({@code memory_profile}, {@code GET /v1/profile}, the SessionStart
 * hook): <b>static facts</b>, who the user is and how they like to work (active profile and
 * preference memories, most important first), and <b>dynamic context</b>, what is going on in the
 * caller's project this week (events, cases and patterns of the last {@value #RECENT_DAYS} days,
 * newest first).
 *
 * <p>Each list is deduplicated: of two memories that say the same thing ({@link NearDuplicates}),
 * the more important one stays, the newer one on a tie, in the place of the first. Each list is
 * short: a capped number of items, each cut to {@value #MAX_ITEM_CHARS} characters. ourmem shows 20
 * facts and 10 recent items, uncut; omem shows fewer because the profile is read by an agent at the
 * start of a task and injected by the SessionStart hook, whose default budget (1,500 tokens, about
 * 6,000 characters, {@code HookSettings}) gives the facts 40% and the facts and recent context 70%:
 * {@value #STATIC_FACTS} × {@value #MAX_ITEM_CHARS} = 2,400 characters and {@value #DYNAMIC_ITEMS}
 * × {@value #MAX_ITEM_CHARS} = 1,600 of the remaining 1,800 fit whole.
 *
 * <p>Cost: two indexed list queries of at most {@value #CANDIDATES} rows and a quadratic comparison
 * of those rows; {@code scripts/bench-profile} measures it at 10k memories.
 */
public final class ProfileBuilder {
  /** Static facts shown; see the class comment for why. */
  static final int STATIC_FACTS = 12;

  /** Recent items shown; see the class comment for why. */
  static final int DYNAMIC_ITEMS = 8;

  /**
   * Longest item, in characters: two sentences of a fact (the local extractor keeps sentences of up
   * to 400; the expected facts of its corpus have 35 to 94, median 64). A longer memory is cut at a
   * word and ends in "…"; {@code memory_get} has the whole.
   */
  static final int MAX_ITEM_CHARS = 200;

  /** ourmem's window for the dynamic context. */
  static final int RECENT_DAYS = 7;

  /**
   * Rows read per list: enough that a store where most memories repeat a few statements still fills
   * the lists (a 12-item list survives 188 duplicates among its top rows), small enough that
   * reading and comparing them costs a few milliseconds.
   */
  static final int CANDIDATES = 200;

  private static final Set<Category> STABLE = Set.of(Category.PROFILE, Category.PREFERENCES);
  private static final Set<Category> CURRENT =
      Set.of(Category.EVENTS, Category.CASES, Category.PATTERNS);

  /** Which of two duplicates stays: the more important, then the newer. */
  private static final Comparator<Memory> BETTER =
      Comparator.comparingDouble(Memory::importance)
          .thenComparing(Memory::updatedAt)
          .thenComparing(Memory::createdAt);

  private final MemoryRepository repo;
  private final Clock clock;

  public ProfileBuilder(MemoryRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** The profile of {@code tenantId} over {@code scopes} (global and the caller's project). */
  public Profile build(String tenantId, Set<String> scopes) {
    Instant since = clock.instant().minus(Duration.ofDays(RECENT_DAYS));
    List<Memory> facts = fetch(filter(tenantId, scopes, STABLE, null), ListSort.IMPORTANCE);
    facts.sort(BETTER.reversed());
    List<Memory> context = fetch(filter(tenantId, scopes, CURRENT, since), ListSort.CREATED_AT);
    context.sort(Comparator.comparing(Memory::createdAt).reversed());
    return new Profile(distinct(facts, STATIC_FACTS), distinct(context, DYNAMIC_ITEMS));
  }

  /**
   * The rows of a list, without those the injection screen flagged: a profile is injected unasked
   * (issue 14).
   */
  private List<Memory> fetch(MemoryFilter f, ListSort sort) {
    List<Memory> out = new ArrayList<>(repo.list(f, sort, false, CANDIDATES, 0).memories());
    out.removeIf(Memory::flagged);
    return out;
  }

  private static MemoryFilter filter(
      String tenantId, Set<String> scopes, Set<Category> categories, Instant since) {
    return MemoryFilter.builder(tenantId)
        .scopes(scopes)
        .categories(categories)
        .states(Set.of(MemoryState.ACTIVE))
        .createdAfter(since)
        .build();
  }

  /** The first {@code max} distinct statements of {@code ordered}, each the better of its twins. */
  static List<String> distinct(List<Memory> ordered, int max) {
    List<Memory> kept = new ArrayList<>();
    List<NearDuplicates.Text> texts = new ArrayList<>();
    for (Memory m : ordered) {
      NearDuplicates.Text t = NearDuplicates.of(m.content());
      int twin = -1;
      for (int i = 0; i < kept.size() && twin < 0; i++) {
        if (NearDuplicates.same(t, texts.get(i))) {
          twin = i;
        }
      }
      if (twin >= 0) {
        if (BETTER.compare(m, kept.get(twin)) > 0) {
          kept.set(twin, m);
          texts.set(twin, t);
        }
      } else if (kept.size() < max) {
        kept.add(m);
        texts.add(t);
      }
    }
    // A candidate's text carries its mark, so whoever reads the profile sees it is unconfirmed.
    return kept.stream()
        .map(
            m ->
                (m.unconfirmed() ? Trust.UNCONFIRMED_MARK + " " : "")
                    + shorten(m.content(), MAX_ITEM_CHARS))
        .toList();
  }

  /** {@code text} on one line, cut at a word before {@code max} characters and ending in "…". */
  static String shorten(String text, int max) {
    String t = text.strip().replaceAll("\\s+", " ");
    if (t.length() <= max) {
      return t;
    }
    int cut = t.lastIndexOf(' ', max - 1);
    if (cut < max / 2) {
      cut = max - 1; // one long word (a URL, a path): cut inside it
    }
    return t.substring(0, cut).stripTrailing() + "…";
  }
}
