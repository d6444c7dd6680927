package com.factory.inspect.backend.coral;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Supplier;

/** Reading component configuration: a value that cannot be used falls back to its default, with a warning. */
final class ConfigValues {
    private static final Logger LOG = System.getLogger(ConfigValues.class.getName());

    private ConfigValues() {
    }

    /**
     * Component property types convert lazily, so a bad value surfaces here, per attribute.
     *
     * @param component how the warning names the component, e.g. {@code tflite-cpu}
     */
    static <T> T read(String component, String name, Supplier<T> value, T fallback) {
        try {
            return Objects.requireNonNull(value.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: {1} has an invalid value ({2}); using {3}", component, name, e.getMessage(),
                    fallback);
            return fallback;
        }
    }

    /** {@code value} if it is at least {@code min}, else {@code fallback}, with a warning. */
    static int atLeast(String component, String name, int value, int min, int fallback) {
        if (value < min) {
            LOG.log(Level.WARNING, "{0}: {1} = {2} is below {3}; using {4}", component, name, value, min, fallback);
            return fallback;
        }
        return value;
    }
}
