package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;

/** Securities reference data ({@code isin,name,currency,market}). */
public record Security(String isin, String name, String currency, Market market, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"isin", "name", "currency", "market"};

  public static final RecordCoder<Security> CODER =
      RecordCoder.of(
          Security.class,
          (s, out) -> {
            out.str(s.isin).str(s.name).str(s.currency).enumName(s.market);
            s.source.write(out);
          },
          in ->
              new Security(
                  in.str(), in.str(), in.str(), in.enumName(Market.class), SourceRef.read(in)));
}
