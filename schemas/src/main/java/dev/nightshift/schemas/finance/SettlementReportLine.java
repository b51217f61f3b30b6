package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * Settlement totals for one settlement date and currency. In a closed clearing system every
 * security delivered is received and every payment is received, so {@code securitiesDelivered ==
 * securitiesReceived} and {@code cashPaid == cashReceived}: the report says whether that holds.
 */
public record SettlementReportLine(
    long instructions,
    long deliveries,
    long receipts,
    long cashOnly,
    long securitiesDelivered,
    long securitiesReceived,
    BigDecimal cashPaid,
    BigDecimal cashReceived,
    long tradeLegs)
    implements Serializable {

  public static final SettlementReportLine ZERO =
      new SettlementReportLine(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0);

  public SettlementReportLine plus(SettlementReportLine o) {
    return new SettlementReportLine(
        instructions + o.instructions,
        deliveries + o.deliveries,
        receipts + o.receipts,
        cashOnly + o.cashOnly,
        securitiesDelivered + o.securitiesDelivered,
        securitiesReceived + o.securitiesReceived,
        cashPaid.add(o.cashPaid),
        cashReceived.add(o.cashReceived),
        tradeLegs + o.tradeLegs);
  }

  public boolean balanced() {
    return securitiesDelivered == securitiesReceived && cashPaid.compareTo(cashReceived) == 0;
  }

  public static final RecordCoder<SettlementReportLine> CODER =
      RecordCoder.of(
          SettlementReportLine.class,
          (r, out) ->
              out.lng(r.instructions)
                  .lng(r.deliveries)
                  .lng(r.receipts)
                  .lng(r.cashOnly)
                  .lng(r.securitiesDelivered)
                  .lng(r.securitiesReceived)
                  .decimal(r.cashPaid)
                  .decimal(r.cashReceived)
                  .lng(r.tradeLegs),
          in ->
              new SettlementReportLine(
                  in.lng(), in.lng(), in.lng(), in.lng(), in.lng(), in.lng(), in.decimal(),
                  in.decimal(), in.lng()));
}
