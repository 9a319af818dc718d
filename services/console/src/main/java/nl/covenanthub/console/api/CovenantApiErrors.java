package nl.covenanthub.console.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.covenanthub.console.covenants.CovenantAdministration.InvalidProposal;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The covenant API's refusals as RFC 9457 problems with the lifecycle's code: 403 when the user may
 * not (four eyes, not their party), 404 for a version that does not exist, 422 for a text that does
 * not validate (each problem with its line), 409 when the version's state does not allow it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = CovenantApi.class)
class CovenantApiErrors {
  private static final Set<String> FORBIDDEN =
      Set.of("four-eyes", "not-admin", "not-approver", "not-your-party");

  @ExceptionHandler(Refused.class)
  ProblemDetail refused(Refused e) {
    HttpStatus status =
        FORBIDDEN.contains(e.code())
            ? HttpStatus.FORBIDDEN
            : switch (e.code()) {
              case "no-such-version" -> HttpStatus.NOT_FOUND;
              case "invalid" -> HttpStatus.UNPROCESSABLE_CONTENT;
              case "bad-effective-from", "no-such-action" -> HttpStatus.BAD_REQUEST;
              default -> HttpStatus.CONFLICT;
            };
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setProperty("code", e.code());
    return problem;
  }

  @ExceptionHandler(InvalidProposal.class)
  ProblemDetail invalid(InvalidProposal e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNPROCESSABLE_CONTENT, "the covenant does not validate");
    problem.setProperty("code", "invalid");
    List<Map<String, Object>> problems =
        e.problems().stream()
            .map(p -> Map.<String, Object>of("line", p.line(), "message", p.message()))
            .toList();
    problem.setProperty("problems", problems);
    return problem;
  }
}
