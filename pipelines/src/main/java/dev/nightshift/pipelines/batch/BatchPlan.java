package dev.nightshift.pipelines.batch;

import dev.nightshift.pipelines.finance.TradeSettlement;
import dev.nightshift.pipelines.finance.recon.AccountReconciliation;
import dev.nightshift.pipelines.finance.reports.FinancialReports;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.claims.ClaimsAdjudication;
import dev.nightshift.pipelines.healthcare.patients.PatientRecords;
import dev.nightshift.pipelines.retail.OrderProcessing;
import dev.nightshift.pipelines.retail.inventory.InventoryUpdate;
import dev.nightshift.pipelines.retail.report.SalesReport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a business date's batch runs: every pipeline of each domain, the dependencies between
 * them, and where each one's inputs are (the day's landing area, today's or yesterday's warehouse
 * partitions). The steps are listed in a topological order, which is also the order in which
 * ready steps are started.
 *
 * <pre>
 * finance:    trade-settlement -> financial-reports      account-reconciliation
 * retail:     order-processing -> inventory-update       order-processing -> sales-report
 * healthcare: claims-adjudication -> billing             patient-records
 * </pre>
 */
public final class BatchPlan {
  public static final String FINANCE = "finance";
  public static final String RETAIL = "retail";
  public static final String HEALTHCARE = "healthcare";
  public static final List<String> DOMAINS = List.of(FINANCE, RETAIL, HEALTHCARE);

  public static final String CLAIMS_ADJUDICATION = ClaimsAdjudication.NAME;

  // The landing area of a date: <landing>/<D>/<domain>/<...>.
  static final String TRADES = "trades";
  static final String STATEMENTS = "statements";
  static final String JOURNALS = "journals";
  static final String ORDERS = "orders";
  static final String OPENING_STOCK = "opening_stock";
  static final String RECEIPTS_FILE = "receipts.csv";
  static final String CLAIMS = "claims";
  static final String PAYMENTS = "billing";
  static final String PATIENTS = "patients";

  /** Where one batch of one date finds things: its landing area and the warehouse. */
  public record Context(LocalDate date, String landing, Partitions warehouse, String deidKey) {
    /** {@code <landing>/<D>/<domain>/<names...>}. */
    String landing(String domain, String... names) {
      String dir = Storage.join(landing, date.toString(), domain);
      return names.length == 0 ? dir : Storage.join(dir, names);
    }

    /** {@code <warehouse>/_batches/<D>}: the summary, logs and gathered inputs of the date's batch. */
    String batchDir() {
      return Storage.join(warehouse.warehouse(), "_batches", date.toString());
    }

    String today(String pipeline, String file) {
      return warehouse.file(pipeline, date, file);
    }

    String upTo(String producer, String file, String consumer) {
      return warehouse.upTo(producer, date, file, Storage.join(batchDir(), "inputs", consumer, producer));
    }
  }

  /** One pipeline of the batch and the flags (inputs, business date) its run gets. */
  public record Step(
      String pipeline, String domain, List<String> dependsOn, Function<Context, List<String>> flags) {}

  private final List<Step> all;
  private final Set<String> selected;

  private BatchPlan(List<Step> all, Set<String> selected) {
    List<String> seen = new ArrayList<>();
    for (Step s : all) {
      for (String d : s.dependsOn()) {
        if (!seen.contains(d)) {
          throw new IllegalArgumentException(
              "plan order: " + s.pipeline() + " is listed before its dependency " + d);
        }
      }
      seen.add(s.pipeline());
    }
    this.all = List.copyOf(all);
    this.selected = Set.copyOf(selected);
  }

  public static BatchPlan of(List<Step> steps) {
    return new BatchPlan(steps, new LinkedHashSet<>(steps.stream().map(Step::pipeline).toList()));
  }

  /** The three domains' pipelines (see the class comment). */
  public static BatchPlan standard() {
    return of(List.of(
        new Step(TradeSettlement.NAME, FINANCE, List.of(), c -> List.of(
            "--inputDir=" + c.landing(FINANCE, TRADES),
            "--businessDate=" + c.date())),
        new Step(AccountReconciliation.NAME, FINANCE, List.of(), c -> List.of(
            "--inputDir=" + c.landing(FINANCE, STATEMENTS))),
        new Step(FinancialReports.NAME, FINANCE, List.of(TradeSettlement.NAME), c -> List.of(
            "--inputDir=" + c.landing(FINANCE, JOURNALS),
            "--businessDate=" + c.date(),
            "--settlementDir=" + c.warehouse().partition(TradeSettlement.NAME, c.date()))),
        new Step(OrderProcessing.NAME, RETAIL, List.of(), c -> List.of(
            "--input=" + c.landing(RETAIL, ORDERS, "online_retail*.csv"))),
        new Step(InventoryUpdate.NAME, RETAIL, List.of(OrderProcessing.NAME), BatchPlan::inventoryFlags),
        new Step(SalesReport.NAME, RETAIL, List.of(OrderProcessing.NAME), c -> List.of(
            "--orderLines=" + c.upTo(OrderProcessing.NAME, OrderProcessing.ORDER_LINES_FILE, SalesReport.NAME),
            // RFM recency is measured from the end of the business day.
            "--asOf=" + c.date().plusDays(1))),
        new Step(CLAIMS_ADJUDICATION, HEALTHCARE, List.of(), c -> List.of(
            "--inputDir=" + c.landing(HEALTHCARE, CLAIMS),
            "--businessDate=" + c.date())),
        new Step(PatientRecords.NAME, HEALTHCARE, List.of(), BatchPlan::patientFlags),
        new Step(Billing.NAME, HEALTHCARE, List.of(CLAIMS_ADJUDICATION), BatchPlan::billingFlags)));
  }

