package nl.covenanthub.covenant;

import java.util.Objects;

/** Something wrong with a covenant file, at a line (1-based; 0 when it concerns the whole file). */
public record Problem(String file, int line, String message) implements Comparable<Problem> {
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code FILE:LINE: message}, the form editors and CI logs link to. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }

  @Override
  public int compareTo(Problem other) {
    int byFile = file.compareTo(other.file);
    return byFile != 0 ? byFile : Integer.compare(line, other.line);
  }
}
