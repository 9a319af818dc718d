package nl.covenanthub.console.signals;

/**
 * Where a signal is in triage and at the case table. A withdrawn signal has no status: it is
 * removed.
 */
public enum SignalStatus {
  NEW,
  MERGED,
  DISMISSED,
  AGENDA,
  ESCALATED,
  ADMINISTRATIVE
}
