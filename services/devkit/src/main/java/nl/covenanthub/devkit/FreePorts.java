package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

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
