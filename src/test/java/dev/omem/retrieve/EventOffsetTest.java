package dev.omem.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.SearchMode;
import dev.omem.embed.Embedder;
import dev.omem.embed.EmbeddingProvider;
import dev.omem.embed.ModelCatalog;
import dev.omem.index.IndexSynchronizer;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A time named as an offset from an event ("two weeks before the trip to Rome"): the words that
 * name the event, the event's date from the memory that tells of it, and the search that finds the
 * event first and then prefers the memories of the offset's span (the real model, SQLite and
 * Lucene).
 */
class EventOffsetTest {
  @TempDir Path home;

  @Test
  void readsTheEventAfterAnOffset() {
    assertEquals(
        "the trip to Rome",
        EventOffset.find("What did Jon paint two weeks before the trip to Rome?")
            .orElseThrow()
            .event());
    assertEquals(
        "my birthday party",
        EventOffset.find("where did we go the week after my birthday party, again?")
            .orElseThrow()
            .event());
    // an offset from a date is DateMentions' (no retrieval); no offset, no event
    assertTrue(EventOffset.find("What did Jon paint two weeks before 8 May 2023?").isEmpty());
    assertTrue(EventOffset.find("What did Jon do a month after the trip in June?").isEmpty());
    assertTrue(EventOffset.find("What did Jon do after the trip to Rome?").isEmpty());
    assertTrue(EventOffset.find("What did Jon do the day after that?").isEmpty());
  }

  @Test
  void movesTheEventsDateByTheOffset() {
    DateSpan trip = DateSpan.day(LocalDate.of(2023, 5, 8));
    assertEquals(
        DateSpan.days(LocalDate.of(2023, 4, 21), LocalDate.of(2023, 4, 27)),
        EventOffset.find("two weeks before the trip").orElseThrow().from(trip),
        "about 24 April, give or take half a week, as for a stated date");
    assertEquals(
        DateSpan.days(LocalDate.of(2023, 5, 9), LocalDate.of(2023, 5, 15)),
        EventOffset.find("the week after the trip").orElseThrow().from(trip));
  }

  @Test
  void anEventsDateIsTheDateItsMemoryTellsElseTheMemorysOwn() {
    assertEquals(
        DateSpan.day(LocalDate.of(2023, 5, 20)),
        EventOffset.dateOf(
            StoreFallbackSearchTest.memory(
                "t", "(1:14 pm on 25 May, 2023) Melanie: I ran a charity race last Saturday"),
            ZoneOffset.UTC),
        "25 May 2023 was a Thursday: the race was on the Saturday before");
    assertEquals(
        DateSpan.day(LocalDate.of(2023, 5, 8)),
        EventOffset.dateOf(
            StoreFallbackSearchTest.memory("t", "(8 May, 2023) Jon: back from the trip to Rome"),
            ZoneOffset.UTC));
  }

  @Test
  void aSearchFindsTheEventThenPrefersMemoriesOfTheOffsetsSpan() {
    EmbeddingProvider provider = new EmbeddingProvider(ModelCatalog.DEFAULT);
    provider.startLoading();
    Embedder e = provider.awaitReady(Duration.ofSeconds(120)).orElseThrow();
    String model = e.spec().id();
    try (provider;
        Database db = Database.open(home)) {
      MemoryRepository repo = new SqliteMemoryRepository(db);
      Map<String, String> name = new HashMap<>();
      Map<String, String> texts =
          Map.of(
              "trip", "(8 May, 2023) Jon: Back home from the trip to Rome, what a week!",
              "in-span", "(24 April, 2023) Jon: Finished a small watercolour of the lake today.",
              "march", "(3 March, 2023) Jon: I painted a portrait of my dog, painting is my joy.",
              "june", "(20 June, 2023) Jon: I painted the old bridge, I love painting bridges.",
              "lunch", "(24 April, 2023) Gina: Lunch with the team at noon.");
      texts.forEach(
          (n, text) -> {
            Memory m = StoreFallbackSearchTest.memory("t", text);
            repo.apply(
                new MemoryWrite().insert(new StoredMemory(m, e.embedDocument(text), model)), null);
            name.put(m.id(), n);
          });
      try (IndexSynchronizer sync = IndexSynchronizer.open(repo, home.resolve("index"), model)) {
        RetrievalPipeline pipeline =
            new RetrievalPipeline(repo, () -> sync, provider, Clock.systemUTC(), SearchMode.HYBRID);
        List<String> order =
            pipeline
                .search(
                    new SearchQuery(
                        "What did Jon paint two weeks before the trip to Rome?",
                        MemoryFilter.activeOf("t"),
                        10,
                        0,
                        null))
                .results()
                .stream()
                .map(r -> name.get(r.memory().id()))
                .toList();
        assertEquals(
            "in-span",
            order.get(0),
            "the trip was on 8 May: two weeks before is about 24 April, and Jon's watercolour of"
                + " that week leads though other memories say \"painted\": "
                + order);
      }
    }
  }
}
