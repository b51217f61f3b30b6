package dev.nightshift.pipelines.healthcare.claims;

import dev.nightshift.schemas.healthcare.AdjudicatedClaim;
import dev.nightshift.schemas.healthcare.AdjudicatedLine;
import dev.nightshift.schemas.healthcare.ClaimLine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The FHIR R4 ExplanationOfBenefit of one adjudicated claim: id = the claim id, claim reference
 * {@code Claim/<claim id>}, the patient ({@code Patient/<patient id>}), the adjudicating insurer
 * ({@value #INSURER}), the provider by NPI, outcome {@code complete}, the plan as the focal
 * insurance, one item per claim line with its adjudications, the totals per category and the
 * payment (type complete: the claim is settled in one payment, possibly of 0.00). Adjudication categories: {@code submitted} (the charge), {@code eligible} (allowed),
 * {@code deductible}, {@code copay}, {@code benefit} (plan paid) from the FHIR adjudication code
 * system, and {@code coinsurance} from the CARIN Blue Button one (FHIR's has none). A denied line's
 * {@code benefit} (0.00) carries the reason: its CARC in the X12 code system, the denial text as
 * display. Built only from the claim's values and the adjudication date, never the clock: the same
 * claim gives the same resource, and HAPI's fixed element order the same bytes.
 */
final class ExplanationOfBenefits {
  private ExplanationOfBenefits() {}

  static final String ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication";
  static final String CARIN_ADJUDICATION = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication";
  static final String CARC = "https://x12.org/codes/claim-adjustment-reason-codes";
  static final String CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type";
  static final String PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/ex-paymenttype";
  static final String PAYER_SYSTEM = "https://nightshift.dev/fhir/payer-id";
  static final String INSURER = "NIGHTSHIFT-HEALTH";

  static ExplanationOfBenefit of(AdjudicatedClaim adjudicated, LocalDate adjudicationDate) {
    ClaimLine first = adjudicated.claim().first();
    ExplanationOfBenefit eob = new ExplanationOfBenefit();
    eob.setId(adjudicated.claim().claimId());
    eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
    String type = adjudicated.claim().type();
    eob.setType(type.isEmpty()
        ? new CodeableConcept().setText("not given")
        : new CodeableConcept(new Coding(CLAIM_TYPE, type, null)));
    eob.setUse(ExplanationOfBenefit.Use.CLAIM);
    eob.setPatient(first.patientId().isEmpty()
        ? new Reference().setDisplay("patient not identified on the claim")
        : new Reference("Patient/" + first.patientId()));
    eob.setCreatedElement(new DateTimeType(adjudicationDate.toString()));
    eob.setInsurer(new Reference().setIdentifier(new Identifier().setSystem(PAYER_SYSTEM).setValue(INSURER))
        .setDisplay(INSURER));
    eob.setProvider(first.providerId().isEmpty()
        ? new Reference().setDisplay("provider not identified on the claim")
        : new Reference().setIdentifier(new Identifier().setSystem(FhirClaims.NPI).setValue(first.providerId())));
    eob.setClaim(new Reference("Claim/" + adjudicated.claim().claimId()));
    eob.setOutcome(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);

    String plan = "";
    for (AdjudicatedLine l : adjudicated.lines()) {
      plan = plan.isEmpty() ? l.planId() : plan;
    }
    eob.addInsurance().setFocal(true).setCoverage(new Reference().setDisplay(
        !plan.isEmpty() ? plan : !first.payerId().isEmpty() ? first.payerId() : "no coverage"));

    Map<String, BigDecimal> totals = new LinkedHashMap<>();
    int paidLines = 0;
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < adjudicated.lines().size(); i++) {
      ClaimLine line = adjudicated.claim().lines().get(i);
      AdjudicatedLine result = adjudicated.lines().get(i);
      ExplanationOfBenefit.ItemComponent item = eob.addItem().setSequence(line.lineNo());
      item.setProductOrService(line.procedureCode().isEmpty()
          ? new CodeableConcept().setText("no procedure code on the claim")
          : new CodeableConcept(new Coding(FhirClaims.systemUri(line.procedureSystem(), line.procedureCode()),
              line.procedureCode(), null)));
      if (line.serviceDate() != null) {
        item.setServiced(new DateType(line.serviceDate().toString()));
      }
      item.setQuantity(new Quantity().setValue(line.units()));
      if (line.charge() != null) {
        item.setNet(usd(line.charge()));
      }
      add(item, totals, ADJUDICATION, "submitted", result.charge());
      if (result.denied()) {
        reasons.add("line " + line.lineNo() + ": CARC " + result.carc() + " " + result.denialReason());
        add(item, totals, ADJUDICATION, "benefit", result.planPaid())
            .setReason(new CodeableConcept(new Coding(CARC, result.carc(), result.denialReason())));
      } else {
        paidLines++;
        add(item, totals, ADJUDICATION, "eligible", result.allowed());
        add(item, totals, ADJUDICATION, "deductible", result.deductible());
        add(item, totals, ADJUDICATION, "copay", result.copay());
        add(item, totals, CARIN_ADJUDICATION, "coinsurance", result.coinsurance());
        add(item, totals, ADJUDICATION, "benefit", result.planPaid());
      }
    }
    int lines = adjudicated.lines().size();
    eob.setDisposition(paidLines == lines ? "paid"
        : paidLines == 0 ? "denied: " + String.join("; ", reasons)
        : paidLines + " of " + lines + " lines paid; " + String.join("; ", reasons));
    for (Map.Entry<String, BigDecimal> t : totals.entrySet()) {
      String[] key = t.getKey().split(" ");
      eob.addTotal().setCategory(new CodeableConcept(new Coding(key[0], key[1], null))).setAmount(usd(t.getValue()));
    }
    BigDecimal benefit = totals.getOrDefault(ADJUDICATION + " benefit", Adjudicator.ZERO);
    eob.getPayment()
        .setType(new CodeableConcept(new Coding(PAYMENT_TYPE, "complete", null)))
        .setDateElement(new DateType(adjudicationDate.toString()))
        .setAmount(usd(benefit));
    return eob;
  }

  private static ExplanationOfBenefit.AdjudicationComponent add(ExplanationOfBenefit.ItemComponent item,
      Map<String, BigDecimal> totals, String system, String code, BigDecimal amount) {
    totals.merge(system + " " + code, amount, BigDecimal::add);
    return item.addAdjudication()
        .setCategory(new CodeableConcept(new Coding(system, code, null)))
        .setAmount(usd(amount));
  }

  private static Money usd(BigDecimal amount) {
    Money m = new Money();
    m.setValue(amount);
    m.setCurrency("USD");
    return m;
  }
}
