package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports on the loopback interface: a free one to take, or a check that one is free before a process
 * needs it.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A port nothing listens on now. */
  public static int any() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * {@code count} ports nothing listens on now, no two the same: each is held until all are found
   * (ports taken one by one and let go at once can come back twice).
   */
  public static int[] distinct(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing a socket that only held a port: nothing to do
        }
      }
    }
  }

  /** Fails, naming {@code who} needs it, if something listens on {@code port}. */
  public static void require(int port, String who) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is in use, and "
              + who
              + " needs it: stop what listens there, or pick another port",
          e);
    }
  }
}
