package com.factory.inspect.backend.coral;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Component property type instances as Declarative Services would make them from a configuration. */
final class TestConfigs {
    private TestConfigs() {
    }

    /**
     * A {@code type} backed by {@code properties} (keys as in the configuration, e.g. {@code rank}),
     * defaults for the rest. Like DS, converts strings when a method is called, so an invalid value
     * throws there.
     */
    static <T> T config(Class<T> type, Map<String, ?> properties) {
        return type.cast(Proxy.newProxyInstance(TestConfigs.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return type;
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
                    String text = String.valueOf(value);
                    return method.getReturnType() == int.class ? Integer.valueOf(text.trim()) : text;
                }));
    }

    static TfLiteCpuBackend.Config cpu(Map<String, ?> properties) {
        return config(TfLiteCpuBackend.Config.class, properties);
    }

    static EdgeTpuBackend.Config edgeTpu(Map<String, ?> properties) {
        return config(EdgeTpuBackend.Config.class, properties);
    }
}
