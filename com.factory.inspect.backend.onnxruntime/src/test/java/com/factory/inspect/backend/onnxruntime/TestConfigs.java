package com.factory.inspect.backend.onnxruntime;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Component property type instances as Declarative Services would make them from a configuration. */
final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A {@link OnnxRuntimeBackend.Config} backed by {@code properties} (keys as in the configuration,
     * e.g. {@code intra.op.threads}), defaults for the rest. Like DS, converts strings when a method is
     * called, so an invalid value throws there.
     */
    static OnnxRuntimeBackend.Config config(Map<String, ?> properties) {
        return (OnnxRuntimeBackend.Config) Proxy.newProxyInstance(TestConfigs.class.getClassLoader(),
                new Class<?>[] {OnnxRuntimeBackend.Config.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return OnnxRuntimeBackend.Config.class;
                        case "toString":
                            return "Config" + properties;
                        case "hashCode":
                            return properties.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    Object value = properties.get(method.getName().replace('_', '.'));
                    if (value == null) {
                        return method.getDefaultValue();
                    }
                    return convert(String.valueOf(value), method.getReturnType());
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String value, Class<?> type) {
        if (type == int.class) {
            return Integer.valueOf(value.trim());
        }
        if (type == boolean.class) {
            return Boolean.valueOf(value.trim());
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value.trim());
        }
        return value;
    }
}
