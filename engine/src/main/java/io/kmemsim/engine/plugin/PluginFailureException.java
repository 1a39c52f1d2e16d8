package io.kmemsim.engine.plugin;

import java.util.ServiceConfigurationError;

/**
 * A plugin call failed: names the provider id, its kind and the operation. The cause is the plugin's
 * own exception (printed by the CLI only with {@code --verbose}).
 */
public final class PluginFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String providerId;
    private final String operation;

    public PluginFailureException(String providerId, String kind, String operation, Throwable cause) {
        super(kind + " plugin '" + providerId + "' failed in " + operation + ": " + describe(cause), cause);
        this.providerId = providerId;
        this.operation = operation;
    }

    /** The id of the provider whose call failed. */
    public String providerId() {
        return providerId;
    }

    /** What the host asked the plugin to do (e.g. {@code create}, {@code allocate}). */
    public String operation() {
        return operation;
    }

    private static String describe(Throwable t) {
        if (t instanceof ServiceConfigurationError) {
            return "its service registration (META-INF/services/" + PlainWords.of(t.getMessage().replaceFirst(": ", ") is broken: "))
                    + (t.getCause() == null ? "" : ": " + describe(t.getCause()));
        }
        if (t instanceof java.util.zip.ZipException) {
            return "the jar file is damaged" + (t.getMessage() == null ? "" : " (" + PlainWords.of(t.getMessage()) + ")");
        }
        if (t instanceof java.io.IOException) {
            return "a file of the plugin cannot be read" + (t.getMessage() == null ? "" : " (" + PlainWords.of(t.getMessage()) + ")");
        }
        if (t instanceof ExceptionInInitializerError && t.getCause() != null) {
            return "static initialisation failed: " + describe(t.getCause());
        }
        if (t instanceof UnsupportedClassVersionError) {
            return "a class was compiled for a newer Java than this one (" + t.getMessage() + ")";
        }
        if (t instanceof ClassFormatError || t instanceof VerifyError) {
            return "a class file is damaged (" + t.getMessage() + ")";
        }
        if (t instanceof LinkageError) {
            return "api version mismatch (" + (t instanceof NoClassDefFoundError ? "missing class " : "")
                    + t.getMessage() + "): the plugin was built against another kmemsim api";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    }
}
