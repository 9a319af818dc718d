package nl.covenanthub.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The house rules ({@link HouseRules}) checked on the compiled main classes of every module. A rule
 * that fails names the class and the dependency that broke it, and says why the rule is there.
 */
class ArchitectureTest {
  private static final Path ROOT = root();

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .importPaths(
              List.of(
                  classes("schemas"),
                  classes("services/covenant"),
                  classes("services/security"),
                  classes("services/hub"),
                  classes("services/console"),
                  classes("services/demo"),
                  classes("services/devkit"),
                  classes("services/launcher")));

  @Test
  void theCoreIsPlainJava() {
    HouseRules.CORE_IS_PLAIN_JAVA.check(MAIN_CLASSES);
  }

  @Test
  void theServicesUseOnlyTheCoresPublishedSurface() {
    HouseRules.SERVICES_USE_ONLY_THE_CORES_SURFACE.check(MAIN_CLASSES);
  }

  @Test
  void onlyTheDecisionAdapterAsksTheCoreForDecisions() {
    HouseRules.ONLY_THE_DECISION_ADAPTER_DECIDES.check(MAIN_CLASSES);
  }

  @Test
  void theConsoleDoesNotWriteToKafka() {
    HouseRules.CONSOLE_DOES_NOT_WRITE_TO_KAFKA.check(MAIN_CLASSES);
  }

  @Test
  void modulesDependOnlyDownward() {
    HouseRules.MODULES_DEPEND_ONLY_DOWNWARD.check(MAIN_CLASSES);
  }

  private static Path classes(String module) {
    Path dir = ROOT.resolve(module).resolve("target/classes");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "no "
              + dir
              + ": the rules read every module's compiled classes; run them with mvn verify from the root");
    }
    return dir;
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("services/covenant"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run from the repository");
  }
}
