package nl.covenanthub.launcher;

/**
 * The local stack's ports on localhost. The broker takes three in a row: clients on {@code kafka},
 * the controller on {@code kafka + 1}, the broker's internal (super user) listener on {@code kafka
 * + 2}. A hub instance after the first listens on {@code hub + n} for instance {@code n} (8082,
 * 8083, … by default). With the demo, its Veilig Thuis receives webhooks on {@code webhook}.
 */
record Ports(int keycloak, int kafka, int hub, int console, int postgres, int webhook) {
  static final Ports DEFAULTS = new Ports(8180, 9092, 8080, 8081, 5433, 8090);

  int kafkaController() {
    return kafka + 1;
  }

  int kafkaInternal() {
    return kafka + 2;
  }

  /** The HTTP port of hub instance {@code n} (1 is the first). */
  int hub(int n) {
    return n == 1 ? hub : hub + n;
  }
}
