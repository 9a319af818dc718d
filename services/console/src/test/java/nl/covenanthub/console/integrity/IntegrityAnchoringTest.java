package nl.covenanthub.console.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.events.SingleObjectEncoding;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Tamper evidence that does not check itself: someone who can write the console's database rewrites
 * a chain's tail and seals it again, so that the index holds in itself; the check still finds it,
 * against hub.audit and against the head the hub signed. And a fork the hub made is reported, not
 * hidden.
 */
class IntegrityAnchoringTest extends ConsoleTestBase {
  @Autowired IntegrityCheck integrity;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @Test
  void anUntouchedChainIsComparedWithKafkaAndHolds() {
    AuditTrail politie = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records = politie.next(5);
    ingest(records);
    publishHead(records.get(4).record(), signer());

    IntegrityReport report = integrity.verify(politie.chainId(), null, null);

    assertThat(report.intact()).as("%s", report).isTrue();
    assertThat(report.anchoring())
        .isEqualTo("compared with hub.audit and with 1 of 1 chains' heads signed by the hub");
  }

  @Test
  void aTailRewrittenAndResealedInTheDatabaseDiffersFromHubAudit() {
    AuditTrail politie = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records = politie.next(10);
    ingest(records);

    rewriteFrom(politie.chainId(), records, 8);

    ChainReport chain = only(integrity.verify(politie.chainId(), null, null));
    assertThat(chain.firstBreak().kind()).isEqualTo(ChainBreak.Kind.UNANCHORED);
    assertThat(chain.firstBreak().sequence()).isEqualTo(10);
    assertThat(chain.firstBreak().detail())
        .isEqualTo("this record differs from the one in hub.audit");
  }

  @Test
  void aTailRewrittenAndResealedInTheDatabaseIsNotWhatTheHubSigned() {
    AuditTrail politie = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records = politie.next(10);
    ingest(records);
    publishHead(records.get(9).record(), signer());

    rewriteFrom(politie.chainId(), records, 8);

    ChainReport chain = only(integrity.verify(politie.chainId(), null, null));
    assertThat(chain.firstBreak().kind()).isEqualTo(ChainBreak.Kind.UNANCHORED);
    assertThat(chain.firstBreak().sequence()).isEqualTo(10);
    assertThat(chain.firstBreak().detail())
        .isEqualTo("this record is not the one whose hash the hub signed");
  }

  @Test
  void aHeadSignedWithAnotherKeyIsNotTheHubs() throws Exception {
    AuditTrail politie = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records = politie.next(3);
    ingest(records);
    publishHead(records.get(1).record(), signer());
    IntegrityReport signed = integrity.verify(politie.chainId(), null, null);
    assertThat(signed.intact()).as("the hub's own head: %s", signed).isTrue();
    assertThat(signed.anchoring()).contains("with 1 of 1 chains' heads signed by the hub");

    // A later head, read on from where the check before stopped.
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    publishHead(
        records.get(2).record(),
        HeadSignatures.Signer.of(
            Base64.getEncoder().encodeToString(other.getPrivate().getEncoded()),
            Base64.getEncoder().encodeToString(other.getPublic().getEncoded())));

    ChainReport chain = only(integrity.verify(politie.chainId(), null, null));
    assertThat(chain.firstBreak().kind()).isEqualTo(ChainBreak.Kind.UNANCHORED);
    assertThat(chain.firstBreak().detail())
        .isEqualTo("the head published for this position has no valid signature of the hub");
  }

  @Test
  void aSecondDifferentRecordAtATakenPositionIsAForkNotAReplay() {
    AuditTrail politie = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records = politie.next(5);
    ingest(records);
    // The same record again (a replay) is no fork; a different one at position 3 is.
    publish(List.of(records.get(1)));
    AuditRecord other =
        AuditRecord.newBuilder(records.get(2).record()).setRecipient("riec").build();
    AuditHash.sealed(other);
    publishRaw(politie.chainId(), SingleObjectEncoding.bytes(other));
    await()
        .atMost(WAIT)
        .until(
            () ->
                db.sql("SELECT count(*) FROM chain_fork WHERE chain_id = ?")
                        .param(politie.chainId())
                        .query(Long.class)
                        .single()
                    == 1);

    ChainReport chain = only(integrity.verify(politie.chainId(), null, null));
    assertThat(chain.firstBreak().kind()).isEqualTo(ChainBreak.Kind.FORKED);
    assertThat(chain.firstBreak().sequence()).isEqualTo(3);
    assertThat(rows(politie.chainId())).as("the first record stays indexed").isEqualTo(5);
  }

  /** What a database administrator who can compute hashes does: change, re-seal, re-link. */
  private void rewriteFrom(String chainId, List<AuditTrail.Sealed> records, int first) {
    String previous = records.get(first - 2).record().getHash();
    for (int sequence = first; sequence <= records.size(); sequence++) {
      AuditRecord forged = AuditRecord.newBuilder(records.get(sequence - 1).record()).build();
      if (sequence == first) {
        forged.setRecipient("riec");
      }
      forged.setPreviousHash(previous);
      AuditHash.sealed(forged);
      db.sql(
              "UPDATE audit_record SET recipient = ?, previous_hash = ?, hash = ? WHERE chain_id = ? AND"
                  + " sequence = ?")
          .params(
              String.valueOf(forged.getRecipient()),
              forged.getPreviousHash(),
              forged.getHash(),
              chainId,
              sequence)
          .update();
      previous = forged.getHash();
    }
    db.sql("UPDATE chain_head SET hash = ? WHERE chain_id = ?").params(previous, chainId).update();
    // The walk alone no longer sees anything wrong: that is the attack.
    assertThat(walkOnly(chainId)).as("the index holds in itself").isTrue();
  }

  private boolean walkOnly(String chainId) {
    return integrity.verifyChain(chainId, 10).intact();
  }

  private static ChainReport only(IntegrityReport report) {
    assertThat(report.chains()).hasSize(1);
    ChainReport chain = report.chains().get(0);
    assertThat(chain.intact()).as("%s", chain).isFalse();
    return chain;
  }

  private static HeadSignatures.Signer signer() {
    return HeadSignatures.Signer.of(
        HeadSignatures.DEMO_PRIVATE_KEY, HeadSignatures.DEMO_PUBLIC_KEY);
  }

  private void publishHead(AuditRecord last, HeadSignatures.Signer signer) {
    ChainHead head = new ChainHead(last.getChainId(), last.getSequence(), last.getHash());
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            "hub.audit.chain", head.getChainId(), SingleObjectEncoding.bytes(head));
    record.headers().add(HeadSignatures.SIGNATURE_HEADER, signer.sign(head));
    record.headers().add(HeadSignatures.KEY_ID_HEADER, signer.keyId().getBytes());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(record);
    }
  }
}
