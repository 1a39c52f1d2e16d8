package io.kmemsim.engine.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one YAML or JSON document from a streaming parser into a {@link Node} tree that keeps each
 * node's line and column. Duplicate keys are reported to {@link Problems} (the later value wins so
 * reading can go on).
 */
final class TreeReader {

    private final JsonParser parser;
    private final String source;
    private final Origin fixedOrigin;
    private final Problems problems;

    /**
     * @param fixedOrigin when non-null, every node gets this origin instead of the parser's location
     *                    (values of {@code --set}, whose positions inside the value text mean nothing)
     */
    TreeReader(JsonParser parser, String source, Origin fixedOrigin, Problems problems) {
        this.parser = parser;
        this.source = source;
        this.fixedOrigin = fixedOrigin;
        this.problems = problems;
    }

    /** Reads the document; returns null for an empty one. */
    Node readDocument() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        Node root = readValue(token, "");
        if (parser.nextToken() != null) {
            problems.add(origin(), "", "a scenario holds one document; found more after the first");
        }
        return root;
    }

    private Node readValue(JsonToken token, String path) throws IOException {
        Origin at = origin();
        return switch (token) {
            case START_OBJECT -> readMap(at, path);
            case START_ARRAY -> readList(at, path);
            case VALUE_STRING -> new Node.Scalar(at, Node.ScalarKind.STRING, parser.getText());
            case VALUE_NUMBER_INT -> new Node.Scalar(at, Node.ScalarKind.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT -> new Node.Scalar(at, Node.ScalarKind.FLOAT, parser.getText());
            case VALUE_TRUE -> new Node.Scalar(at, Node.ScalarKind.BOOLEAN, "true");
            case VALUE_FALSE -> new Node.Scalar(at, Node.ScalarKind.BOOLEAN, "false");
            case VALUE_NULL -> new Node.Scalar(at, Node.ScalarKind.NULL, "null");
            default -> new Node.Scalar(at, Node.ScalarKind.STRING, parser.getText());
        };
    }

    private Node.MapNode readMap(Origin at, String path) throws IOException {
        Node.MapNode map = new Node.MapNode(at);
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Origin keyAt = origin();
            String keyPath = Problems.join(path, key);
            Node value = readValue(parser.nextToken(), keyPath);
            if (map.fields().containsKey(key)) {
                problems.add(keyAt, keyPath, "duplicate key (first given at line "
                        + map.fields().get(key).keyOrigin().line() + ")");
            }
            map.fields().put(key, new Node.Field(key, keyAt, value));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("parser gave " + token + " inside a mapping");
        }
        return map;
    }

    private Node.ListNode readList(Origin at, String path) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new IllegalStateException("document ended inside a list");
            }
            items.add(readValue(token, path + "[" + items.size() + "]"));
        }
        return new Node.ListNode(at, List.copyOf(items));
    }

    private Origin origin() {
        if (fixedOrigin != null) {
            return fixedOrigin;
        }
        JsonLocation loc = parser.currentTokenLocation();
        return new Origin(source, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
    }
}
