package nl.covenanthub.covenant.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link CovenantBenchmark} (decision and copy baseline in one run) and summarises it. The
 * last line is machine-readable: {@code apply_ns=<ns per (event, recipient)> copy_ns=<ns>
 * ratio=<apply/copy>}, where apply is the mean over the benchmarked (sender, recipient, purpose)
 * pairs and copy the mean deep copy of the same signals, weighted alike.
 *
 * <p>Arguments are passed to JMH as extra command-line options, e.g. {@code -prof gc} or {@code -f
 * 3}.
 */
public final class CovenantBench {
  private CovenantBench() {}

  public static void main(String[] args) throws Exception {
    Path covenants =
        Path.of(System.getProperty(CovenantBenchmark.COVENANTS_PROPERTY, "covenants"))
            .toAbsolutePath();
    if (!Files.isDirectory(covenants)) {
      throw new IllegalStateException(
          "covenant directory "
              + covenants
              + " not found; run from the repository root"
              + " or set -D"
              + CovenantBenchmark.COVENANTS_PROPERTY);
    }
    Options options =
        new OptionsBuilder()
            .parent(new CommandLineOptions(args))
            .include("^" + Pattern.quote(CovenantBenchmark.class.getName()) + "\\.")
            .jvmArgsAppend("-D" + CovenantBenchmark.COVENANTS_PROPERTY + "=" + covenants)
            .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, Result<?>> decide = new LinkedHashMap<>();
    Map<String, Result<?>> copy = new LinkedHashMap<>();
    for (RunResult run : results) {
      String method = run.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      if (method.equals("decide")) {
        decide.put(run.getParams().getParam("pair"), run.getPrimaryResult());
      } else if (method.equals("deepCopy")) {
        copy.put(run.getParams().getParam("purpose"), run.getPrimaryResult());
      }
    }
    if (decide.isEmpty() || copy.isEmpty()) {
      throw new IllegalStateException("the run did not produce both decide and deepCopy results");
    }

    System.out.println();
    System.out.println(
        "Covenant core: decide (plan lookup + apply) vs. Avro deep copy of the same CaseSignal");
    String format = "%-10s %-34s %12s %10s %8s%n";
    System.out.printf(
        Locale.ROOT,
        format,
        "benchmark",
        "sender:recipient:purpose / signal",
        "ns/op",
        "± 99.9%",
        "ratio");
    List<Double> applies = new ArrayList<>();
    List<Double> copies = new ArrayList<>();
    for (Map.Entry<String, Result<?>> e : decide.entrySet()) {
      String purpose = e.getKey().substring(e.getKey().lastIndexOf(':') + 1);
      Result<?> baseline = copy.get(purpose);
      if (baseline == null) {
        throw new IllegalStateException("no deepCopy result for the " + purpose + " signal");
      }
      double apply = e.getValue().getScore();
      applies.add(apply);
      copies.add(baseline.getScore());
      System.out.printf(
          Locale.ROOT,
          format,
          "decide",
          e.getKey(),
          fmt(apply),
          fmt(e.getValue().getScoreError()),
          String.format(Locale.ROOT, "%.2f", apply / baseline.getScore()));
    }
    for (Map.Entry<String, Result<?>> e : copy.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          format,
          "deepCopy",
          e.getKey(),
          fmt(e.getValue().getScore()),
          fmt(e.getValue().getScoreError()),
          "");
    }
    double applyNs = mean(applies);
    double copyNs = mean(copies);
    System.out.printf(
        Locale.ROOT,
        "mean over %d (event, recipient) pairs; goal: ratio <= 2 and apply < 5000 ns%n",
        applies.size());
    System.out.printf(
        Locale.ROOT, "apply_ns=%.0f copy_ns=%.0f ratio=%.2f%n", applyNs, copyNs, applyNs / copyNs);
  }

  private static String fmt(double ns) {
    return Double.isNaN(ns) ? "n/a" : String.format(Locale.ROOT, "%.1f", ns);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