  /**
   * Yesterday's end-of-day snapshot; on the first day (no partition before D at all) the landing
   * area's opening stock. A gap (earlier days but not D-1) is an error: the stock would be wrong.
   */
  static List<String> inventoryFlags(Context c) {
    LocalDate yesterday = c.date().minusDays(1);
    String snapshot;
    if (c.warehouse().isPublished(InventoryUpdate.NAME, yesterday)) {
      snapshot = c.warehouse().file(InventoryUpdate.NAME, yesterday, InventoryUpdate.SNAPSHOT_FILE);
    } else if (c.warehouse().publishedDates(InventoryUpdate.NAME).stream().noneMatch(d -> d.isBefore(c.date()))) {
      snapshot = c.landing(RETAIL, OPENING_STOCK, InventoryUpdate.SNAPSHOT_FILE);
      if (!Storage.exists(snapshot)) {
        throw new BatchInputException("first inventory day: no opening stock at " + snapshot);
      }
    } else {
      throw new BatchInputException("yesterday's inventory partition "
          + c.warehouse().partition(InventoryUpdate.NAME, yesterday)
          + " is not published: run the batch for " + yesterday + " first");
    }
    List<String> flags = new ArrayList<>(List.of(
        "--snapshot=" + snapshot,
        "--movements=" + c.today(OrderProcessing.NAME, OrderProcessing.MOVEMENTS_FILE),
        "--businessDate=" + c.date()));
    String receipts = c.landing(RETAIL, RECEIPTS_FILE);
    if (Storage.exists(receipts)) {
      flags.add("--receipts=" + receipts);
    }
    return flags;
  }

  /** The master of the latest published day before D (none: the first run, without a master). */
  static List<String> patientFlags(Context c) {
    List<String> flags = new ArrayList<>(List.of(
        "--updates=" + c.landing(HEALTHCARE, PATIENTS, "*.ndjson"),
        "--deidKey=" + c.deidKey(),
        "--businessDate=" + c.date()));
    c.warehouse().publishedDates(PatientRecords.NAME).stream()
        .filter(d -> d.isBefore(c.date()))
        .reduce((a, b) -> b)
        .ifPresent(d -> flags.add("--master=" + c.warehouse().file(PatientRecords.NAME, d, PatientRecords.MASTER_FILE)));
    return flags;
  }

  /** Every claims-adjudication day up to D (older lines feed the statements), payments if any. */
  static List<String> billingFlags(Context c) {
    List<String> flags = new ArrayList<>(List.of(
        "--adjudicated=" + c.upTo(CLAIMS_ADJUDICATION, "adjudicated_lines.csv", Billing.NAME),
        "--businessDate=" + c.date()));
    String payments = c.landing(HEALTHCARE, PAYMENTS, Billing.PAYMENTS_FILE);
    if (Storage.exists(payments)) {
      flags.add("--payments=" + payments);
    }
    return flags;
  }

  /**
   * The steps of the given domains, or only the named pipelines. A dependency left out of the
   * selection is not run: its published partitions are read as they are.
   */
  public BatchPlan select(Collection<String> domains, Collection<String> pipelines) {
    for (String d : domains) {
      if (!DOMAINS.contains(d)) {
        throw new IllegalArgumentException("unknown domain '" + d + "' (domains: " + String.join(", ", DOMAINS) + ")");
      }
    }
    for (String p : pipelines) {
      if (all.stream().noneMatch(s -> s.pipeline().equals(p))) {
        throw new IllegalArgumentException("no pipeline '" + p + "' in the batch (pipelines: "
            + String.join(", ", all.stream().map(Step::pipeline).toList()) + ")");
      }
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (Step s : all) {
      boolean inDomain = domains.isEmpty() || domains.contains(s.domain());
      boolean named = pipelines.isEmpty() || pipelines.contains(s.pipeline());
      if (inDomain && named) {
        chosen.add(s.pipeline());
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("the selection " + domains + " " + pipelines + " holds no pipeline");
    }
    return new BatchPlan(all, chosen);
  }

  /** The selected steps, in plan order. */
  public List<Step> steps() {
    return all.stream().filter(s -> selected.contains(s.pipeline())).toList();
  }

  public Optional<Step> step(String pipeline) {
    return steps().stream().filter(s -> s.pipeline().equals(pipeline)).findFirst();
  }

  /** The dependencies of a step that run in this batch (the others are read as they are). */
  public List<String> parentsInBatch(Step step) {
    return step.dependsOn().stream().filter(selected::contains).toList();
  }

  /** The domains that hold a selected step, in plan order. */
  public List<String> domains() {
    return steps().stream().map(Step::domain).distinct().toList();
  }
}
