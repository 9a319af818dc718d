package nl.covenanthub.console.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a search, newest first.
 *
 * @param page from 0
 * @param total records that match, on all pages: counted up to {@link AuditSearch#EXACT_UP_TO},
 *     estimated above
 * @param totalEstimated whether {@code total} is an estimate (more than {@link
 *     AuditSearch#EXACT_UP_TO} match)
 */
public record DisclosurePage(
    List<Disclosure> items, int page, int size, long total, boolean totalEstimated) {
  public DisclosurePage {
    items = List.copyOf(items);
  }

  @JsonProperty
  public long totalPages() {
    return (total + size - 1) / size;
  }

  /**
   * Whether a page follows: by the total when it was counted, by a full page when it is an
   * estimate.
   */
  public boolean hasNext() {
    return totalEstimated ? items.size() == size : page + 1 < totalPages();
  }
}
