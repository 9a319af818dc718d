package nl.covenanthub.covenant;

import java.util.Objects;

/** A partner organisation that signed the covenant, e.g. {@code politie}. */
public record Party(String id, String name) {
  public Party {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
