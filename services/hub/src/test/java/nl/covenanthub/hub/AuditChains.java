package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;

/** What a privacy officer checks of hub.audit: every chain gap-free and every link intact. */
final class AuditChains {
  private AuditChains() {}

  /**
   * Asserts each chain in {@code audit} (in topic order) counts from 1 without gaps and links hash
   * to hash; returns the chains.
   */
  static Map<String, List<AuditRecord>> assertUnbroken(List<AuditRecord> audit) {
    Map<String, List<AuditRecord>> chains =
        audit.stream().collect(Collectors.groupingBy(AuditRecord::getChainId));
    chains.forEach(
        (chainId, records) -> {
          String previous = AuditHash.GENESIS;
          for (int i = 0; i < records.size(); i++) {
            AuditRecord record = records.get(i);
            assertThat(record.getSequence())
                .as("sequence %d of %s", i + 1, chainId)
                .isEqualTo(i + 1L);
            assertThat(AuditHash.follows(record, previous))
                .as("link %d of %s", i + 1, chainId)
                .isTrue();
            previous = record.getHash();
          }
        });
    return chains;
  }
}
