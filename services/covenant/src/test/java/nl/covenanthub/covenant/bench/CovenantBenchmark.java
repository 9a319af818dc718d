package nl.covenanthub.covenant.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.KeyRing;
import org.apache.avro.generic.GenericData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The covenant core's hot path against its baseline, in one run: {@link #decide} is what the hub
 * does per (event, recipient) — plan lookup, validity, conditions and building the recipient's view
 * — and {@link #deepCopy} is a plain Avro deep copy of the same record, the least a hub that hands
 * each recipient its own record would do anyway.
 *
 * <p>The covenants are the real ones in {@code covenants/} (directory from system property {@value
 * #COVENANTS_PROPERTY}, default {@code covenants} relative to the working directory).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CovenantBenchmark {
  static final String COVENANTS_PROPERTY = "covenanthub.covenants";

  /**
   * sender:recipient:purpose pairs that disclose a police signal, each with the signal of its
   * purpose.
   */
  static final String[] PAIRS = {
    "politie:lzn:zorg-en-veiligheid",
    "politie:riec:aanpak-ondermijning",
    "politie:lzn:aanpak-ondermijning",
  };

  /** One (sender, recipient, purpose) and the signal for that purpose. */
  @State(Scope.Benchmark)
  public static class Pair {
    // Keep in step with PAIRS: annotation values must be constants.
    @Param({
      "politie:lzn:zorg-en-veiligheid",
      "politie:riec:aanpak-ondermijning",
      "politie:lzn:aanpak-ondermijning"
    })
    public String pair;

    CovenantSet covenants;
    String sender;
    String recipient;
    String purpose;
    GenericData.Record event;
    Instant now;

    @Setup(Level.Trial)
    public void setUp() throws CovenantException {
      String[] parts = pair.split(":");
      sender = parts[0];
      recipient = parts[1];
      purpose = parts[2];
      covenants = loadCovenants();
      event = Signals.forPurpose(purpose);
      now = Instant.now();
      // Fail fast: a benchmark of a withheld decision would measure the wrong path.
      Decision decision = covenants.decide(sender, recipient, purpose, event, now);
      if (!(decision instanceof Decision.Disclosed disclosed)) {
        throw new IllegalStateException(pair + " is not disclosed: " + decision);
      }
      if (disclosed.view() == null || disclosed.view().getSchema().getFields().isEmpty()) {
        throw new IllegalStateException(pair + " disclosed an empty view");
      }
    }
  }

  /** The signal of one purpose, for the copy baseline. */
  @State(Scope.Benchmark)
  public static class Signal {
    @Param({"zorg-en-veiligheid", "aanpak-ondermijning"})
    public String purpose;

    GenericData.Record event;

    @Setup(Level.Trial)
    public void setUp() {
      event = Signals.forPurpose(purpose);
      GenericData.Record copy = GenericData.get().deepCopy(event.getSchema(), event);
      if (copy == event || !copy.equals(event)) {
        throw new IllegalStateException(
            "deep copy of the " + purpose + " signal is not an equal, distinct record");
      }
    }
  }

  @Benchmark
  public void decide(Pair p, Blackhole bh) {
    bh.consume(p.covenants.decide(p.sender, p.recipient, p.purpose, p.event, p.now));
  }

  @Benchmark
  public void deepCopy(Signal s, Blackhole bh) {
    bh.consume(GenericData.get().deepCopy(s.event.getSchema(), s.event));
  }

  static CovenantSet loadCovenants() throws CovenantException {
    Path dir = Path.of(System.getProperty(COVENANTS_PROPERTY, "covenants"));
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list covenants in " + dir.toAbsolutePath(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no covenant YAML in " + dir.toAbsolutePath());
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return CovenantSet.load(
        files, EventCatalog.standard(), KeyRing.of(Map.of("subject-key", key)), Clock.systemUTC());
  }
}
