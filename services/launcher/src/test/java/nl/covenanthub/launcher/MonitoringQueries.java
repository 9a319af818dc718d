package nl.covenanthub.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.devkit.Repository;
import org.yaml.snakeyaml.Yaml;

/**
 * The PromQL of {@code infra/monitoring/}: the alert rules' and the dashboard's expressions, and
 * the metric names they read, so that tests can hold them against what the hub and the console
 * really expose.
 */
final class MonitoringQueries {
  static final Path DIRECTORY = Repository.root().resolve("infra/monitoring");

  /** Prometheus's own series, not the hub's or the console's. */
  static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");

  private MonitoringQueries() {}

  /** Every alert rule's {@code expr}. */
  static List<String> alertExpressions() {
    List<String> expressions = new ArrayList<>();
    try (var in = java.nio.file.Files.newInputStream(DIRECTORY.resolve("alerts.yaml"))) {
      java.util.Map<String, List<java.util.Map<String, Object>>> rules = new Yaml().load(in);
      for (var group : rules.get("groups")) {
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> groupRules =
            (List<java.util.Map<String, Object>>) group.get("rules");
        groupRules.forEach(rule -> expressions.add(String.valueOf(rule.get("expr"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return expressions;
  }

  /** Every dashboard panel's queries. */
  static List<String> dashboardExpressions() {
    List<String> expressions = new ArrayList<>();
    try {
      JsonNode dashboard =
          new ObjectMapper().readTree(DIRECTORY.resolve("grafana-dashboard.json").toFile());
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          expressions.add(target.get("expr").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return expressions;
  }

  /**
   * The metric names an expression reads: identifiers that are neither functions, aggregations,
   * keywords, label names nor durations.
   */
  static Set<String> metricNames(String expression) {
    String bare = STRING.matcher(expression).replaceAll(" ");
    bare = MATCHERS.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    bare = GROUPING.matcher(bare).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      boolean call = m.group(1) != null;
      String name = m.group().replaceAll("[\\s(]", "");
      boolean partOfNumber = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
      if (!call && !partOfNumber && !KEYWORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** The metric names all alerts and dashboard panels read. */
  static Set<String> allMetricNames() {
    Set<String> names = new TreeSet<>();
    alertExpressions().forEach(e -> names.addAll(metricNames(e)));
    dashboardExpressions().forEach(e -> names.addAll(metricNames(e)));
    names.removeAll(PROMETHEUS_OWN);
    return names;
  }
}
