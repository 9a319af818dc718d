package nl.covenanthub.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The processes of the local stack, in the order they start: started one by one, each once the one
 * before is ready; watched (a process that stops without being asked to is a failure); stopped
 * newest first. One process can be stopped and started again on request, which the fault harness
 * needs.
 */
final class Stack implements AutoCloseable {
  private final List<Service> services;
  private final Say say;

  /** The services that should run: started, and not stopped on request since. */
  private final Set<String> running = Collections.synchronizedSet(new LinkedHashSet<>());

  private volatile boolean closing;

  Stack(List<Service> services, Say say) {
    this.services = List.copyOf(services);
    this.say = say;
  }

  List<Service> services() {
    return services;
  }

  Optional<Service> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Refuses to start if a port of any process is taken, naming the process and the port. */
  void requireFreePorts() {
    for (Service service : services) {
      requireFreePorts(service);
    }
  }

  /**
   * Starts every process in order; throws at the first that does not come up (the caller then
   * closes).
   */
  void startAll() {
    for (Service service : services) {
      if (closing) {
        return;
      }
      start(service);
    }
  }

  /** Starts the process {@code name} (stopped on request before); refused if it runs. */
  synchronized void start(String name) {
    Service service = known(name);
    if (service.isRunning()) {
      throw new IllegalArgumentException(
          name + " runs already (pid " + service.pid().orElse(0L) + ")");
    }
    requireFreePorts(service);
    start(service);
  }

  /**
   * Stops the process {@code name}, which then stays stopped (not a failure) until started again.
   */
  synchronized void stop(String name) {
    Service service = known(name);
    running.remove(name);
    if (!service.isRunning()) {
      throw new IllegalArgumentException(name + " does not run");
    }
    say.line("stopping " + name + "…");
    long started = System.nanoTime();
    service.stop();
    say.line(name + " stopped in " + Say.since(started) + " (on request)");
  }

  /** Kills the process {@code name} (SIGKILL, a crash), which then stays down until started. */
  synchronized void kill(String name) {
    Service service = known(name);
    running.remove(name);
    if (!service.isRunning()) {
      throw new IllegalArgumentException(name + " does not run");
    }
    service.kill();
    say.line(name + " killed (kill -9)");
  }

  /** A process that should run but does not: it stopped on its own. */
  Optional<Service> failed() {
    if (closing) {
      return Optional.empty();
    }
    return services.stream().filter(s -> running.contains(s.name()) && !s.isRunning()).findFirst();
  }

  /** One line per process: its name, whether it runs (and its pid), its log. */
  List<String> status() {
    List<String> lines = new ArrayList<>();
    for (Service service : services) {
      String state = service.pid().map(pid -> "running (pid " + pid + ")").orElse("stopped");
      lines.add(
          String.format("%-10s %-22s log %s", service.name(), state, say.relative(service.log())));
    }
    return lines;
  }

  /** Stops everything it started, newest first. */
  @Override
  public synchronized void close() {
    closing = true;
    boolean any = false;
    for (int i = services.size() - 1; i >= 0; i--) {
      Service service = services.get(i);
      running.remove(service.name());
      if (service.isRunning()) {
        any = true;
        say.line("stopping " + service.name() + "…");
        try {
          service.stop();
        } catch (RuntimeException e) {
          say.error("stopping " + service.name() + " failed: " + e.getMessage());
        }
      }
    }
    if (any) {
      say.line("stopped everything it started");
    }
  }

  boolean closing() {
    return closing;
  }

  private void start(Service service) {
    say.line("starting " + service.name() + "…");
    long started = System.nanoTime();
    service.start();
    running.add(service.name());
    say.line(
        service.name()
            + " ready in "
            + Say.since(started)
            + ": "
            + service.address()
            + " (log "
            + say.relative(service.log())
            + ")");
  }

  private Service known(String name) {
    return service(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no process "
                        + name
                        + " in this stack; its processes: "
                        + String.join(", ", services.stream().map(Service::name).toList())));
  }

  private static void requireFreePorts(Service service) {
    for (int port : service.ports()) {
      if (listening(port)) {
        throw new IllegalStateException(
            "something already listens on localhost:"
                + port
                + ", which the "
                + service.name()
                + " needs (a hub-local still running?); stop it, or pick other ports (--help)");
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
