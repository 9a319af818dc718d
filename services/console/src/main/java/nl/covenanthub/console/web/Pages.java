package nl.covenanthub.console.web;

import java.security.Principal;
import nl.covenanthub.security.Roles;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The way in (the search is the first page), the page that refuses, and who is logged in, shown on
 * every page.
 */
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

  /**
   * Refused: logged in without the role {@code privacy-officer}, or, with it, a form posted without
   * this session's CSRF token (a page from before a new login). Any method: a refused POST is
   * forwarded here as a POST.
   */
  @RequestMapping(DENIED)
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String denied(Authentication authentication, Model model) {
    model.addAttribute(
        "privacyOfficer",
        authentication != null
            && authentication.getAuthorities().stream()
                .anyMatch(
                    authority -> authority.getAuthority().equals("ROLE_" + Roles.PRIVACY_OFFICER)));
    return "denied";
  }
}
