package dev.nightshift.pipelines;

import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.fix.FixLogDataset;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryGenerator;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import dev.nightshift.transforms.core.NightshiftOptions;
import dev.nightshift.transforms.core.NightshiftRun;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;

/** Every pipeline and dataset generator Nightshift ships: the launcher's catalogue. */
public final class Pipelines {
  private Pipelines() {}

  /** A runnable pipeline: its name, what it does, its options, and how to run it. */
  public record Spec(
      String name,
      String description,
      Class<? extends NightshiftOptions> options,
      Function<NightshiftOptions, NightshiftRun.Summary> run) {}

  public static final List<Spec> ALL =
      List.of(
          new Spec(
              TradeSettlement.NAME,
              TradeSettlement.DESCRIPTION,
              TradeSettlement.Options.class,
              o -> TradeSettlement.run(o.as(TradeSettlement.Options.class))),
          new Spec(
              AccountReconciliation.NAME,
              AccountReconciliation.DESCRIPTION,
              AccountReconciliation.Options.class,
              o -> AccountReconciliation.run(o.as(AccountReconciliation.Options.class))),
          new Spec(
              FinancialReports.NAME,
              FinancialReports.DESCRIPTION,
              FinancialReports.Options.class,
              o -> FinancialReports.run(o.as(FinancialReports.Options.class))),
          new Spec(
              OrderProcessing.NAME,
              OrderProcessing.DESCRIPTION,
              OrderProcessing.Options.class,
              o -> OrderProcessing.run(o.as(OrderProcessing.Options.class))),
          new Spec(
              InventoryUpdate.NAME,
              InventoryUpdate.DESCRIPTION,
              InventoryUpdate.Options.class,
              o -> InventoryUpdate.run(o.as(InventoryUpdate.Options.class))),
          new Spec(
              SalesReport.NAME,
              SalesReport.DESCRIPTION,
              SalesReport.Options.class,
              o -> SalesReport.run(o.as(SalesReport.Options.class))),
          new Spec(
              ClaimsAdjudication.NAME,
              ClaimsAdjudication.DESCRIPTION,
              ClaimsAdjudication.Options.class,
              o -> ClaimsAdjudication.run(o.as(ClaimsAdjudication.Options.class))),
          new Spec(
              Billing.NAME,
              Billing.DESCRIPTION,
              Billing.Options.class,
              o -> Billing.run(o.as(Billing.Options.class))),
          new Spec(
              PatientRecords.NAME,
              PatientRecords.DESCRIPTION,
              PatientRecords.Options.class,
              o -> PatientRecords.run(o.as(PatientRecords.Options.class))));

  public static final List<DatasetGenerator> GENERATORS =
      List.of(
          new TradeGenerator(), new FixLogDataset(), new StatementGenerator(), new JournalGenerator(),
          new RetailOrderGenerator(), new InventoryGenerator(),
          new ClaimsGenerator(), new BillingGenerator(), new PatientUpdateGenerator());

  public static Optional<Spec> pipeline(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public static Optional<DatasetGenerator> generator(String name) {
    return GENERATORS.stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
