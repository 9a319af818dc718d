package nl.covenanthub.console.audit;

import nl.covenanthub.audit.AuditDecision;

/**
 * How many decisions of one kind in one day or month.
 *
 * @param period the day ({@code 2026-05-14}) or month ({@code 2026-05}) in the console's time zone
 */
public record DisclosureCount(
    String period,
    String sender,
    String recipient,
    String purpose,
    AuditDecision decision,
    long count) {}
