package io.gosync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package map that opens verticles-docs/README.md, held against the compiled main classes. */
class PackageMapTest {

  /** Each package of ours and the packages of ours it may import; the table in verticles-docs/README.md. */
  private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
      Map.entry("io.gosync", Set.of("api", "cluster", "config", "control", "relay", "scan", "trust")),
      Map.entry("cli", Set.of("io.gosync", "config", "protocol", "scan", "trust")),
      Map.entry("api", Set.of("config", "protocol", "trust")),
      Map.entry("control", Set.of("budget", "config", "protocol", "liveness", "scan", "relay", "relay.wire")),
      Map.entry("relay", Set.of("budget", "config", "protocol", "liveness", "scan", "relay.wire", "trust", "fs")),
      Map.entry("relay.wire", Set.of("budget", "protocol", "scan")),
      Map.entry("cluster", Set.of("config", "protocol", "trust")),
      Map.entry("scan", Set.of("config", "protocol", "fs")),
      Map.entry("config", Set.of("protocol", "trust")),
      Map.entry("fs", Set.of()),
      Map.entry("liveness", Set.of()),
      Map.entry("budget", Set.of()),
      Map.entry("trust", Set.of()),
      Map.entry("protocol", Set.of()));

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.gosync");
  }

  static List<String> packages() {
    return List.copyOf(MAY_IMPORT.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packages")
  void eachPackageImportsOnlyWhatTheMapAllows(String name) {
    Set<String> forbidden = new HashSet<>(MAY_IMPORT.keySet());
    forbidden.removeAll(MAY_IMPORT.get(name));
    forbidden.remove(name);
    noClasses().that().resideInAPackage(full(name))
        .should().dependOnClassesThat().resideInAnyPackage(forbidden.stream().map(PackageMapTest::full).toArray(String[]::new))
        .check(main);
  }

  @Test
  void everyPackageIsOnTheMap() {
    Set<String> mapped = new HashSet<>();
    MAY_IMPORT.keySet().forEach(name -> mapped.add(full(name)));
    noClasses().should().resideOutsideOfPackages(mapped.toArray(String[]::new)).check(main);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.gosync.(**)").should().beFreeOfCycles().check(main);
  }

  private static String full(String name) {
    return name.equals("io.gosync") ? name : "io.gosync." + name;
  }
}
