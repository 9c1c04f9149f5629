package dev.omem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeIdentityTest {
  @TempDir Path tmp;

  @Test
  void aHomeKeepsItsIdAndACopyTakesANewOne() throws IOException {
    Path x = tmp.resolve("x");
    String id;
    try (Database db = Database.open(x)) {
      HomeIdentity first = HomeIdentity.establish(new SqliteMemoryRepository(db), x);
      id = first.id();
      assertEquals(x.toRealPath().toString(), first.home());
      assertEquals(
          first, HomeIdentity.establish(new SqliteMemoryRepository(db), x), "made once, then kept");
    }
    assertEquals(Optional.of(id), HomeIdentity.readFile(x), "readable without the store");
    try (Database db = Database.open(x)) {
      assertEquals(
          id,
          HomeIdentity.establish(new SqliteMemoryRepository(db), x).id(),
          "the same after a restart");
    }

    Path y = tmp.resolve("y"); // cp -a x y
    Files.createDirectories(y);
    try (var files = Files.list(x)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, y.resolve(f.getFileName()));
        }
      }
    }
    assertEquals(Optional.of(id), HomeIdentity.readFile(y), "the copy starts with x's id");
    try (Database db = Database.open(y)) {
      HomeIdentity copy = HomeIdentity.establish(new SqliteMemoryRepository(db), y);
      assertNotEquals(id, copy.id(), "a copied home is another home");
      assertEquals(y.toRealPath().toString(), copy.home());
      assertEquals(Optional.of(copy.id()), HomeIdentity.readFile(y));
    }
    assertEquals(Optional.of(id), HomeIdentity.readFile(x), "the original is unchanged");
  }
}
