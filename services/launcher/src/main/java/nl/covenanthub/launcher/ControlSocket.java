package nl.covenanthub.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a second {@code bin/hub-local} (or a test) asks the running one to stop, start or list its
 * processes: one command line over a Unix domain socket in the state directory, answered with lines
 * ending in {@code ok} or {@code error: ...}. Only who may open the state directory can connect.
 */
final class ControlSocket implements AutoCloseable {
  static final String FILE_NAME = "hub-local.sock";

  private final Path path;
  private final ServerSocketChannel server;
  private final Thread acceptor;

  private ControlSocket(Path path, ServerSocketChannel server, Stack stack) {
    this.path = path;
    this.server = server;
    this.acceptor = new Thread(() -> serve(stack), "hub-local-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Listens on {@code path}; refused if another launcher listens there, a stale socket file is
   * replaced.
   */
  static ControlSocket open(Path path, Stack stack) throws IOException {
    if (Files.exists(path)) {
      if (answers(path)) {
        throw new IllegalStateException(
            "another hub-local runs with its state in "
                + path.getParent()
                + "; stop it first (or use another --state-dir)");
      }
      Files.delete(path);
    }
    Files.createDirectories(path.getParent());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    return new ControlSocket(path, server, stack);
  }

  /**
   * Sends {@code command} to the launcher listening on {@code path} and prints its answer; the exit
   * code: 0 when it did it, 1 when it refused, 3 when no launcher listens there.
   */
  static int send(Path path, String command, PrintStream out, PrintStream err) {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      PrintWriter request =
          new PrintWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), true);
      request.println(command);
      BufferedReader answer =
          new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
      for (String line = answer.readLine(); line != null; line = answer.readLine()) {
        if (line.equals("ok")) {
          return 0;
        }
        if (line.startsWith("error: ")) {
          err.println("[hub-local] " + line);
          return 1;
        }
        out.println(line);
      }
      err.println(
          "[hub-local] error: the running hub-local ended the connection without an answer");
      return 1;
    } catch (IOException e) {
      err.println(
          "[hub-local] error: no hub-local runs with its state in "
              + path.getParent()
              + " (start one with bin/hub-local)");
      return 3;
    }
  }

  private void serve(Stack stack) {
    while (server.isOpen()) {
      try (SocketChannel channel = server.accept()) {
        BufferedReader request =
            new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        PrintWriter answer =
            new PrintWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), true);
        String command = request.readLine();
        try {
          execute(stack, command == null ? "" : command.strip()).forEach(answer::println);
          answer.println("ok");
        } catch (RuntimeException e) {
          answer.println("error: " + e.getMessage().replace('\n', ' '));
        }
      } catch (IOException e) {
        // the socket was closed (the launcher stops), or one client went away
      }
    }
  }

  private static List<String> execute(Stack stack, String command) {
    if (stack.closing()) {
      throw new IllegalStateException("the stack is stopping");
    }
    String[] words = command.split("\\s+");
    return switch (words[0]) {
      case "status" -> stack.status();
      case "stop" -> {
        stack.stop(argument(words));
        yield List.of(argument(words) + " stopped");
      }
      case "start" -> {
        stack.start(argument(words));
        yield List.of(argument(words) + " started and ready");
      }
      default -> throw new IllegalArgumentException("unknown command '" + command + "'");
    };
  }

  private static String argument(String[] words) {
    if (words.length != 2) {
      throw new IllegalArgumentException("name one process, e.g. 'stop hub-2'");
    }
    return words[1];
  }

  private static boolean answers(Path path) {
    try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // the next start replaces a stale socket file
    }
  }
}
