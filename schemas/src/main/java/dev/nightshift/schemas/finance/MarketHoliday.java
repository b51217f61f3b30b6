package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.time.LocalDate;

/** A day a market does not settle ({@code market,date,name}). */
public record MarketHoliday(Market market, LocalDate date, String name, SourceRef source)
    implements Sourced, Serializable {

  public static final String[] COLUMNS = {"market", "date", "name"};

  public static final RecordCoder<MarketHoliday> CODER =
      RecordCoder.of(
          MarketHoliday.class,
          (h, out) -> {
            out.enumName(h.market).date(h.date).str(h.name);
            h.source.write(out);
          },
          in ->
              new MarketHoliday(
                  in.enumName(Market.class), in.date(), in.str(), SourceRef.read(in)));
}
