package nl.covenanthub.console.logboek;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.DisclosurePage;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.lookups.LookupLog;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;

/**
 * The audit as a file for a Logboek Dataverwerkingen: one {@link LogboekRecord} per line (JSON
 * Lines), read from the console's index (the same records and filters as {@code GET /api/logboek}).
 * Whoever can read the console's database can read the audit, so the export needs its credentials,
 * and is written to the lookup log like any other, as {@code cli:<OS user>}.
 */
@Command(
    name = "logboek-export",
    mixinStandardHelpOptions = true,
    description =
        "Writes the console's audit index as Logboek Dataverwerkingen records, one JSON object per"
            + " line, newest first. Progress goes to stderr.")
public final class LogboekExport implements Callable<Integer> {
  private static final int PAGE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--jdbc-url",
      defaultValue = "jdbc:postgresql://localhost:5433/postgres",
      description = "The console's database (default: the embedded one of bin/hub-local).")
  String jdbcUrl;

  @Option(names = "--user", defaultValue = "postgres", description = "Database user.")
  String user;

  @Option(
      names = "--password-file",
      defaultValue = "${sys:covenant.local-state:-.local}/console/postgres.password",
      description =
          "File holding the database password (default: that of bin/hub-local's database, in its"
              + " state directory); PGPASSWORD, when set, wins.")
  Path passwordFile;

  @Option(names = "--subject", description = "Only records about this subject pseudonym.")
  String subject;

  @Option(names = "--sender", description = "Only records of this sender.")
  String sender;

  @Option(names = "--recipient", description = "Only records for this recipient.")
  String recipient;

  @Option(names = "--purpose", description = "Only records under this purpose.")
  String purpose;

  @Option(
      names = "--from",
      description = "Decided from (a date, Amsterdam time, or an ISO-8601 instant).")
  String from;

  @Option(names = "--to", description = "Decided up to and including (a date, or an instant).")
  String to;

  @Option(names = "--out", description = "Write to this file (default: stdout).")
  Path out;

  @Spec CommandSpec spec;

  private final Clock clock;
  private final PrintStream progress;

  LogboekExport(Clock clock, PrintStream progress) {
    this.clock = clock;
    this.progress = progress;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LogboekExport(Clock.systemUTC(), System.err)).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    ConsoleProperties defaults = ConsoleProperties.withDefaults();
    // The export takes no BSN (a command line ends up in shell history): no pseudonymiser needed.
    SearchForms forms = new SearchForms(null, defaults);
    DisclosureQuery first;
    try {
      // Up to now at most: records indexed while the export runs do not shift its pages.
      String until = to == null ? clock.instant().toString() : to;
      first =
          forms
              .toQuery(
                  new SearchForm(
                      null, subject, null, sender, recipient, purpose, null, from, until, null,
                      null))
              .withPage(0, PAGE);
    } catch (InvalidSearchException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    JdbcClient jdbc = JdbcClient.create(dataSource());
    AuditSearch search = new AuditSearch(jdbc, defaults);
    DisclosurePage page;
    try {
      // The first page before the output: a database that cannot be read leaves no empty file.
      page = search.search(first);
    } catch (DataAccessException e) {
      progress.println(
          "logboek-export: cannot read the console's database at "
              + jdbcUrl
              + ": "
              + rootMessage(e));
      return 1;
    }
    long written = 0;
    Writer writer = output();
    try {
      DisclosureQuery query = first;
      while (true) {
        for (var record : page.items()) {
          writer.write(JSON.writeValueAsString(LogboekRecord.of(record)));
          writer.write('\n');
        }
        written += page.items().size();
        progress.printf(
            "logboek-export: %d of %s%d records%n",
            written, page.totalEstimated() ? "about " : "", page.total());
        // A short page is the last (above AuditSearch.EXACT_UP_TO the total is an estimate).
        if (page.items().size() < query.size()) {
          break;
        }
        query = query.withPage(query.page() + 1, query.size());
        page = search.search(query);
      }
    } finally {
      // stdout stays open for whoever runs this; a file is closed.
      if (out == null) {
        writer.flush();
      } else {
        writer.close();
      }
    }
    LookupLog.as("cli:" + System.getProperty("user.name"), jdbc, clock)
        .queried(LookupLog.Action.EXPORT_LOGBOEK, first, page.total());
    progress.println(
        "logboek-export: wrote "
            + written
            + " records"
            + (out == null ? "" : " to " + out.toAbsolutePath()));
    return 0;
  }

  private PGSimpleDataSource dataSource() throws IOException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl);
    dataSource.setUser(user);
    String password = System.getenv("PGPASSWORD");
    if (password == null) {
      if (!Files.isReadable(passwordFile)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no PGPASSWORD and no password file at " + passwordFile);
      }
      password = Files.readString(passwordFile).strip();
    }
    dataSource.setPassword(password);
    return dataSource;
  }

  private Writer output() throws IOException {
    return out == null
        ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
        : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    // A driver's or a socket's own words: they name the host and the user, never audit data.
    return root.getMessage() == null
        ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
