package nl.covenanthub.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A Keycloak realm export, as in {@code infra/keycloak/covenant-hub-realm.json}: its name and the
 * demo secrets of its clients.
 */
public final class RealmFile {
  /** Where the realm file is, relative to the repository. */
  public static final String PATH = "infra/keycloak/covenant-hub-realm.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final JsonNode realm;

  private RealmFile(Path file, JsonNode realm) {
    this.file = file;
    this.realm = realm;
  }

  /** The repository's realm file. */
  public static RealmFile ofRepository() {
    return read(Repository.root().resolve(PATH));
  }

  public static RealmFile read(Path file) {
    try {
      return new RealmFile(file, JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the realm file " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /** The realm's name ({@code realm}). */
  public String name() {
    return realm.path("realm").asText(null);
  }

  /** The whole export, for tests that check what it promises. */
  public JsonNode json() {
    return realm;
  }

  /**
   * The secret of {@code clientId}, if it is a marked demo secret ({@code ...-NOT-FOR-PRODUCTION});
   * anything else is refused, so no real secret is ever read from a file of this repository.
   */
  public String demoSecret(String clientId) {
    for (JsonNode client : realm.path("clients")) {
      if (clientId.equals(client.path("clientId").asText())) {
        String secret = client.path("secret").asText("");
        if (!secret.contains("NOT-FOR-PRODUCTION")) {
          throw new IllegalArgumentException(
              "client " + clientId + " in " + file + " has no demo secret");
        }
        return secret;
      }
    }
    throw new IllegalArgumentException("no client " + clientId + " in " + file);
  }
}
