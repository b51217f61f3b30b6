package dev.nightshift.schemas.retail;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One store of the retailer ({@code stores.csv}: store_id,name,country,opened_on). The store id is
 * what movements and snapshots name (the suite's stores are the UCI countries).
 */
public record Store(String storeId, String name, String country, LocalDate openedOn, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"store_id", "name", "country", "opened_on"};

  public static final RecordCoder<Store> CODER =
      RecordCoder.of(
          Store.class,
          (s, out) -> {
            out.str(s.storeId).str(s.name).str(s.country).date(s.openedOn);
            s.source.write(out);
          },
          in -> new Store(in.str(), in.str(), in.str(), in.date(), SourceRef.read(in)));
}
