package nl.covenanthub.launcher;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the launcher tells the person at the terminal: one line each, prefixed, on standard error.
 */
final class Say {
  private final Path root;
  private final String prefix;

  Say(Path root) {
    this(root, "hub-local");
  }

  Say(Path root, String name) {
    this.root = root;
    this.prefix = "[" + name + "] ";
  }

  void line(String text) {
    System.err.println(prefix + text);
  }

  void error(String text) {
    line("error: " + text);
  }

  /** {@code path} relative to the checkout when it is inside it, as the person typed paths. */
  String relative(Path path) {
    return relative(root, path);
  }

  static String relative(Path root, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
  }

  /** {@code 9.4 s} */
  static String seconds(Duration duration) {
    long tenths = duration.toMillis() / 100;
    return tenths / 10 + "." + tenths % 10 + " s";
  }

  /** The time since {@code startedNanos} ({@link System#nanoTime()}). */
  static String since(long startedNanos) {
    return seconds(Duration.ofNanos(System.nanoTime() - startedNanos));
  }
}
