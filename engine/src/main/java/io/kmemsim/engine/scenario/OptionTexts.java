package io.kmemsim.engine.scenario;

import io.kmemsim.engine.InputException;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * Binds a provider's options from {@code KEY=VALUE} texts given on a command line (e.g. {@code platform
 * show -o size=4G}) with the scenario's own binder ({@link OptionsBinder}): each value is read as YAML
 * exactly as a {@code --set} value is, then bound with the scenario's rules and messages — kebab-case
 * keys, unknown keys with a suggestion, defaults from the record's no-argument constructor, integers in
 * decimal, {@code 0x} or with {@code _}, lists as {@code [a, b]}, the declared constraints.
 */
public final class OptionTexts {

    private OptionTexts() {
    }

    /**
     * The options record of {@code type} with {@code keyValues} applied to its defaults.
     *
     * @param keyValues {@code key=value} texts, in order (a later key replaces an earlier one)
     * @throws InputException listing every problem, each with source {@value ScenarioLoader#OVERRIDE_SOURCE}
     *                        replaced by {@code source} and the option's key
     */
    public static Record bind(Class<? extends Record> type, List<String> keyValues, String source) {
        Problems problems = new Problems(source);
        MappingNode options = Nodes.mapping(null);
        for (String text : keyValues) {
            Optional<ScenarioLoader.Override> o = ScenarioLoader.parseOverride(text, problems);
            o.ifPresent(override -> ScenarioLoader.apply(options, override, source, problems));
        }
        Object bound = new OptionsBinder(problems, source).bindRecord(type, options, Origin.OVERRIDE, "");
        problems.throwIfAny();
        return (Record) bound;
    }
}
