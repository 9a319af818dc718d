package nl.covenanthub.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks signature, checked against the specification's own test vector. */
class WebhookSignaturesTest {
  // The test vector of the Standard Webhooks reference libraries.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP);

  @Test
  void signsAsTheSpecificationsTestVectorSays() {
    assertThat(WebhookSignatures.sign(ID, TIMESTAMP, BODY, List.of(SECRET)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void duringARotationEitherSecretVerifies() {
    String next = WebhookSignatures.newSecret();
    String header = WebhookSignatures.sign(ID, TIMESTAMP, BODY, List.of(next, SECRET));
    assertThat(header.split(" ")).hasSize(2);
    String stamp = Long.toString(TIMESTAMP);
    assertThat(WebhookSignatures.verify(ID, stamp, header, BODY, List.of(SECRET), THEN)).isTrue();
    assertThat(WebhookSignatures.verify(ID, stamp, header, BODY, List.of(next), THEN)).isTrue();
    assertThat(
            WebhookSignatures.verify(
                ID, stamp, header, BODY, List.of(WebhookSignatures.newSecret()), THEN))
        .as("another secret")
        .isFalse();
  }

  @Test
  void aChangedBodyIdOrTimestampOrAnOldRequestDoesNotVerify() {
    String header = WebhookSignatures.sign(ID, TIMESTAMP, BODY, List.of(SECRET));
    String stamp = Long.toString(TIMESTAMP);
    List<String> secrets = List.of(SECRET);
    assertThat(WebhookSignatures.verify(ID, stamp, header, BODY, secrets, THEN)).isTrue();
    assertThat(WebhookSignatures.verify(ID, stamp, header, "{}".getBytes(), secrets, THEN))
        .isFalse();
    assertThat(WebhookSignatures.verify("msg_other", stamp, header, BODY, secrets, THEN)).isFalse();
    assertThat(WebhookSignatures.verify(ID, "1614265331", header, BODY, secrets, THEN)).isFalse();
    assertThat(WebhookSignatures.verify(ID, stamp, header, BODY, secrets, THEN.plusSeconds(301)))
        .as("replayed after the tolerance")
        .isFalse();
    assertThat(
            WebhookSignatures.verify(ID, stamp, "v2," + header.substring(3), BODY, secrets, THEN))
        .isFalse();
    assertThat(WebhookSignatures.verify(ID, stamp, "garbage", BODY, secrets, THEN)).isFalse();
    assertThat(WebhookSignatures.verify(ID, null, header, BODY, secrets, THEN)).isFalse();
  }
}
