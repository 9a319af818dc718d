package nl.covenanthub.console.audit;

/**
 * A search as people and URLs give it: text, unchecked. {@link SearchForms#toQuery} checks it and
 * turns the BSN into the hub's pseudonym. Blank means no filter.
 *
 * @param bsn the data subject's BSN, as the privacy officer types it: only ever pseudonymised,
 *     never stored, logged or returned; send it in a request body, never in a URL
 * @param subject the data subject's pseudonym (as in a search result), instead of a BSN
 * @param decision DISCLOSED, WITHHELD or REJECTED
 * @param from ISO-8601 instant ({@code 2026-05-01T08:00:00Z}) or date ({@code 2026-05-01}, from the
 *     start of that day)
 * @param to ISO-8601 instant (exclusive) or date (up to and including that day)
 * @param page from 0
 * @param size records per page
 */
public record SearchForm(
    String bsn,
    String subject,
    String caseReference,
    String sender,
    String recipient,
    String purpose,
    String decision,
    String from,
    String to,
    Integer page,
    Integer size) {

  /** A form that names no BSN: what may travel in a URL. */
  public boolean hasBsn() {
    return bsn != null && !bsn.isBlank();
  }

  @Override
  public String toString() {
    // A record's toString would print the BSN wherever a form is logged or shown in an error.
    return "SearchForm[bsn="
        + (hasBsn() ? "(given)" : "")
        + ", subject="
        + subject
        + ", caseReference="
        + caseReference
        + ", sender="
        + sender
        + ", recipient="
        + recipient
        + ", purpose="
        + purpose
        + ", decision="
        + decision
        + ", from="
        + from
        + ", to="
        + to
        + ", page="
        + page
        + ", size="
        + size
        + "]";
  }
}
