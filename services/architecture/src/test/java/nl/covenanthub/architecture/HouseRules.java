package nl.covenanthub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture as it is meant to be, one rule each, with the reason it prints when it is
 * broken.
 */
final class HouseRules {
  private HouseRules() {}

  /**
   * The core's published surface: what the services may use. Everything else in the core is rule
   * internals.
   */
  static final Set<String> CORE_SURFACE =
      Set.of(
          "CovenantSet", // compiled plans, looked up by (sender, recipient, purpose, type)
          "PlanKey", // that lookup's key
          "Decision", // the value a decision is
          "FieldPlan", // what a plan discloses, for the audit and the inbox headers
          "CovenantRef",
          "CovenantException",
          "CovenantLoader", // loading files, for the hub's start and its ACL generator
          "LoadedCovenant", // a file's covenant: its reference and parties, not its rules
          "Party",
          "EventCatalog",
          "EventSchema",
          "KeyRing",
          "Pseudonymiser",
          "Bsn", // the canonical BSN: the hub pseudonymises and the console searches by one
          // function
          "ProcessingRegister", // the activity ids the audit export names
          "ImpactPreview", // what a proposed version changes: the console shows it, it decides
          // nothing
          "RuleWords", // a version's rules in words, for the people who approve it
          "Problem", // a validator problem with its line, shown to the proposer
          "EventJson"); // events as JSON and back: the hub's HTTP ingress reads them

  static final ArchRule CORE_IS_PLAIN_JAVA =
      noClasses()
          .that()
          .resideInAPackage("nl.covenanthub.covenant..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "org.apache.kafka..", "org.apache.camel..")
          .because("the rules must be testable and readable without a framework, broker or route");

  static final ArchRule SERVICES_USE_ONLY_THE_CORES_SURFACE =
      noClasses()
          .that()
          .resideInAnyPackage(
              "nl.covenanthub.hub..", "nl.covenanthub.console..", "nl.covenanthub.demo..")
          .should()
          .dependOnClassesThat(coreInternals())
          .because(
              "rule logic lives in the core alone: a service that reaches into rules, treatments or"
                  + " conditions decides on its own");

  static final ArchRule ONLY_THE_DECISION_ADAPTER_DECIDES =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("nl.covenanthub.hub.disclosure.CovenantDecisions")
          .and()
          .resideOutsideOfPackage("nl.covenanthub.covenant..")
          .should()
          .callMethodWhere(
              DescribedPredicate.describe(
                  "a call of CovenantSet.decide",
                  call ->
                      call.getTargetOwner().getName().equals("nl.covenanthub.covenant.CovenantSet")
                          && call.getName().equals("decide")))
          .because(
              "routes and listeners stay thin: one adapter turns an event into decisions, so there is"
                  + " one place to read how the hub decides");

  /** The one class of the console that writes to Kafka: accepted versions to hub.covenants. */
  static final String COVENANT_PUBLISHER = "nl.covenanthub.console.covenants.CovenantPublisher";

  /**
   * The console's other writer: the case table's signals and outcomes, to the municipality's outbox
   * (lzn), whose events the hub decides about like any partner's.
   */
  static final String CASE_TABLE_PUBLISHER = "nl.covenanthub.console.signals.CaseTablePublisher";

  static final ArchRule CONSOLE_DOES_NOT_WRITE_TO_KAFKA =
      noClasses()
          .that()
          .resideInAPackage("nl.covenanthub.console..")
          .and()
          .doNotHaveFullyQualifiedName(COVENANT_PUBLISHER)
          .and()
          .doNotHaveFullyQualifiedName(CASE_TABLE_PUBLISHER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka.clients.producer..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.springframework.kafka.core.KafkaTemplate")
          .because(
              "the console reads the audit; it must never write to a partner's topic behind the"
                  + " hub's covenant checks. Its writers are CovenantPublisher, which publishes"
                  + " accepted covenant versions to hub.covenants, and CaseTablePublisher, which"
                  + " writes the case table's signals to lzn's outbox, where the hub decides about"
                  + " them (the broker's ACLs allow those two topics alone)");

  /**
   * schemas (events, audit) ← covenant ← hub, console; security ← hub, console; schemas ← demo;
   * devkit ← launcher
   */
  static final ArchRule MODULES_DEPEND_ONLY_DOWNWARD =
      CompositeArchRule.of(dependsOnlyOn("events", "the events are the bottom layer"))
          .and(
              dependsOnlyOn(
                  "audit", "the audit schema is the bottom layer, beside the events", "events"))
          .and(dependsOnlyOn("covenant", "the core knows only the schemas", "events", "audit"))
          .and(dependsOnlyOn("security", "HTTP security is shared and knows no service"))
          .and(
              dependsOnlyOn(
                  "hub",
                  "the hub knows the core, the schemas and the shared security, not the console",
                  "covenant",
                  "events",
                  "audit",
                  "security"))
          .and(
              dependsOnlyOn(
                  "console",
                  "the console knows the core, the schemas, the shared security and, for its"
                      + " embedded database, the devkit; not the hub",
                  "covenant",
                  "events",
                  "audit",
                  "security",
                  "devkit"))
          .and(
              dependsOnlyOn(
                  "demo",
                  "the demo partners are partners: they know only the published schemas",
                  "events",
                  "audit"))
          .and(
              dependsOnlyOn("devkit", "the devkit starts real infrastructure and knows no service"))
          .and(
              dependsOnlyOn(
                  "launcher",
                  "the launcher runs the services' jars, it does not link to them; its fault harness"
                      + " speaks only the published schemas, as partners do",
                  "devkit",
                  "events",
                  "audit"));

  static final List<ArchRule> ALL =
      List.of(
          CORE_IS_PLAIN_JAVA,
          SERVICES_USE_ONLY_THE_CORES_SURFACE,
          ONLY_THE_DECISION_ADAPTER_DECIDES,
          CONSOLE_DOES_NOT_WRITE_TO_KAFKA,
          MODULES_DEPEND_ONLY_DOWNWARD);

  /**
   * Classes in {@code nl.covenanthub.<module>} use no class of ours outside it and {@code allowed}.
   */
  private static ArchRule dependsOnlyOn(String module, String reason, String... allowed) {
    List<String> modules = new ArrayList<>(List.of(allowed));
    modules.add(module);
    return noClasses()
        .that()
        .resideInAPackage("nl.covenanthub." + module + "..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are ours but outside " + modules,
                (JavaClass target) ->
                    target.getPackageName().startsWith("nl.covenanthub.")
                        && modules.stream().noneMatch(m -> inModule(target, m))))
        .because(reason)
        // A module with no classes yet (in a planted test) is no violation.
        .allowEmptyShould(true);
  }

  private static boolean inModule(JavaClass type, String module) {
    String name = type.getPackageName();
    return name.equals("nl.covenanthub." + module)
        || name.startsWith("nl.covenanthub." + module + ".");
  }

  private static DescribedPredicate<JavaClass> coreInternals() {
    return DescribedPredicate.describe(
        "are the core's rule internals (not " + CORE_SURFACE + ")",
        target ->
            target.getPackageName().equals("nl.covenanthub.covenant")
                && !CORE_SURFACE.contains(topLevel(target).getSimpleName()));
  }

  private static JavaClass topLevel(JavaClass type) {
    JavaClass outer = type;
    while (outer.getEnclosingClass().isPresent()) {
      outer = outer.getEnclosingClass().get();
    }
    return outer;
  }
}
