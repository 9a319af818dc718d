package nl.covenanthub.console.web;

import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The way in (the search is the first page), the page that refuses, and who is logged in, shown on every page. */
@Controller
@ControllerAdvice(basePackageClasses = Pages.class)
class Pages {
  static final String DENIED = "/console/denied";

  @ModelAttribute("user")
  String user(Principal principal) {
    return principal == null ? null : principal.getName();
  }

  @GetMapping({"/", "/console", "/console/"})
  String home() {
    return "redirect:/console/disclosures";
  }

  /** Logged in, but without the role {@code privacy-officer}. */
  @GetMapping(DENIED)
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String denied() {
    return "denied";
  }
}
