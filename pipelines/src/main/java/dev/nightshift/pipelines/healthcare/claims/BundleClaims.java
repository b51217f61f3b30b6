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
import dev.nightshift.transforms.io.ReadCsv;
import dev.nightshift.transforms.io.ReadWholeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>Before HAPI reads a Claim entry: an entry longer than {@link #MAX_ENTRY_CHARS} is
 * {@code RECORD_TOO_LONG} (never built; its dead letter holds its first characters), a number
 * {@link dev.nightshift.transforms.io.Values#decimal} refuses is {@code INVALID_NUMBER} (HAPI
 * would refuse {@code 1E+99999999} only as an invalid value), a {@code urn:uuid:} reference to no
 * entry is {@code MALFORMED_CLAIM}.
 *
 * <p>The file is refused whole when it is empty ({@code EMPTY_FILE}), not UTF-8
 * ({@code INVALID_ENCODING}), not JSON ({@code MALFORMED_JSON}) or not a Bundle
 * ({@code NOT_A_BUNDLE}).
 */
final class BundleClaims implements ReadWholeFiles.Parser<SubmittedClaim> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private transient IParser parser;

  /** The most characters a Bundle entry may have: as an NDJSON line ({@link ReadCsv#MAX_RECORD_CHARS}). */
  static final int MAX_ENTRY_CHARS = ReadCsv.MAX_RECORD_CHARS;

  /** An entry: where it is, its fullUrl, what the scan found, its resource (null when too long). */
  private record Entry(int index, int line, int start, int end, String fullUrl, FhirClaims.Scan scan, JsonNode resource) {}

  @Override
  public ReadWholeFiles.Parsed<SubmittedClaim> parse(String path, byte[] bytes) throws RecordException {
    if (parser == null) {
      parser = Fhir.readingParser();
    }
    String text = utf8(bytes);
    if (text.isBlank()) {
      throw new RecordException(Reasons.EMPTY_FILE,
          text.isEmpty() ? "the file is empty" : "the file holds nothing but white space");
    }
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
            if (t == null) {
              throw new RecordException(Reasons.MALFORMED_JSON, "the file ends inside Bundle.entry");
            }
            entries.add(entry(p, t, text, entries.size()));
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
      if (e.scan() == null) {
        continue;
      }
      // an entry too long to read is still there: a reference to it names its id, it does not dangle
      JsonNode resource = e.resource() != null ? e.resource()
          : JSON.createObjectNode().put("resourceType", e.scan().resourceType()).put("id", e.scan().id());
      if (!e.fullUrl().isEmpty()) {
        byReference.put(e.fullUrl(), resource);
      }
      String type = e.scan().resourceType();
      String id = e.scan().id();
      if (!type.isEmpty() && !id.isEmpty()) {
        byReference.putIfAbsent(type + "/" + id, resource);
      }
    }
    FhirClaims.Resolver resolver = byReference::get;

    ReadWholeFiles.Parsed<SubmittedClaim> parsed = new ReadWholeFiles.Parsed<>();
    for (Entry e : entries) {
      if (e.scan() == null || !e.scan().resourceType().equals("Claim")) {
        continue;
      }
      int length = e.end() - e.start();
      String raw = length <= FhirClaims.MAX_RAW ? text.substring(e.start(), e.end())
          : text.substring(e.start(), e.start() + FhirClaims.MAX_RAW) + "...";
      SourceRef source = SourceRef.of(path, e.line(), raw);
      String where = "bundle entry " + e.index() + ": ";
      if (e.resource() == null) {
        parsed.fail(source, Reasons.RECORD_TOO_LONG,
            where + "the entry has " + length + " characters, more than " + MAX_ENTRY_CHARS + ": not read");
        continue;
      }
      if (e.scan().badNumber() != null) {
        parsed.fail(source, Reasons.INVALID_NUMBER, where + e.scan().badNumber());
        continue;
      }
      String dangling = dangling(e.resource(), "Claim", byReference);
      if (dangling != null) {
        parsed.fail(source, HealthcareReasons.MALFORMED_CLAIM, where + dangling);
        continue;
      }
      try {
        Claim claim = parser.parseResource(Claim.class, e.resource().toString());
        parsed.add(FhirClaims.toClaim(claim, e.fullUrl().isEmpty() ? "" : FhirClaims.idOf(e.fullUrl()),
            ClaimLine.FHIR_BUNDLE, resolver, path, e.line(), raw));
      } catch (DataFormatException ex) {
        parsed.fail(source, HealthcareReasons.MALFORMED_CLAIM, where + "HAPI FHIR refuses the Claim: " + ex.getMessage());
      } catch (RuntimeException ex) {
        // HAPI's own failures on odd input (an empty JSON key: StringIndexOutOfBoundsException)
        parsed.fail(source, HealthcareReasons.MALFORMED_CLAIM, where + "HAPI FHIR refuses the Claim: " + ex);
      } catch (RecordException ex) {
        parsed.fail(source, ex.reasonCode(), where + ex.getMessage());
      }
    }
    return parsed;
  }

  /**
   * One element of Bundle.entry, the parser on its first token: streamed through (its fullUrl, and
   * its resource's type, id and numbers by {@link FhirClaims#scan}), then, when it has at most
   * {@link #MAX_ENTRY_CHARS} characters, read again as a tree. A longer entry is never built: a
   * 10 MB narrative costs its claim ({@code RECORD_TOO_LONG}), not the heap.
   */
  private static Entry entry(JsonParser p, JsonToken first, String text, int index) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    String fullUrl = "";
    FhirClaims.Scan scan = null;
    if (first == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("fullUrl") && value == JsonToken.VALUE_STRING) {
          fullUrl = p.getText();
        } else if (field.equals("resource") && value == JsonToken.START_OBJECT) {
          scan = FhirClaims.scan(p);
        } else {
          p.skipChildren();
        }
      }
    } else {
      p.skipChildren();
    }
    int from = (int) start.getCharOffset();
    int end = Math.min((int) p.currentLocation().getCharOffset(), text.length());
    JsonNode resource = null;
    if (scan != null && end - from <= MAX_ENTRY_CHARS) {
      resource = JSON.readTree(text.substring(from, end)).path("resource");
    }
    return new Entry(index, start.getLineNr(), from, end, fullUrl.trim(), scan, resource);
  }

  /**
   * The first {@code urn:uuid:} (or {@code urn:oid:}) reference of the resource that no entry of the
   * bundle has as its fullUrl, as a message; null when every one resolves. Such a reference names
   * nothing: the claim's patient (or diagnosis, or coverage) would be read as an id that is none.
   */
  static String dangling(JsonNode node, String where, Map<String, JsonNode> byReference) {
    if (node.isObject()) {
      JsonNode ref = node.get("reference");
      if (ref != null && ref.isTextual()) {
        String r = ref.asText().trim();
        if ((r.startsWith("urn:uuid:") || r.startsWith("urn:oid:")) && !byReference.containsKey(r)) {
          return where + " refers to " + r + ", which no entry of the bundle has (Bundle.entry.fullUrl)";
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String found = dangling(f.getValue(), where + "." + f.getKey(), byReference);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = dangling(node.get(i), where + "[" + i + "]", byReference);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
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
