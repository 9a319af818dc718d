package nl.covenanthub.hub.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Answers of the partners' API that say what is wrong (RFC 9457), never quoting the request. */
final class Problems {
  private Problems() {}

  static ResponseEntity<ProblemDetail> of(HttpStatus status, String detail) {
    return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
  }

  /** 429: the partner may try again after {@code seconds}. */
  static ResponseEntity<ProblemDetail> tooMany(long seconds, String detail) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail));
  }
}
