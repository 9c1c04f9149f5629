package dev.omem.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of ARCHITECTURE.md, checked on the compiled main classes: faces → service → engine →
 * domain, no face imports another face or an engine part, no package cycles, and storage behind
 * interfaces (only {@code store.sqlite}, {@code store.postgres} and their shared row mapping {@code
 * store.jdbc} know JDBC).
 */
class ArchitectureTest {
  private static final String[] FACES = {
    "dev.omem.mcp..", "dev.omem.http..", "dev.omem.hooks..",
  };

  /** Above the service: faces, the CLI that wires them, the daemon client, the installer. */
  private static final String[] ABOVE_ENGINE = {
    "dev.omem.cli..",
    "dev.omem.mcp..",
    "dev.omem.http..",
    "dev.omem.hooks..",
    "dev.omem.daemon..",
    "dev.omem.install..",
    "dev.omem.service..",
    "dev.omem.remote..",
  };

  private static final String[] ENGINE = {
    "dev.omem.store..",
    "dev.omem.index..",
    "dev.omem.embed..",
    "dev.omem.retrieve..",
    "dev.omem.ingest..",
    "dev.omem.lifecycle..",
    "dev.omem.profile..",
    "dev.omem.llm..",
    "dev.omem.portable..",
  };

  /**
   * The classes that open a SQLite store: the service's wiring, the restore (it swaps the SQLite
   * file itself) and {@code omem backup} without a daemon. A new backend is chosen here.
   */
  private static final String[] SQLITE_WIRING = {
    "dev.omem.service.LocalServiceFactory",
    "dev.omem.service.StoreOpener",
    "dev.omem.service.StoreRestore",
    "dev.omem.cli.BackupCommand",
  };

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    // The compiled main classes only, their dependencies as names: the rules need no more, and
    // resolving them from the class path took most of a minute.
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
  }

  @Test
  void noStoreInterfaceNamesAJdbcOrSqliteType() {
    noClasses()
        .that()
        .resideInAPackage("dev.omem.store")
        .and()
        .areInterfaces()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..")
        .check(main);
  }

  @Test
  void onlyTheJdbcStoresUseJdbcOrSqlite() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.omem.store.sqlite..", "dev.omem.store.postgres..", "dev.omem.store.jdbc..")
        // It asks sqlite-jdbc's loader only where its native library lies, to cache it once.
        .and()
        .doNotHaveFullyQualifiedName("dev.omem.config.NativeLibraries")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..")
        .check(main);
  }

  @Test
  void onlyTheWiringNamesTheSqliteImplementation() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.omem.store.sqlite..")
        .and()
        .doNotHaveFullyQualifiedName(SQLITE_WIRING[0])
        .and()
        .doNotHaveFullyQualifiedName(SQLITE_WIRING[1])
        .and()
        .doNotHaveFullyQualifiedName(SQLITE_WIRING[2])
        .and()
        .doNotHaveFullyQualifiedName(SQLITE_WIRING[3])
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.omem.store.sqlite..")
        .check(main);
  }

  @Test
  void onlyStorePostgresUsesThePostgresDriverOrThePool() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.omem.store.postgres..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.postgresql..", "com.zaxxer..")
        .check(main);
  }

  @Test
  void onlyTheWiringNamesThePostgresImplementation() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.omem.store.postgres..")
        .and()
        .doNotHaveFullyQualifiedName("dev.omem.service.StoreOpener")
        .and()
        // serve --database: only the URL's shape is checked there (PostgresUrl)
        .doNotHaveFullyQualifiedName("dev.omem.cli.ServeCommand")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.omem.store.postgres..")
        .check(main);
  }

  @Test
  void theTwoBackendsDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.omem.store.postgres..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.omem.store.sqlite..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("dev.omem.store.sqlite..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.omem.store.postgres..")
        .check(main);
  }

  @Test
  void postgresClassesLiveInStorePostgres() {
    classes()
        .that()
        .haveSimpleNameStartingWith("Postgres")
        .should()
        .resideInAPackage("dev.omem.store.postgres")
        .check(main);
  }

  @Test
  void sqliteClassesLiveInStoreSqlite() {
    classes()
        .that()
        .haveSimpleNameStartingWith("Sqlite")
        .should()
        .resideInAPackage("dev.omem.store.sqlite")
        .check(main);
  }

  @Test
  void noFaceImportsAnotherFace() {
    for (String face : FACES) {
      noClasses()
          .that()
          .resideInAPackage(face)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others(face))
          .check(main);
    }
  }

  @Test
  void facesReachTheEngineOnlyThroughTheService() {
    noClasses()
        .that()
        .resideInAnyPackage(FACES)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ENGINE)
        .check(main);
  }

  @Test
  void theCliReachesNoEnginePartButTheStoresLock() {
    noClasses()
        .that()
        .resideInAPackage("dev.omem.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.omem.index..",
            "dev.omem.embed..",
            "dev.omem.retrieve..",
            "dev.omem.ingest..",
            "dev.omem.lifecycle..",
            "dev.omem.profile..",
            "dev.omem.llm..",
            "dev.omem.portable..")
        .check(main);
  }

  @Test
  void theEngineNeverKnowsWhoCalledIt() {
    noClasses()
        .that()
        .resideInAnyPackage(ENGINE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ABOVE_ENGINE)
        .check(main);
  }

  @Test
  void theDomainDependsOnNoOtherPart() {
    noClasses()
        .that()
        .resideInAPackage("dev.omem.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(ABOVE_ENGINE, ENGINE))
        .check(main);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.omem.(**)").should().beFreeOfCycles().check(main);
  }

  private static String[] others(String face) {
    return java.util.Arrays.stream(FACES).filter(f -> !f.equals(face)).toArray(String[]::new);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
