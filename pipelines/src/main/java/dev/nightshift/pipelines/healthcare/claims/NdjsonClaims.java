package dev.nightshift.pipelines.healthcare.claims;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.healthcare.Fhir;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadLines;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Claim;

/**
 * One Bulk FHIR NDJSON line = one Claim resource, parsed with HAPI FHIR (lenient for unknown
 * elements, an invalid value refused): a line that is not JSON is {@code MALFORMED_JSON}, another
 * resource type {@code NOT_A_CLAIM}, a Claim with a number out of bounds {@code INVALID_NUMBER}
 * (streamed through before HAPI reads it: {@link FhirClaims#scan}), a Claim HAPI refuses
 * {@code MALFORMED_CLAIM}. The position of
 * the claim is its line number; its raw text the line.
 */
final class NdjsonClaims implements ReadLines.Handler<SubmittedClaim> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parsers are not thread-safe: one per handler, and a handler belongs to one DoFn instance. */
  private transient IParser parser;

  @Override
  public void handle(String line, SourceRef source, ReadLines.Output<SubmittedClaim> out) throws RecordException {
    if (parser == null) {
      parser = Fhir.readingParser();
    }
    FhirClaims.Scan scan = FhirClaims.scan(line);
    if (scan != null && scan.resourceType().equals("Claim") && scan.badNumber() != null) {
      throw new RecordException(Reasons.INVALID_NUMBER, scan.badNumber());
    }
    IBaseResource resource;
    try {
      resource = parser.parseResource(line);
    } catch (DataFormatException e) {
      throw refusal(line, e.getMessage());
    } catch (RuntimeException e) {
      // HAPI's own failures on odd input (an empty JSON key: StringIndexOutOfBoundsException)
      throw refusal(line, e.toString());
    }
    if (!(resource instanceof Claim claim)) {
      throw new RecordException(HealthcareReasons.NOT_A_CLAIM,
          "a " + resource.fhirType() + ", not a Claim");
    }
    out.emit(FhirClaims.toClaim(claim, "", ClaimLine.FHIR_NDJSON, FhirClaims.NONE, source.file(), source.line(), line));
  }

  /** Why HAPI refused a line: not JSON, not a Claim, or an invalid Claim. */
  private static RecordException refusal(String line, String why) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException notJson) {
      return new RecordException(Reasons.MALFORMED_JSON, "not valid JSON: " + notJson.getOriginalMessage());
    }
    String type = node == null ? "" : node.path("resourceType").asText("");
    if (!type.equals("Claim")) {
      return new RecordException(HealthcareReasons.NOT_A_CLAIM,
          type.isEmpty() ? "not a FHIR resource (no resourceType)" : "a " + type + ", not a Claim");
    }
    return new RecordException(HealthcareReasons.MALFORMED_CLAIM, "HAPI FHIR refuses the Claim: " + why);
  }
}
