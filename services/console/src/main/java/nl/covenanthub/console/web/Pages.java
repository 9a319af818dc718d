package nl.covenanthub.console.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Locale;
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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The way in (the search is the first page), the page that refuses, and who is logged in, shown on
 * every page.
 */
@Controller
// The pages: these packages hold every @Controller (the API is in api, with its own advice).
@ControllerAdvice(
    basePackages = {
      "nl.covenanthub.console.web",
      "nl.covenanthub.console.register",
      "nl.covenanthub.console.signals"
    })
class Pages {
  static final String DENIED = "/console/denied";

  @ModelAttribute("user")
  String user(Principal principal) {
    return principal == null ? null : principal.getName();
  }

  /**
   * The header's link to this page in the other language: the same address for a page read with GET
   * (a BSN parameter left out: it never goes into a link), the search for a posted one (a posted
   * form cannot be repeated by a link).
   */
  @ModelAttribute("languageLink")
  String languageLink(HttpServletRequest request, Locale locale) {
    String other = locale.getLanguage().equals("en") ? "nl" : "en";
    UriComponentsBuilder link =
        "GET".equals(request.getMethod())
            ? UriComponentsBuilder.fromPath(request.getRequestURI())
                .query(request.getQueryString())
                .replaceQueryParam("bsn")
            : UriComponentsBuilder.fromPath(request.getContextPath() + "/console/disclosures");
    return link.replaceQueryParam(PageLanguage.PARAMETER, other).build().toUriString();
  }

  /** The search for the privacy officer; the covenants for everyone else who administers them. */
  @GetMapping({"/", "/console", "/console/"})
  String home(Authentication authentication) {
    boolean privacyOfficer =
        authentication == null
            || authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + Roles.PRIVACY_OFFICER));
    if (privacyOfficer) {
      return "redirect:/console/disclosures";
    }
    boolean integraleVeiligheid =
        authentication.getAuthorities().stream()
            .anyMatch(a -> a.getAuthority().equals("ROLE_" + Roles.INTEGRALE_VEILIGHEID));
    return integraleVeiligheid ? "redirect:/console/signalen" : "redirect:/console/covenants";
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
