package dev.nightshift.pipelines.batch;

import dev.nightshift.pipelines.Pipelines;
import dev.nightshift.pipelines.finance.TradeGenerator;
import dev.nightshift.pipelines.finance.recon.StatementGenerator;
import dev.nightshift.pipelines.finance.reports.JournalGenerator;
import dev.nightshift.pipelines.gen.DatasetGenerator;
import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import dev.nightshift.pipelines.healthcare.billing.Billing;
import dev.nightshift.pipelines.healthcare.billing.BillingGenerator;
import dev.nightshift.pipelines.healthcare.claims.ClaimsGenerator;
import dev.nightshift.pipelines.healthcare.patients.PatientUpdateGenerator;
import dev.nightshift.pipelines.retail.OpeningStock;
import dev.nightshift.pipelines.retail.RetailOrderGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code batch --generate}: writes a date's landing area, {@code <landing>/<D>/<domain>/}, with the
 * project's generators, each domain replaced whole:
 *
 * <pre>
 * finance/trades/      finance-trades       (trades, securities, participants, holidays)
 * finance/statements/  finance-statements   (camt.053 and MT940 statements, ledger.csv)
 * finance/journals/    finance-journals     (journals.csv, fx_rates.csv)
 * retail/orders/       retail-orders        (online_retail_D.csv: only the day D of the three it writes)
 * retail/opening_stock/snapshot.csv         (the opening stock, dated D-1: read only on the first day)
 * healthcare/claims/   healthcare-claims    (FHIR NDJSON, Synthea-style bundles, X12 837P)
 * healthcare/billing/payments.csv           (the payments of healthcare-billing)
 * healthcare/patients/ healthcare-patients  (FHIR Patient NDJSON)
 * </pre>
 *
 * Seeds are {@code seed * 1000003 + D's epoch day}: every day differs, and the same date and
 * seed give the same bytes.
 */
final class BatchLanding {
  static final String CLAIMS_GENERATOR = ClaimsGenerator.NAME;

  private BatchLanding() {}

  static long daySeed(long seed, LocalDate date) {
    return seed * 1_000_003L + date.toEpochDay();
  }

  static void generate(BatchPlan.Context c, List<String> domains, long size, long seed, double badRate,
      PrintStream out) {
    long s = daySeed(seed, c.date());
    for (String domain : domains) {
      Path scratch = null;
      try {
        String target = c.landing(domain);
        scratch = Storage.isLocal(target)
            ? Storage.local(Storage.join(c.landing(), c.date().toString(),
                "." + domain + ".generating-" + ProcessHandle.current().pid()))
            : Files.createTempDirectory("nightshift-landing-");
        Storage.deleteLocalTree(scratch);
        Files.createDirectories(scratch);
        Generation g = new Generation(domain, scratch, size, s, badRate, c.date(), out);
        switch (domain) {
          case BatchPlan.FINANCE -> {
            g.run(BatchPlan.TRADES, TradeGenerator.NAME);
            g.run(BatchPlan.STATEMENTS, StatementGenerator.NAME);
            g.run(BatchPlan.JOURNALS, JournalGenerator.NAME);
          }
          case BatchPlan.RETAIL -> {
            Path orders = scratch.resolve(BatchPlan.ORDERS);
            g.run(BatchPlan.ORDERS, RetailOrderGenerator.NAME);
            String keep = RetailOrderGenerator.fileName(c.date());
            try (Stream<Path> files = Files.list(orders)) {
              for (Path f : files.filter(f -> f.getFileName().toString().startsWith("online_retail")
                  && !f.getFileName().toString().equals(keep)).toList()) {
                Files.delete(f); // the generator writes D-2 and D-1 too: those are other days' landings
              }
            }
            OpeningStock.write(scratch.resolve(BatchPlan.OPENING_STOCK), c.date().minusDays(1), s);
            out.printf(Locale.ROOT, "  %-22s %s%n", domain + "/" + BatchPlan.OPENING_STOCK, "opening stock dated "
                + c.date().minusDays(1));
          }
          case BatchPlan.HEALTHCARE -> {
            g.run(BatchPlan.CLAIMS, CLAIMS_GENERATOR);
            g.run(BatchPlan.PAYMENTS, BillingGenerator.NAME);
            // Only the payments: the adjudicated lines come from claims-adjudication's partitions.
            try (Stream<Path> files = Files.list(scratch.resolve(BatchPlan.PAYMENTS))) {
              for (Path f : files.filter(f -> !f.getFileName().toString().equals(Billing.PAYMENTS_FILE)).toList()) {
                Files.delete(f);
              }
            }
            g.run(BatchPlan.PATIENTS, PatientUpdateGenerator.NAME);
          }
          default -> throw new IllegalArgumentException("unknown domain " + domain);
        }
        Storage.deleteTree(target);
        if (Storage.isLocal(target)) {
          Storage.move(scratch, Storage.local(target));
          scratch = null;
        } else {
          Storage.upload(scratch, target);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the landing area of " + domain + ": " + e.getMessage(), e);
      } finally {
        if (scratch != null) {
          try {
            Storage.deleteLocalTree(scratch);
          } catch (IOException ignored) {
            // a scratch folder left behind is harmless: the next --generate replaces it
          }
        }
      }
    }
  }

  /** The generators of one domain, each writing into a sub-folder of the domain's scratch folder. */
  private record Generation(String domain, Path scratch, long size, long seed, double badRate, LocalDate date,
      PrintStream out) {
    void run(String sub, String name) throws IOException {
      DatasetGenerator generator = Pipelines.generator(name)
          .orElseThrow(() -> new IllegalStateException("generator " + name + " is not registered"));
      GenerationReport r = generator.generate(new GenerationRequest(scratch.resolve(sub), size, seed, badRate, date));
      out.printf(Locale.ROOT, "  %-22s %s: %,d rows in %d files, %,d planted defects%n", domain + "/" + sub, name,
          r.rowsPerFile().values().stream().mapToLong(Long::longValue).sum(), r.rowsPerFile().size(),
          r.totalPlanted());
    }
  }
}
