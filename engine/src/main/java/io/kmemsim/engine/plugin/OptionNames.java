package io.kmemsim.engine.plugin;

import java.util.regex.Pattern;

/**
 * The scenario key of an options-record component, and back: component {@code minFreeKbytes} is key
 * {@code min-free-kbytes}. The one convention shared by {@code plugins info} ({@link OptionsDescriber})
 * and the scenario binder.
 *
 * <p>{@link #toKey} puts a hyphen before each capital that follows a character other than a capital, and
 * before the last capital of a run of capitals followed by a lowercase letter, then lowercases:
 * {@code pcpHigh → pcp-high}, {@code maxPCPBatch → max-pcp-batch}, {@code order9Count → order9-count},
 * {@code level2 → level2}. Because acronyms lose their case, {@link #toComponent} is its inverse only for
 * camel-case names without runs of capitals; a binder should find the component by comparing
 * {@code toKey(component.getName())} with the key, and use {@code toComponent} only for messages.
 */
public final class OptionNames {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private OptionNames() {
    }

    /** The scenario key of record component {@code componentName}, e.g. {@code minFreeKbytes → min-free-kbytes}. */
    public static String toKey(String componentName) {
        if (componentName.isEmpty()) {
            throw new IllegalArgumentException("component name must not be empty");
        }
        StringBuilder key = new StringBuilder(componentName.length() + 4);
        for (int i = 0; i < componentName.length(); i++) {
            char c = componentName.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && startsWord(componentName, i)) {
                key.append('-');
            }
            key.append(Character.toLowerCase(c));
        }
        return key.toString();
    }

    /**
     * The record component name of scenario key {@code key}, e.g. {@code min-free-kbytes → minFreeKbytes}.
     *
     * @throws IllegalArgumentException when {@code key} is not lowercase words joined by single hyphens
     */
    public static String toComponent(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    "option key must be lowercase words joined by '-' (e.g. min-free-kbytes): '" + key + "'");
        }
        StringBuilder component = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                component.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return component.toString();
    }

    private static boolean startsWord(String name, int i) {
        if (!Character.isUpperCase(name.charAt(i - 1))) {
            return true;
        }
        return i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
    }
}
