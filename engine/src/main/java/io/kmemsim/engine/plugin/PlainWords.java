package io.kmemsim.engine.plugin;

import java.util.regex.Pattern;

/**
 * Library and JDK messages about a plugin jar, made fit for a user: a fully qualified Java name (a class, or a JDK
 * system property such as {@code jdk.jar.maxSignatureFileSize}) is cut to its last part, and an exception's or
 * error's class name becomes the word "error". The rest of the message, which says what was wrong, is kept.
 */
final class PlainWords {

    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:java|javax|jdk|sun|com|org)\\.(?:[a-z][\\w$]*\\.)+([A-Za-z][\\w$]*)");
    private static final Pattern THROWABLE = Pattern.compile("\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b");

    private PlainWords() {
    }

    static String of(String message) {
        String s = QUALIFIED.matcher(message).replaceAll("$1");
        return THROWABLE.matcher(s).replaceAll("error");
    }
}
