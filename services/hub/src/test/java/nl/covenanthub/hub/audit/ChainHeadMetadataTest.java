package nl.covenanthub.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.audit.ChainHead;
import org.junit.jupiter.api.Test;

/** Chain heads in an offset's metadata: what goes in comes out, and what does not fit says so. */
class ChainHeadMetadataTest {
  private static final String HASH = "ab".repeat(32);

  @Test
  void theHeadsOfATransactionComeBackByChain() {
    String metadata =
        ChainHeadMetadata.encode(
            List.of(
                new ChainHead("partner.lzn.outbox-0", 41L, HASH),
                new ChainHead("partner.lzn.outbox-2", 7L, "cd".repeat(32))));

    assertThat(ChainHeadMetadata.head(metadata, "partner.lzn.outbox-2"))
        .contains(new ChainHead("partner.lzn.outbox-2", 7L, "cd".repeat(32)));
    assertThat(ChainHeadMetadata.head(metadata, "partner.lzn.outbox-0"))
        .contains(new ChainHead("partner.lzn.outbox-0", 41L, HASH));
    assertThat(ChainHeadMetadata.head(metadata, "partner.lzn.outbox-1"))
        .as("a chain the transaction did not move")
        .isEmpty();
  }

  @Test
  void metadataWithoutHeadsHasNone() {
    assertThat(ChainHeadMetadata.decode("")).isEmpty();
    assertThat(ChainHeadMetadata.decode(null)).isEmpty();
    assertThat(ChainHeadMetadata.decode("someone else's metadata")).isEmpty();
  }

  @Test
  void moreHeadsThanAnOffsetsMetadataHoldsAreRefused() {
    List<ChainHead> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add(new ChainHead("partner.veilig-thuis.outbox-" + i, 1_000_000L, HASH));
    }
    assertThatThrownBy(() -> ChainHeadMetadata.encode(many))
        .hasMessageContaining("do not fit in an offset's metadata");
  }
}
