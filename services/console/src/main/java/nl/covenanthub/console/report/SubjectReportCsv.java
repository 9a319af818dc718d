package nl.covenanthub.console.report;

import java.io.Writer;
import java.util.List;
import java.util.stream.Stream;
import nl.covenanthub.console.audit.Disclosure;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The Art. 15 report as CSV (RFC 4180: a header row, comma separated, CRLF, quotes where a value
 * needs them): one row per decision, disclosed ones first. Lists (rules, fields) are joined with
 * {@code "; "} in one cell; times are ISO-8601 instants in UTC.
 */
public final class SubjectReportCsv {
  /** The header row. */
  public static final List<String> COLUMNS =
      List.of(
          "decided_at",
          "decision",
          "sender",
          "recipient",
          "purpose",
          "legal_basis",
          "covenant_id",
          "covenant_version",
          "rule_ids",
          "disclosed_fields",
          "transformed_fields",
          "withheld_fields",
          "retention",
          "case_reference",
          "event_type",
          "reason",
          "disclosure_id");

  private static final CsvMapper CSV = CsvMapper.shared();
  private static final CsvSchema SCHEMA =
      CsvSchema.builder()
          .addColumns(COLUMNS, CsvSchema.ColumnType.STRING)
          .setUseHeader(true)
          .setLineSeparator("\r\n")
          .build();

  private SubjectReportCsv() {}

  /** Writes {@code report} to {@code out}; does not close it. */
  public static void write(SubjectReport report, Writer out) {
    try (SequenceWriter rows = CSV.writer(SCHEMA).writeValues(out)) {
      for (Disclosure record : report.records()) {
        rows.write(row(record));
      }
    }
  }

  private static String[] row(Disclosure record) {
    return Stream.of(
            record.decidedAt() == null ? "" : record.decidedAt().toString(),
            record.decision().name(),
            record.sender(),
            record.recipient(),
            record.purpose(),
            record.legalBasis(),
            record.covenantId(),
            record.covenantVersion() == null ? "" : record.covenantVersion().toString(),
            String.join("; ", record.ruleIds()),
            String.join("; ", record.disclosedFields()),
            String.join("; ", record.transformedFields()),
            String.join("; ", record.withheldFields()),
            record.retention(),
            record.caseReference(),
            record.eventType(),
            record.reason(),
            record.disclosureId())
        .map(SubjectReportCsv::cell)
        .toArray(String[]::new);
  }

  /**
   * A value as a spreadsheet may safely open it: one that starts like a formula ({@code = + - @},
   * tab, CR) gets a leading apostrophe (OWASP's advice against CSV injection), since case
   * references come from partners.
   */
  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }
}
