package nl.covenanthub.devkit;

import java.io.IOException;

/**
 * The broker process: {@code kafka.Kafka}, ended when its parent goes away (its standard input
 * closes).
 */
final class BrokerProcess {
  private BrokerProcess() {}

  public static void main(String[] args) throws Exception {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the parent never writes; end of input means it is gone
                }
              } catch (IOException e) {
                // the same
              }
              System.exit(0);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
    Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
