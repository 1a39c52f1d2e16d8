package io.kmemsim.engine.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validator for the subset of JSON Schema (draft 2020-12) that results.schema.json uses: {@code type}
 * (one name or a list), {@code required}, {@code properties}, {@code additionalProperties} (boolean or
 * schema), {@code items}, {@code enum}, {@code minimum}. A schema using any other keyword (annotations
 * {@code $schema}, {@code $id}, {@code title}, {@code description} excepted) is rejected, so the schema
 * cannot silently rely on something this does not check.
 */
final class SchemaSubset {

    private static final Set<String> KEYWORDS = Set.of("type", "required", "properties", "additionalProperties",
            "items", "enum", "minimum", "$schema", "$id", "title", "description");

    private SchemaSubset() {
    }

    /** The violations of {@code doc} against {@code schema}, each "path: what"; empty when valid. */
    static List<String> validate(JsonNode schema, JsonNode doc) {
        List<String> errors = new ArrayList<>();
        check(schema, doc, "$", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode doc, String path, List<String> errors) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYWORDS.contains(k)) {
                throw new IllegalArgumentException("schema keyword not supported by the test validator at " + path + ": " + k);
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), doc)) {
            errors.add(path + ": expected type " + schema.get("type") + " but was " + doc.getNodeType());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), doc)) {
            errors.add(path + ": " + doc + " is not one of " + schema.get("enum"));
        }
        if (schema.has("minimum") && doc.isNumber() && doc.asLong() < schema.get("minimum").asLong()) {
            errors.add(path + ": " + doc + " is below the minimum " + schema.get("minimum"));
        }
        if (doc.isObject()) {
            checkObject(schema, doc, path, errors);
        }
        if (doc.isArray() && schema.has("items")) {
            for (int i = 0; i < doc.size(); i++) {
                check(schema.get("items"), doc.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode doc, String path, List<String> errors) {
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!doc.has(r.asText())) {
                    errors.add(path + ": missing required key " + r.asText());
                }
            }
        }
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> f : doc.properties()) {
            String p = path + "." + f.getKey();
            if (props.has(f.getKey())) {
                check(props.get(f.getKey()), f.getValue(), p, errors);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                errors.add(p + ": key not allowed");
            } else if (additional != null && additional.isObject()) {
                check(additional, f.getValue(), p, errors);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode doc) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, doc)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> doc.isObject();
            case "array" -> doc.isArray();
            case "string" -> doc.isTextual();
            case "integer" -> doc.isIntegralNumber();
            case "number" -> doc.isNumber();
            case "boolean" -> doc.isBoolean();
            case "null" -> doc.isNull();
            default -> throw new IllegalArgumentException("unknown type in schema: " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode doc) {
        for (JsonNode v : values) {
            if (v.equals(doc)) {
                return true;
            }
        }
        return false;
    }
}
