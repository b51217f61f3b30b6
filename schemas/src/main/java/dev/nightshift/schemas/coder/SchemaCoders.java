package dev.nightshift.schemas.coder;

import dev.nightshift.schemas.DeadLetter;
import dev.nightshift.schemas.finance.BankStatement;
import dev.nightshift.schemas.finance.BatchDetail;
import dev.nightshift.schemas.finance.CashKey;
import dev.nightshift.schemas.finance.LedgerEntry;
import dev.nightshift.schemas.finance.ReconInput;
import dev.nightshift.schemas.finance.CashPosition;
import dev.nightshift.schemas.finance.MarketHoliday;
import dev.nightshift.schemas.finance.NetPosition;
import dev.nightshift.schemas.finance.NettingKey;
import dev.nightshift.schemas.finance.SettlementReportLine;
import dev.nightshift.schemas.finance.Participant;
import dev.nightshift.schemas.finance.Security;
import dev.nightshift.schemas.finance.SettlementInstruction;
import dev.nightshift.schemas.finance.SettlementTrade;
import dev.nightshift.schemas.finance.StatementEntry;
import dev.nightshift.schemas.finance.Trade;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Registers the coder of every schema record with Beam (found through {@code ServiceLoader}), so
 * that pipelines never fall back to Java serialization and keys are always deterministic.
 */
public final class SchemaCoders implements CoderProviderRegistrar {

  /** Every record coder of the schemas module. Add a record's coder here when you add a record. */
  public static final List<RecordCoder<?>> ALL =
      List.of(
          DeadLetter.CODER,
          Trade.CODER,
          Security.CODER,
          Participant.CODER,
          MarketHoliday.CODER,
          SettlementTrade.CODER,
          NettingKey.CODER,
          CashKey.CODER,
          SettlementInstruction.CODER,
          CashPosition.CODER,
          NetPosition.CODER,
          SettlementReportLine.CODER,
          // bank statements (account reconciliation)
          BatchDetail.CODER,
          StatementEntry.CODER,
          BankStatement.CODER,
          // account reconciliation
          LedgerEntry.CODER,
          ReconInput.CODER,
          // financial-reports
          dev.nightshift.schemas.finance.JournalLine.CODER,
          dev.nightshift.schemas.finance.PostedLine.CODER,
          dev.nightshift.schemas.finance.FxRate.CODER,
          dev.nightshift.schemas.finance.LedgerSums.CODER,
          dev.nightshift.schemas.finance.PnlSums.CODER,
          dev.nightshift.schemas.finance.EodEntry.CODER,
          dev.nightshift.schemas.finance.PositionSum.CODER,
          // retail orders
          dev.nightshift.schemas.retail.OrderLine.CODER,
          dev.nightshift.schemas.retail.ClassifiedLine.CODER,
          dev.nightshift.schemas.retail.InvoiceTotal.CODER,
          dev.nightshift.schemas.retail.CustomerSums.CODER,
          dev.nightshift.schemas.retail.StockMovement.CODER,
          // retail inventory
          dev.nightshift.schemas.retail.StockLevel.CODER,
          dev.nightshift.schemas.retail.DailyMovement.CODER,
          dev.nightshift.schemas.retail.GoodsReceipt.CODER,
          dev.nightshift.schemas.retail.StockKey.CODER,
          dev.nightshift.schemas.retail.StockSums.CODER,
          dev.nightshift.schemas.retail.StockPosition.CODER,
          dev.nightshift.schemas.retail.Product.CODER,
          dev.nightshift.schemas.retail.Store.CODER,
          // retail sales report
          dev.nightshift.schemas.retail.SalesLine.CODER,
          dev.nightshift.schemas.retail.SalesKey.CODER,
          dev.nightshift.schemas.retail.SalesSums.CODER,
          // healthcare shared contract
          dev.nightshift.schemas.healthcare.ClaimLine.CODER,
          dev.nightshift.schemas.healthcare.AdjudicatedLine.CODER,
          // healthcare billing
          dev.nightshift.schemas.healthcare.BillingOpenItem.CODER,
          dev.nightshift.schemas.healthcare.BillingPayment.CODER,
          dev.nightshift.schemas.healthcare.BillingAccount.CODER,
          dev.nightshift.schemas.healthcare.BillingTransaction.CODER,
          // healthcare patient records
          dev.nightshift.schemas.healthcare.PatientData.CODER,
          dev.nightshift.schemas.healthcare.PatientUpdate.CODER,
          dev.nightshift.schemas.healthcare.PatientVersion.CODER,
          dev.nightshift.schemas.healthcare.PatientMatch.CODER,
          dev.nightshift.schemas.healthcare.PatientNode.CODER);

  @Override
  public List<CoderProvider> getCoderProviders() {
    return ALL.stream().map(SchemaCoders::provider).collect(Collectors.toList());
  }

  private static <T> CoderProvider provider(RecordCoder<T> coder) {
    return CoderProviders.forCoder(TypeDescriptor.of(coder.getType()), coder);
  }
}
