package dev.nightshift.pipelines.healthcare.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.pipelines.healthcare.Fhir;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;

/**
 * Reads eob.ndjson back with HAPI's strict parser (an unknown element, an invalid value or a
 * missing required element fails), re-encodes it with HAPI's parser (the bytes must not change)
 * and checks every item's adjudication amounts against the line
 * of adjudicated_lines.csv it answers, the denial reasons' CARC, the totals, and the order.
 */
final class EobChecks {
  private EobChecks() {}

  /** @param lines adjudicated_lines.csv rows by "claim id/line no"; returns the claim ids, in file order */
  static List<String> check(Path eobFile, Map<String, List<String>> lines) throws IOException {
    List<String> ids = new ArrayList<>();
    Set<String> claimsOfLines = new LinkedHashSet<>();
    lines.keySet().forEach(k -> claimsOfLines.add(k.substring(0, k.lastIndexOf('/'))));
    int items = 0;
    for (String json : Files.readAllLines(eobFile, StandardCharsets.UTF_8)) {
      ExplanationOfBenefit eob = Fhir.strictJsonParser().parseResource(ExplanationOfBenefit.class, json);
      assertEquals(json, Fhir.ndjsonEncoder().encodeResourceToString(eob), "HAPI's own encoding, byte for byte");
      String claimId = eob.getClaim().getReference().substring("Claim/".length());
      assertEquals(claimId, eob.getIdElement().getIdPart());
      assertTrue(claimsOfLines.contains(claimId), "the EOB's claim is a claim adjudicated: " + claimId);
      ids.add(claimId);
      Map<String, BigDecimal> totals = new HashMap<>();
      for (ExplanationOfBenefit.ItemComponent item : eob.getItem()) {
        items++;
        List<String> l = lines.get(claimId + "/" + item.getSequence());
        assertNotNull(l, claimId + " item " + item.getSequence());
        Map<String, BigDecimal> amounts = new HashMap<>();
        for (ExplanationOfBenefit.AdjudicationComponent a : item.getAdjudication()) {
          String code = a.getCategory().getCodingFirstRep().getCode();
          amounts.put(code, a.getAmount().getValue());
          totals.merge(code, a.getAmount().getValue(), BigDecimal::add);
        }
        same(l.get(12), amounts.get("submitted"), json);
        same(l.get(17), amounts.get("benefit"), json);
        if (l.get(19).equals("PAID")) {
          same(l.get(13), amounts.get("eligible"), json);
          same(l.get(14), amounts.get("deductible"), json);
          same(l.get(15), amounts.get("coinsurance"), json);
          same(l.get(16), amounts.get("copay"), json);
        } else {
          var reason = item.getAdjudication().stream().filter(a -> a.hasReason()).findFirst().orElseThrow().getReason();
          assertEquals(ExplanationOfBenefits.CARC, reason.getCodingFirstRep().getSystem());
          assertEquals(l.get(20), reason.getCodingFirstRep().getCode(), json);
          assertEquals(l.get(21), reason.getCodingFirstRep().getDisplay(), json);
        }
      }
      for (ExplanationOfBenefit.TotalComponent t : eob.getTotal()) {
        same(totals.get(t.getCategory().getCodingFirstRep().getCode()).toPlainString(), t.getAmount().getValue(), json);
      }
      same(totals.get("benefit").toPlainString(), eob.getPayment().getAmount().getValue(), json);
    }
    assertEquals(lines.size(), items, "one EOB item per adjudicated line");
    assertEquals(claimsOfLines.size(), ids.size(), "one EOB per claim");
    assertEquals(ids.stream().sorted().toList(), ids, "sorted by claim id");
    return ids;
  }

  private static void same(String expected, BigDecimal actual, String json) {
    assertNotNull(actual, json);
    assertEquals(0, new BigDecimal(expected).compareTo(actual), expected + " vs " + actual + " in " + json);
  }
}
