package nl.covenanthub.console.api;

import nl.covenanthub.console.audit.InvalidSearchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Bad requests as RFC 9457 problems that say what is wrong. Never with the request's values: the
 * body of a search may hold a BSN, and a JSON parser's message quotes what it could not read, so
 * that message is neither returned nor logged.
 */
// Before Boot's own problem-details handler, which would answer an unreadable body first.
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = AuditApi.class)
class ApiErrors {

  @ExceptionHandler(InvalidSearchException.class)
  ProblemDetail invalidSearch(InvalidSearchException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.BAD_REQUEST,
        "the body must be a JSON object with the search's fields (bsn, subject, caseReference, sender, recipient, "
            + "purpose, decision, from, to, page, size)");
  }
}
