package dev.nightshift.pipelines.healthcare.claims;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipelines.healthcare.Fhir;
import dev.nightshift.schemas.Reasons;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.healthcare.ClaimLine;
import dev.nightshift.schemas.healthcare.HealthcareReasons;
import dev.nightshift.schemas.healthcare.SubmittedClaim;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.ReadWholeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Claim;

/**
 * A FHIR Bundle file (a Synthea transaction bundle, a collection): every Claim entry is a claim,
 * parsed on its own with HAPI FHIR so that a broken claim costs only itself ({@code MALFORMED_CLAIM}
 * with the entry's line and text). The bundle is walked with Jackson's streaming parser to know
 * where each entry starts (its line number is the claim's position) and ends (its text is the
 * claim's raw text). References between entries ({@code urn:uuid:...}, or {@code Type/id}) are
 * resolved through {@code Bundle.entry.fullUrl} and the entries' type and id: the patient (member
 * id = the Patient's id), the provider, the insurance's Coverage, a diagnosis Condition.
 *
 * <p>The file is refused whole when it is not UTF-8 ({@code INVALID_ENCODING}), not JSON
 * ({@code MALFORMED_JSON}) or not a Bundle ({@code NOT_A_BUNDLE}).
 */
final class BundleClaims implements ReadWholeFiles.Parser<SubmittedClaim> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private transient IParser parser;

  private record Entry(int index, int line, int start, int end, JsonNode node) {}

  @Override
  public ReadWholeFiles.Parsed<SubmittedClaim> parse(String path, byte[] bytes) throws RecordException {
    if (parser == null) {
      parser = Fhir.readingParser();
    }
    String text = utf8(bytes);
    List<Entry> entries = new ArrayList<>();
    String resourceType = "";
    try (JsonParser p = JSON.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordException(HealthcareReasons.NOT_A_BUNDLE, "the file is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("resourceType") && value == JsonToken.VALUE_STRING) {
          resourceType = p.getText();
        } else if (field.equals("entry") && value == JsonToken.START_ARRAY) {
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            JsonLocation start = p.currentTokenLocation();
            JsonNode node = JSON.readTree(p);
            int end = (int) p.currentLocation().getCharOffset();
            entries.add(new Entry(entries.size(), start.getLineNr(), (int) start.getCharOffset(), end, node));
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new RecordException(Reasons.MALFORMED_JSON, "text after the bundle's closing brace");
      }
    } catch (JsonProcessingException e) {
      throw new RecordException(Reasons.MALFORMED_JSON,
          "not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RecordException(Reasons.UNREADABLE_FILE, e.toString());
    }
    if (!resourceType.equals("Bundle")) {
      throw new RecordException(HealthcareReasons.NOT_A_BUNDLE,
          resourceType.isEmpty() ? "no resourceType: not a FHIR resource" : "a " + resourceType + ", not a Bundle");
    }

    Map<String, JsonNode> byReference = new HashMap<>();
    for (Entry e : entries) {
      JsonNode resource = e.node().path("resource");
      String fullUrl = e.node().path("fullUrl").asText("");
      if (!fullUrl.isEmpty()) {
        byReference.put(fullUrl, resource);
      }
      String type = resource.path("resourceType").asText("");
      String id = resource.path("id").asText("");
      if (!type.isEmpty() && !id.isEmpty()) {
        byReference.putIfAbsent(type + "/" + id, resource);
      }
    }
    FhirClaims.Resolver resolver = byReference::get;

    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new ReadWholeFiles.Parsed<>();
    for (Entry e : entries) {
      JsonNode resource = e.node().path("resource");
      if (!resource.path("resourceType").asText("").equals("Claim")) {
        continue;
      }
      String raw = FhirClaims.truncate(text.substring(e.start(), Math.min(e.end(), text.length())));
      SourceRef source = SourceRef.of(path, e.line(), raw);
      String fullUrl = e.node().path("fullUrl").asText("");
      try {
        Claim claim = parser.parseResource(Claim.class, resource.toString());
        parsed.add(FhirClaims.toClaim(claim, fullUrl.isEmpty() ? "" : FhirClaims.idOf(fullUrl),
            ClaimLine.FHIR_BUNDLE, resolver, path, e.line(), raw));
      } catch (DataFormatException ex) {
        parsed.fail(source, HealthcareReasons.MALFORMED_CLAIM,
            "bundle entry " + e.index() + ": HAPI FHIR refuses the Claim: " + ex.getMessage());
      } catch (RecordException ex) {
        parsed.fail(source, ex.reasonCode(), "bundle entry " + e.index() + ": " + ex.getMessage());
      }
    }
    return parsed;
  }

  /** Strict UTF-8 (a byte-order mark dropped): a file with other bytes is refused whole. */
  static String utf8(byte[] bytes) throws RecordException {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new RecordException(Reasons.INVALID_ENCODING, "the file is not UTF-8");
    }
  }
}
