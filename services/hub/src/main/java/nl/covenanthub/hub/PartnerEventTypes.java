package nl.covenanthub.hub;

import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.MatchQuery;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import org.apache.avro.Schema;

/**
 * What a partner may send the hub, on its outbox or over HTTP: the covenants' event types, and what
 * it sends about what follows a disclosure (docs/case-lifecycle.md).
 */
public final class PartnerEventTypes {
  private PartnerEventTypes() {}

  /** Their schemas, the hub's own (reader) versions; each type is named by its schema's name. */
  public static List<Schema> of(EventCatalog catalog) {
    List<Schema> schemas = new ArrayList<>(catalog.avroSchemas());
    schemas.add(WithdrawalAcknowledgement.getClassSchema());
    schemas.add(ErasureRequest.getClassSchema());
    schemas.add(MatchQuery.getClassSchema());
    return List.copyOf(schemas);
  }
}
