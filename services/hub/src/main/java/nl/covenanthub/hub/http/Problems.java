package nl.covenanthub.hub.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Answers of the partners' API that say what is wrong (RFC 9457), never quoting the request. */
final class Problems {
  private Problems() {}

  static ResponseEntity<ProblemDetail> of(HttpStatus status, String detail) {
    return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
  }
}
