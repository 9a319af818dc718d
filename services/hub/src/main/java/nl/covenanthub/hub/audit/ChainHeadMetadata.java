package nl.covenanthub.hub.audit;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.audit.ChainHead;

/**
 * Chain heads as the metadata of committed consumer offsets: {@code chain-heads/1 <chain> <seq>
 * <hash>;...}. The hub commits each batch's offsets with the heads that batch moved, in the same
 * transaction as its audit records, so a head is exactly as safe as the offset beside it: fenced
 * against zombies by the consumer group, and never ahead of or behind what committed.
 */
final class ChainHeadMetadata {
  static final String PREFIX = "chain-heads/1 ";

  /** The broker's default offset.metadata.max.bytes, which the metadata must not exceed. */
  static final int MAX_BYTES = 4096;

  private ChainHeadMetadata() {}

  static String encode(Collection<ChainHead> heads) {
    StringBuilder out = new StringBuilder(PREFIX);
    for (ChainHead head : heads) {
      if (out.length() > PREFIX.length()) {
        out.append(';');
      }
      out.append(head.getChainId())
          .append(' ')
          .append(head.getSequence())
          .append(' ')
          .append(head.getHash());
    }
    if (out.length() > MAX_BYTES) {
      throw new IllegalStateException(
          heads.size()
              + " chain heads do not fit in an offset's metadata ("
              + out.length()
              + " > "
              + MAX_BYTES
              + " bytes): an outbox topic has too many partitions for one listener");
    }
    return out.toString();
  }

  /** The head of {@code chainId} in {@code metadata}, if it holds one. */
  static Optional<ChainHead> head(String metadata, String chainId) {
    return Optional.ofNullable(decode(metadata).get(chainId));
  }

  static Map<String, ChainHead> decode(String metadata) {
    Map<String, ChainHead> heads = new LinkedHashMap<>();
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return heads;
    }
    for (String entry : metadata.substring(PREFIX.length()).split(";")) {
      String[] parts = entry.split(" ");
      if (parts.length == 3) {
        heads.put(parts[0], new ChainHead(parts[0], Long.parseLong(parts[1]), parts[2]));
      }
    }
    return heads;
  }
}
