package nl.covenanthub.console.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.ProcessingRegister;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * The register of processing activities (AVG art. 30), made from the covenants the hub enforces: as
 * a page a person can read and print, and as JSON ({@code /api/register}).
 */
@Controller
class RegisterPage {
  private final ConsoleProperties properties;
  private final Clock clock;

  RegisterPage(ConsoleProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/console/register")
  String page(Model model) {
    model.addAttribute("register", load());
    model.addAttribute("directory", Path.of(properties.covenants()).toAbsolutePath().normalize());
    return "register";
  }

  @GetMapping("/api/register")
  @ResponseBody
  ProcessingRegister.Loaded json() {
    return load();
  }

  private ProcessingRegister.Loaded load() {
    if (!Files.isDirectory(Path.of(properties.covenants()))) {
      throw new ResponseStatusException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "no covenant directory at console.covenants ("
              + Path.of(properties.covenants()).toAbsolutePath().normalize()
              + ")");
    }
    try {
      return ProcessingRegister.fromDirectory(
          Path.of(properties.covenants()),
          EventCatalog.standard(),
          LocalDate.ofInstant(clock.instant(), properties.timeZone()));
    } catch (IOException e) {
      throw new ResponseStatusException(
          HttpStatus.SERVICE_UNAVAILABLE, "the covenant directory cannot be read");
    }
  }
}
