package nl.covenanthub.console.logboek;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.devkit.LocalPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bin/logboek-export} on the console's real database: the index as Logboek records, by the
 * same filters as the API, logged as an export by the OS user; bad input and a wrong password are
 * said in one line, not a stack trace.
 */
class LogboekExportTest extends ConsoleTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SENDER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SENDER_SPAN = "00f067aa0ba902b7";

  @Autowired LocalPostgres postgres;
  @TempDir Path directory;

  private Path passwordFile;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  private List<AuditTrail.Sealed> politie;
  private List<AuditTrail.Sealed> lzn;

  @BeforeEach
  void auditOfTwoSenders() throws IOException {
    passwordFile = Files.writeString(directory.resolve("password"), postgres.password());
    politie = AuditTrail.of("politie").next(3);
    lzn =
        AuditTrail.of("lzn")
            .next(
                2,
                r ->
                    r.setSender("lzn")
                        .setRecipient("politie")
                        .setTraceId(SENDER_TRACE)
                        .setSenderSpanId(SENDER_SPAN));
    List<AuditTrail.Sealed> all = new ArrayList<>(politie);
    all.addAll(lzn);
    ingest(all);
  }

  @Test
  void everyRecordIsExportedInTheStandardsShapeAndTheExportIsLogged() throws IOException {
    Path out = directory.resolve("logboek.jsonl");

    assertThat(export("--out", out.toString())).as("exit code; %s", progress).isZero();

    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(5);
    lines.forEach(LogboekStandard::assertConforms);
    assertThat(lines)
        .extracting(line -> line.get("span_id").asString())
        .containsExactlyInAnyOrderElementsOf(concat(spans(politie), spans(lzn)));
    assertThat(lines)
        .filteredOn(line -> line.has("foreign_operation"))
        .as("lzn's records answer lzn's own action: the foreign operation")
        .hasSize(2)
        .allSatisfy(
            line -> {
              JsonNode foreign = line.get("foreign_operation");
              assertThat(foreign.get("trace_id").asString()).isEqualTo(SENDER_TRACE);
              assertThat(foreign.get("span_id").asString()).isEqualTo(SENDER_SPAN);
              assertThat(foreign.get("entity").asString()).isEqualTo("urn:covenant-hub:party:lzn");
              assertThat(line.get("trace_id").asString()).isEqualTo(SENDER_TRACE);
            });
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("5 of 5 records", "wrote 5 records to " + out.toAbsolutePath());
    assertThat(
            db.sql(
                    "SELECT username FROM lookup_log WHERE action = 'EXPORT_LOGBOEK'"
                        + " ORDER BY id DESC LIMIT 1")
                .query(String.class)
                .single())
        .as("who exported, in the lookup log")
        .isEqualTo("cli:" + System.getProperty("user.name"));
  }

  @Test
  void theFiltersAreTheSearchsFilters() throws IOException {
    Path out = directory.resolve("lzn.jsonl");

    assertThat(export("--sender", "lzn", "--out", out.toString())).isZero();

    assertThat(lines(out))
        .extracting(line -> line.get("span_id").asString())
        .containsExactlyInAnyOrderElementsOf(spans(lzn));
  }

  @Test
  void aBadDateIsSaidInOneLine() {
    assertThat(export("--from", "yesterday", "--out", directory.resolve("x").toString()))
        .isEqualTo(2);
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("from must be an ISO-8601 date")
        .doesNotContain("at nl.covenanthub");
    assertThat(directory.resolve("x")).doesNotExist();
  }

  @Test
  void aWrongPasswordIsSaidInOneLine() throws IOException {
    Files.writeString(passwordFile, "not-the-password");

    assertThat(export("--out", directory.resolve("x").toString())).isEqualTo(1);
    assertThat(directory.resolve("x")).as("no empty file").doesNotExist();

    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("cannot read the console's database at " + postgres.jdbcUrl())
        .contains("password")
        .doesNotContain("at org.postgresql");
  }

  private int export(String... options) {
    List<String> args = new ArrayList<>(List.of("--jdbc-url", postgres.jdbcUrl()));
    args.addAll(List.of("--password-file", passwordFile.toString()));
    args.addAll(List.of(options));
    PrintStream stream = new PrintStream(progress, true, StandardCharsets.UTF_8);
    CommandLine command = new CommandLine(new LogboekExport(java.time.Clock.systemUTC(), stream));
    command.setErr(new java.io.PrintWriter(stream, true));
    return command.execute(args.toArray(String[]::new));
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(JSON::readTree).toList();
  }

  private static List<String> spans(List<AuditTrail.Sealed> records) {
    return records.stream().map(r -> r.record().getSpanId()).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
