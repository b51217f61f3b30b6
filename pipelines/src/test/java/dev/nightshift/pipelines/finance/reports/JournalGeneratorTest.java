package dev.nightshift.pipelines.finance.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.gen.GenerationReport;
import dev.nightshift.pipelines.gen.GenerationRequest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalGeneratorTest {

  @Test
  void sameRequestSameBytes(@TempDir Path tmp) throws Exception {
    for (String dir : List.of("a", "b")) {
      new JournalGenerator().generate(new GenerationRequest(tmp.resolve(dir), 300, 9, 0.05, null));
    }
    for (String f : List.of("journals.csv", "fx_rates.csv", "generation.json")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
    }
  }

  @Test
  void cleanDataBalancesAndHasEveryRate(@TempDir Path tmp) throws Exception {
    GenerationReport r = new JournalGenerator().generate(new GenerationRequest(tmp, 400, 2, 0.0, null));
    assertTrue(r.planted().isEmpty());
    assertEquals(5 * 6, r.rowsPerFile().get("fx_rates.csv"));
    assertEquals(r.rowsPerFile().get("journals.csv"), r.expectedValidRecords());
    Map<String, BigDecimal> net = new TreeMap<>();
    Map<String, Integer> lines = new TreeMap<>();
    for (List<String> row : dev.nightshift.pipelines.testing.CsvFiles.rows(tmp.resolve("journals.csv"))) {
      net.merge(row.get(0), new BigDecimal(row.get(7)).subtract(new BigDecimal(row.get(8))), BigDecimal::add);
      lines.merge(row.get(0), 1, Integer::sum);
      LocalDate d = LocalDate.parse(row.get(5));
      assertTrue(!d.isAfter(JournalGenerator.DEFAULT_BUSINESS_DATE) && d.getDayOfWeek().getValue() <= 5, row.toString());
    }
    assertEquals(400, net.size());
    net.forEach((id, n) -> assertEquals(0, n.signum(), id));
    lines.forEach((id, n) -> assertTrue(n >= 2 && n <= 6, id));
  }

  @Test
  void plantingDropsOneRateOnPurpose(@TempDir Path tmp) throws Exception {
    GenerationReport r = new JournalGenerator().generate(new GenerationRequest(tmp, 100, 2, 0.2, null));
    assertEquals(5 * 6 - 1, r.rowsPerFile().get("fx_rates.csv"));
    String missing = JournalGenerator.missingRateDate(r.businessDate()) + ",GBP,EUR,";
    assertTrue(Files.readAllLines(tmp.resolve("fx_rates.csv")).stream().noneMatch(l -> l.startsWith(missing)));
  }
}
