package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.Sourced;
import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One service line of a submitted professional or institutional claim, as read from FHIR R4
 * (Synthea transaction bundles, Bulk FHIR NDJSON) or X12 837P. It is what {@code
 * claims-adjudication} adjudicates; see {@code pipelines/src/main/java/dev/nightshift/pipelines/healthcare/README.md}.
 *
 * <p>The readers refuse only what cannot be read (a dead letter). A claim that reads but lacks
 * business data is still emitted, with the missing value empty ({@code ""}) or {@code null}, so
 * that adjudication can deny it with CARC 16 (missing information) and the provider hears why.
 *
 * @param claimId the claim's id (FHIR Claim.id, X12 CLM01)
 * @param lineNo the line's sequence in its claim (FHIR item.sequence, X12 LX01), 1-based
 * @param lineCount how many lines the claim has (every line of a claim carries the same count)
 * @param format {@link #FHIR_BUNDLE}, {@link #FHIR_NDJSON} or {@link #X12_837P}
 * @param memberId the insured member whose coverage pays (FHIR: the patient's logical id; X12: the
 *     subscriber's NM1*IL id); empty when missing
 * @param patientId who received the service (FHIR: the patient's logical id; X12: the patient
 *     loop's member id, else the subscriber's)
 * @param providerId the billing provider (X12: NPI from NM1*85; FHIR: Claim.provider identifier
 *     value or reference id); empty when missing
 * @param payerId the payer (X12: NM1*PR id; FHIR: the focal insurance's coverage display/id)
 * @param serviceDate the line's date of service; null when missing
 * @param receivedDate when the payer received the claim (FHIR Claim.created, X12 BHT04); null when
 *     missing
 * @param procedureSystem the code system: {@code HC} (HCPCS/CPT), {@code SNOMED}, {@code CVX}, or
 *     the FHIR system URI as given
 * @param procedureCode the procedure or product code; empty when missing
 * @param units service units (1 when not given)
 * @param charge the billed amount of the line; null when missing
 * @param claimTotal the claim's total billed amount (FHIR Claim.total, X12 CLM02)
 * @param diagnosisCode the claim's principal diagnosis code, empty when none
 */
public record ClaimLine(
    String claimId,
    int lineNo,
    int lineCount,
    String format,
    String memberId,
    String patientId,
    String providerId,
    String payerId,
    LocalDate serviceDate,
    LocalDate receivedDate,
    String procedureSystem,
    String procedureCode,
    BigDecimal units,
    BigDecimal charge,
    BigDecimal claimTotal,
    String diagnosisCode,
    SourceRef source)
    implements Sourced, Serializable {

  public static final String FHIR_BUNDLE = "FHIR_BUNDLE";
  public static final String FHIR_NDJSON = "FHIR_NDJSON";
  public static final String X12_837P = "X12_837P";

  public static final RecordCoder<ClaimLine> CODER =
      RecordCoder.of(
          ClaimLine.class,
          (l, out) -> {
            out.str(l.claimId)
                .integer(l.lineNo)
                .integer(l.lineCount)
                .str(l.format)
                .str(l.memberId)
                .str(l.patientId)
                .str(l.providerId)
                .str(l.payerId)
                .optDate(l.serviceDate)
                .optDate(l.receivedDate)
                .str(l.procedureSystem)
                .str(l.procedureCode)
                .decimal(l.units)
                .optDecimal(l.charge)
                .decimal(l.claimTotal)
                .str(l.diagnosisCode);
            l.source.write(out);
          },
          in ->
              new ClaimLine(
                  in.str(),
                  in.integer(),
                  in.integer(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.str(),
                  in.optDate(),
                  in.optDate(),
                  in.str(),
                  in.str(),
                  in.decimal(),
                  in.optDecimal(),
                  in.decimal(),
                  in.str(),
                  SourceRef.read(in)));
}
