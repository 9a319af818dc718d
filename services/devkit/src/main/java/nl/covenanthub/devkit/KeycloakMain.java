package nl.covenanthub.devkit;

import java.nio.file.Path;

/**
 * {@code java -cp devkit.jar nl.covenanthub.devkit.KeycloakMain --work-dir D --port P [--realm F]}: starts Keycloak
 * (see {@link Keycloak#start}) and runs until it is stopped (TERM or Ctrl-C, which stop Keycloak too) or Keycloak
 * ends on its own (exit 1). The realm defaults to {@code infra/keycloak/covenant-hub-realm.json} of the repository
 * around the working directory. Used by bin/hub-local.
 */
public final class KeycloakMain {
  private KeycloakMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path workDir = null;
    Path realm = null;
    Integer port = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        usage(0, null);
      }
      if (i + 1 >= args.length) {
        usage(2, arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--work-dir" -> workDir = Path.of(value);
        case "--realm" -> realm = Path.of(value);
        case "--port" -> port = port(value);
        default -> usage(2, "unknown option " + arg);
      }
    }
    if (workDir == null || port == null) {
      usage(2, "--work-dir and --port are required");
    }
    if (realm == null) {
      realm = Keycloak.repositoryRoot().resolve(Keycloak.REALM_FILE);
    }

    Keycloak keycloak;
    try {
      keycloak = Keycloak.start(workDir, realm, port); // stopped by its own shutdown hook when this JVM ends
    } catch (RuntimeException e) {
      if (shuttingDown()) {
        return; // stopped (TERM, Ctrl-C) while it started: not a failure
      }
      System.err.println("[keycloak] " + e.getMessage());
      System.exit(1);
      return;
    }
    int status = keycloak.awaitExit();
    if (keycloak.stopRequested() || shuttingDown()) {
      return; // stopped from outside: the shutdown hook finishes the job
    }
    System.err.println("[keycloak] Keycloak stopped on its own (exit code " + status + "); the last lines of its log:");
    System.err.println(keycloak.logTail());
    System.exit(1);
  }

  /** Whether this JVM is already shutting down (then System.exit would wait forever). */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    usage(2, "--port needs a port number, not " + value);
    return 0;
  }

  private static void usage(int status, String problem) {
    if (problem != null) {
      System.err.println("keycloak: " + problem);
    }
    (status == 0 ? System.out : System.err).println(
        "usage: KeycloakMain --work-dir DIR --port PORT [--realm REALM.json]\n"
            + "  starts Keycloak with the realm (default: " + Keycloak.REALM_FILE + " of this repository) on"
            + " http://localhost:PORT,\n  its distribution and log (keycloak.log) in DIR; runs until stopped");
    System.exit(status);
  }
}
