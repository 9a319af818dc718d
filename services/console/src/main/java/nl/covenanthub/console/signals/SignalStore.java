package nl.covenanthub.console.signals;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The signals in the console's database: what the form stores and triage changes. */
@Repository
class SignalStore {
  private final JdbcClient jdbc;

  SignalStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a report (nothing about the reporter unless they gave a contact); its reference. */
  String receive(Report report, String receiptHash, Instant at) {
    long id = jdbc.sql("SELECT nextval('signal_id_seq')").query(Long.class).single();
    String reference = String.format("NP-%d-%05d", at.atZone(ZoneOffset.UTC).getYear(), id);
    jdbc.sql(
            "INSERT INTO signal (id, reference, received_at, receipt_hash, kind, street, house_number,"
                + " postcode, city, area, company_name, kvk_number, description, reporter_contact,"
                + " status) VALUES (:id, :reference, :at, :hash, :kind, :street, :houseNumber,"
                + " :postcode, :city, :area, :companyName, :kvkNumber, :description, :contact,"
                + " 'NEW')")
        .param("id", id)
        .param("reference", reference)
        .param("at", Timestamp.from(at))
        .param("hash", receiptHash)
        .param("kind", report.chosenKind().name())
        .param("street", report.street())
        .param("houseNumber", report.houseNumber())
        .param("postcode", report.postcode())
        .param("city", report.city())
        .param("area", report.area())
        .param("companyName", report.companyName())
        .param("kvkNumber", report.kvkNumber())
        .param("description", report.description())
        .param("contact", report.contact())
        .update();
    return reference;
  }

  /**
   * Adds to the signal with this receipt (to the one it was merged into, if it was); false when no
   * signal has it any more.
   */
  boolean add(String receiptHash, String text, Instant at) {
    return jdbc.sql(
                "INSERT INTO signal_addition (signal_id, added_at, text)"
                    + " SELECT coalesce(merged_into, id), :at, :text FROM signal WHERE receipt_hash = :hash")
            .param("at", Timestamp.from(at))
            .param("text", text)
            .param("hash", receiptHash)
            .update()
        == 1;
  }

  /** The work list: every signal not merged into another, oldest first. */
  List<Signal.Summary> workList() {
    return jdbc.sql(
            "SELECT s.reference, s.received_at, s.kind, s.street, s.house_number, s.postcode, s.city,"
                + " s.area, s.company_name, s.status,"
                + " (SELECT count(*) FROM signal_addition a WHERE a.signal_id = s.id) AS additions"
                + " FROM signal s WHERE s.status <> 'MERGED' ORDER BY s.received_at, s.id")
        .query(
            (rs, row) ->
                new Signal.Summary(
                    rs.getString("reference"),
                    rs.getTimestamp("received_at").toInstant(),
                    SignalKind.valueOf(rs.getString("kind")),
                    Signal.where(
                        rs.getString("street"),
                        rs.getString("house_number"),
                        rs.getString("postcode"),
                        rs.getString("city"),
                        rs.getString("area")),
                    rs.getString("company_name"),
                    SignalStatus.valueOf(rs.getString("status")),
                    rs.getInt("additions")))
        .list();
  }

  Optional<Signal> find(String reference) {
    return jdbc.sql(
            "SELECT s.*, m.reference AS merged_into_reference FROM signal s"
                + " LEFT JOIN signal m ON m.id = s.merged_into WHERE s.reference = :reference")
        .param("reference", reference)
        .query(this::signal)
        .optional();
  }

  /** Makes {@code reference} part of {@code into}; false when either is unknown or they are one. */
  boolean merge(String reference, String into) {
    if (reference.equals(into) || find(into).filter(s -> s.mergedInto() == null).isEmpty()) {
      return false;
    }
    jdbc.sql(
            "UPDATE signal SET merged_into = (SELECT id FROM signal WHERE reference = :into)"
                + " WHERE merged_into = (SELECT id FROM signal WHERE reference = :reference)")
        .param("into", into)
        .param("reference", reference)
        .update();
    return jdbc.sql(
                "UPDATE signal SET status = 'MERGED',"
                    + " merged_into = (SELECT id FROM signal WHERE reference = :into)"
                    + " WHERE reference = :reference")
            .param("into", into)
            .param("reference", reference)
            .update()
        == 1;
  }

  void enrich(String reference, String companyName, String kvkNumber) {
    jdbc.sql(
            "UPDATE signal SET company_name = coalesce(:companyName, company_name),"
                + " kvk_number = coalesce(:kvkNumber, kvk_number) WHERE reference = :reference")
        .param("companyName", companyName)
        .param("kvkNumber", kvkNumber)
        .param("reference", reference)
        .update();
  }

  void decide(
      String reference,
      SignalStatus status,
      Instant at,
      String summary,
      String dismissReason,
      String riecCase,
      String outcomeNote) {
    jdbc.sql(
            "UPDATE signal SET status = :status, decided_at = :at,"
                + " summary = coalesce(:summary, summary),"
                + " dismiss_reason = coalesce(:dismissReason, dismiss_reason),"
                + " riec_case = coalesce(:riecCase, riec_case),"
                + " outcome_note = coalesce(:outcomeNote, outcome_note)"
                + " WHERE reference = :reference")
        .param("status", status.name())
        .param("at", Timestamp.from(at))
        .param("summary", summary)
        .param("dismissReason", dismissReason)
        .param("riecCase", riecCase)
        .param("outcomeNote", outcomeNote)
        .param("reference", reference)
        .update();
  }

  /** Removes a signal, what was added to it and what was merged into it. */
  void remove(String reference) {
    jdbc.sql("DELETE FROM signal WHERE reference = :reference")
        .param("reference", reference)
        .update();
  }

  /** Removes the signals dismissed before {@code cutoff}; how many. */
  int removeDismissedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM signal WHERE status = 'DISMISSED' AND decided_at < :cutoff")
        .param("cutoff", Timestamp.from(cutoff))
        .update();
  }

  long count() {
    return jdbc.sql("SELECT count(*) FROM signal").query(Long.class).single();
  }

  private Signal signal(ResultSet rs, int row) throws SQLException {
    long id = rs.getLong("id");
    List<Signal.Addition> additions =
        jdbc.sql("SELECT added_at, text FROM signal_addition WHERE signal_id = :id ORDER BY id")
            .param("id", id)
            .query((a, n) -> new Signal.Addition(a.getTimestamp(1).toInstant(), a.getString(2)))
            .list();
    List<String> merged =
        jdbc.sql("SELECT reference FROM signal WHERE merged_into = :id ORDER BY id")
            .param("id", id)
            .query(String.class)
            .list();
    return new Signal(
        id,
        rs.getString("reference"),
        rs.getTimestamp("received_at").toInstant(),
        SignalKind.valueOf(rs.getString("kind")),
        rs.getString("street"),
        rs.getString("house_number"),
        rs.getString("postcode"),
        rs.getString("city"),
        rs.getString("area"),
        rs.getString("company_name"),
        rs.getString("kvk_number"),
        rs.getString("description"),
        rs.getString("reporter_contact"),
        SignalStatus.valueOf(rs.getString("status")),
        rs.getString("merged_into_reference"),
        rs.getString("summary"),
        rs.getString("dismiss_reason"),
        rs.getString("riec_case"),
        rs.getString("outcome_note"),
        additions,
        merged);
  }
}
