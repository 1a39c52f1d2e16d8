package io.kmemsim.engine.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a JSON scenario with Jackson's JSON parser into the same nodes the YAML parser composes, each
 * marked with Jackson's location of its token. (SnakeYAML reads YAML 1.1, which refuses two things JSON
 * allows — tabs between tokens and the {@code \/} escape — so JSON keeps its own parser.)
 */
final class JsonNodes {

    private final JsonParser parser;

    private JsonNodes(JsonParser parser) {
        this.parser = parser;
    }

    /** Reads the document of {@code parser}; null for an empty one. */
    static Node read(JsonParser parser, String source, Problems problems) throws IOException {
        JsonNodes reader = new JsonNodes(parser);
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        Node root = reader.value(token);
        if (parser.nextToken() != null) {
            Mark at = reader.mark();
            problems.add(new Origin(source, at.getLine() + 1, at.getColumn() + 1), "",
                    "a scenario holds one document; found more after the first");
        }
        return root;
    }

    private Node value(JsonToken token) throws IOException {
        Mark at = mark();
        return switch (token) {
            case START_OBJECT -> object(at);
            case START_ARRAY -> array(at);
            case VALUE_NUMBER_INT -> scalar(Tag.INT, parser.getText(), at);
            case VALUE_NUMBER_FLOAT -> scalar(Tag.FLOAT, parser.getText(), at);
            case VALUE_TRUE -> scalar(Tag.BOOL, "true", at);
            case VALUE_FALSE -> scalar(Tag.BOOL, "false", at);
            case VALUE_NULL -> scalar(Tag.NULL, "null", at);
            default -> scalar(Tag.STR, parser.getText(), at);
        };
    }

    private MappingNode object(Mark at) throws IOException {
        List<NodeTuple> tuples = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            Node key = scalar(Tag.STR, parser.currentName(), mark());
            tuples.add(new NodeTuple(key, value(parser.nextToken())));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("parser gave " + token + " inside an object");
        }
        return new MappingNode(Tag.MAP, true, tuples, at, at, DumperOptions.FlowStyle.FLOW);
    }

    private SequenceNode array(Mark at) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new IllegalStateException("document ended inside an array");
            }
            items.add(value(token));
        }
        return new SequenceNode(Tag.SEQ, true, items, at, at, DumperOptions.FlowStyle.FLOW);
    }

    private static ScalarNode scalar(Tag tag, String text, Mark at) {
        return new ScalarNode(tag, true, text, at, at, DumperOptions.ScalarStyle.PLAIN);
    }

    /** Jackson's location of the current token as a 0-based mark, like the YAML parser's. */
    private Mark mark() {
        JsonLocation loc = parser.currentTokenLocation();
        return new Mark("json", (int) Math.max(loc.getCharOffset(), 0), Math.max(loc.getLineNr(), 1) - 1,
                Math.max(loc.getColumnNr(), 1) - 1, new int[0], 0);
    }
}
