package nl.covenanthub.covenant;

import java.util.Objects;

/** Which covenant version a decision rests on; the content hash pins the exact text. */
public record CovenantRef(String id, int version, String contentHash) {
  public CovenantRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(contentHash, "contentHash");
  }
}
