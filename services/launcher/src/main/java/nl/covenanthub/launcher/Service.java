package nl.covenanthub.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One process of the local stack, which the {@link Stack} starts, watches and stops. */
interface Service {
  /** Its name on the command line and in messages: {@code broker}, {@code hub-2}. */
  String name();

  /**
   * Starts it and returns once it is ready; throws, naming its log and the log's last lines, if it
   * is not.
   */
  void start();

  /** Stops it and what it started; nothing happens if it does not run. */
  void stop();

  /** Kills it at once (SIGKILL to its process tree), as a crash would; by default it is stopped. */
  default void kill() {
    stop();
  }

  /** Whether its process runs. */
  boolean isRunning();

  /** Its process id while it runs. */
  Optional<Long> pid();

  /** Where it logs. */
  Path log();

  /** Where to reach it, for the status list: {@code http://localhost:8080}. */
  String address();

  /** The ports it listens on, checked to be free before it starts. */
  List<Integer> ports();
}
