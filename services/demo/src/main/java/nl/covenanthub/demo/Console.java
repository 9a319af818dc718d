package nl.covenanthub.demo;

import java.io.PrintStream;
import java.util.Map;

/**
 * One line per thing that happens, prefixed with who saw it; coloured per partner on a terminal.
 */
final class Console {
  private static final String RESET = "\u001b[0m";
  private static final Map<String, String> COLOURS =
      Map.of(
          "lzn",
          "\u001b[32m",
          "politie",
          "\u001b[34m",
          "veilig-thuis",
          "\u001b[35m",
          "riec",
          "\u001b[33m",
          "odr",
          "\u001b[96m",
          "hub",
          "\u001b[31m",
          "demo",
          "\u001b[2m");

  private final PrintStream out;
  private final boolean colour;

  Console(PrintStream out, boolean colour) {
    this.out = out;
    this.colour = colour;
  }

  void say(String who, String line) {
    String prefix = "[" + who + "]";
    if (colour) {
      prefix = COLOURS.getOrDefault(who, "\u001b[36m") + prefix + RESET;
    }
    synchronized (out) {
      out.println(prefix + " " + line);
      out.flush();
    }
  }
}
