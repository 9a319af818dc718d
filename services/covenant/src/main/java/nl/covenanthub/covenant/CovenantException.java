package nl.covenanthub.covenant;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when covenants cannot be loaded or compiled; carries every problem found, not just the
 * first.
 */
public final class CovenantException extends Exception {
  private final List<Problem> problems;

  public CovenantException(List<Problem> problems) {
    super(problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = problems.stream().sorted().toList();
  }

  public List<Problem> problems() {
    return problems;
  }
}
